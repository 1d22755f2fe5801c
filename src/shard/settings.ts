/**
 * Which shard this replica is: `--shard.count`, `--shard.index` / `--shard.index-from-hostname`,
 * `--shard.replication`, each falling back to the config's `vigil.shard`. Bad input is an error
 * that names the flag (or config key) it came from.
 */
import { VigilError } from '../errors.js';

/** Sharding as settings: count 1 (the default) means every replica probes everything. */
export interface ShardSettings {
  count: number;
  index: number;
  replication: number;
}

export const SHARDING_OFF: Readonly<ShardSettings> = { count: 1, index: 0, replication: 1 };

/** What one source (the flags, or `vigil.shard`) says; unset fields are undefined. */
export interface ShardInput {
  count?: number;
  index?: number;
  indexFromHostname?: boolean;
  replication?: number;
}

export class ShardSettingsError extends VigilError {
  constructor(message: string) {
    super('VIGIL_SHARD_INVALID', message);
  }
}

type Field = keyof ShardInput;
const FLAG: Record<Field, string> = {
  count: '--shard.count',
  index: '--shard.index',
  indexFromHostname: '--shard.index-from-hostname',
  replication: '--shard.replication',
};
const CONFIG_KEY: Record<Field, string> = {
  count: 'vigil.shard.count',
  index: 'vigil.shard.index',
  indexFromHostname: 'vigil.shard.index-from-hostname',
  replication: 'vigil.shard.replication',
};

/** The ordinal of a StatefulSet pod name (`vigil-2` → 2, `vigil-2.vigil.ns.svc` → 2). */
export function hostnameOrdinal(hostname: string): number | undefined {
  const m = /-(\d+)$/.exec(hostname.split('.')[0] ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Flags win over `vigil.shard`; `hostname` is read only for index-from-hostname. */
export function resolveShard(flags: ShardInput, config: ShardInput | undefined, hostname: () => string): ShardSettings {
  const pick = <F extends Field>(field: F): { value: ShardInput[F]; name: string } =>
    flags[field] !== undefined ? { value: flags[field], name: FLAG[field] } : { value: config?.[field], name: CONFIG_KEY[field] };
  const count = pick('count');
  const index = pick('index');
  const fromHostname = pick('indexFromHostname');
  const replication = pick('replication');
  const fail = (message: string): never => {
    throw new ShardSettingsError(message);
  };

  if (count.value === undefined) {
    for (const other of [index, replication]) if (other.value !== undefined) fail(`${other.name} needs --shard.count`);
    if (fromHostname.value === true) fail(`${fromHostname.name} needs --shard.count`);
    return { ...SHARDING_OFF };
  }
  if (!Number.isInteger(count.value) || count.value < 1) fail(`${count.name}: must be a positive integer, got ${count.value}`);
  const r = replication.value ?? 1;
  if (!Number.isInteger(r) || r < 1) fail(`${replication.name}: must be at least 1, got ${r}`);
  if (r > count.value) fail(`${replication.name}: ${r} is more than ${count.name} (${count.value})`);

  let i: number;
  let indexName: string;
  if (fromHostname.value === true) {
    if (index.value !== undefined) fail(`${index.name} and ${fromHostname.name} are mutually exclusive`);
    const name = hostname();
    const ordinal = hostnameOrdinal(name);
    if (ordinal === undefined) fail(`${fromHostname.name}: hostname "${name}" has no ordinal (expected a StatefulSet pod name such as vigil-2)`);
    i = ordinal as number;
    indexName = `${fromHostname.name} (hostname "${name}")`;
  } else {
    if (index.value === undefined) fail(`${count.name} needs --shard.index or --shard.index-from-hostname`);
    i = index.value as number;
    indexName = index.name;
  }
  if (!Number.isInteger(i) || i < 0) fail(`${indexName}: must be a non-negative integer, got ${i}`);
  if (i >= count.value) fail(`${indexName}: shard ${i} does not exist with ${count.name}=${count.value} (indexes run from 0 to ${count.value - 1})`);
  return { count: count.value, index: i, replication: r };
}
