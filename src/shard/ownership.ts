/** Which of the configured endpoints this replica probes, from its shard settings. */
import { assignShards } from './rendezvous.js';
import type { ShardSettings } from './settings.js';

export interface Ownership {
  readonly settings: ShardSettings;
  /** Whether this replica probes (or, for external endpoints, watches the heartbeat of) the key. */
  owns(key: string): boolean;
  /** The shard indexes that own the key; undefined for keys not in the assigned set. */
  ownersOf(key: string): readonly number[] | undefined;
}

/** Every key is owned by every replica (sharding off). */
function everything(settings: ShardSettings): Ownership {
  return { settings, owns: () => true, ownersOf: () => [0] };
}

/** Assigns `keys` (every enabled endpoint and external endpoint of the config) to the shards. */
export function createOwnership(settings: ShardSettings, keys: Iterable<string>): Ownership {
  if (settings.count === 1) return everything(settings);
  const owners = assignShards(keys, settings.count, settings.replication);
  return {
    settings,
    owns: (key) => owners.get(key)?.includes(settings.index) ?? false,
    ownersOf: (key) => owners.get(key),
  };
}
