import { describe, expect, it } from 'vitest';
import { hostnameOrdinal, resolveShard, ShardSettingsError, SHARDING_OFF } from '../../src/shard/settings.js';

const host = (name: string) => () => name;
const noHost = () => {
  throw new Error('hostname must not be read');
};

function failure(fn: () => unknown): ShardSettingsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ShardSettingsError);
    expect((err as ShardSettingsError).code).toBe('VIGIL_SHARD_INVALID');
    return err as ShardSettingsError;
  }
  throw new Error('expected a ShardSettingsError');
}

describe('shard settings', () => {
  it('is off (1 shard, everything probed) when nothing is set', () => {
    expect(resolveShard({}, undefined, noHost)).toEqual(SHARDING_OFF);
    expect(resolveShard({}, {}, noHost)).toEqual({ count: 1, index: 0, replication: 1 });
  });

  it('takes count, index and replication from the flags, over the config', () => {
    expect(resolveShard({ count: 4, index: 3, replication: 2 }, undefined, noHost)).toEqual({ count: 4, index: 3, replication: 2 });
    expect(resolveShard({ index: 1 }, { count: 3, index: 0, replication: 3 }, noHost)).toEqual({ count: 3, index: 1, replication: 3 });
    expect(resolveShard({}, { count: 2, index: 1 }, noHost)).toEqual({ count: 2, index: 1, replication: 1 });
  });

  it('reads the index from a StatefulSet pod name', () => {
    expect(resolveShard({ count: 3, indexFromHostname: true }, undefined, host('vigil-2'))).toEqual({ count: 3, index: 2, replication: 1 });
    expect(hostnameOrdinal('vigil-12.vigil.monitoring.svc.cluster.local')).toBe(12);
    expect(hostnameOrdinal('my-vigil-0')).toBe(0);
    expect(hostnameOrdinal('vigil')).toBeUndefined();
    expect(hostnameOrdinal('vigil-2a')).toBeUndefined();
  });

  it('rejects an index at or above the count, naming the flag', () => {
    expect(failure(() => resolveShard({ count: 4, index: 4 }, undefined, noHost)).message).toBe(
      '--shard.index: shard 4 does not exist with --shard.count=4 (indexes run from 0 to 3)',
    );
    expect(failure(() => resolveShard({ count: 2, indexFromHostname: true }, undefined, host('vigil-2'))).message).toMatch(
      /^--shard\.index-from-hostname \(hostname "vigil-2"\): shard 2 does not exist with --shard\.count=2/,
    );
  });

  it('rejects a replication above the count or below 1, naming the flag', () => {
    expect(failure(() => resolveShard({ count: 3, index: 0, replication: 4 }, undefined, noHost)).message).toBe(
      '--shard.replication: 4 is more than --shard.count (3)',
    );
    expect(failure(() => resolveShard({ count: 3, index: 0, replication: 0 }, undefined, noHost)).message).toBe(
      '--shard.replication: must be at least 1, got 0',
    );
  });

  it('rejects a hostname without an ordinal, naming the flag', () => {
    expect(failure(() => resolveShard({ count: 3, indexFromHostname: true }, undefined, host('vigil'))).message).toBe(
      '--shard.index-from-hostname: hostname "vigil" has no ordinal (expected a StatefulSet pod name such as vigil-2)',
    );
  });

  it('rejects incomplete or contradictory settings', () => {
    expect(failure(() => resolveShard({ count: 3 }, undefined, noHost)).message).toBe('--shard.count needs --shard.index or --shard.index-from-hostname');
    expect(failure(() => resolveShard({ index: 1 }, undefined, noHost)).message).toBe('--shard.index needs --shard.count');
    expect(failure(() => resolveShard({ replication: 2 }, undefined, noHost)).message).toBe('--shard.replication needs --shard.count');
    expect(failure(() => resolveShard({ count: 0, index: 0 }, undefined, noHost)).message).toBe('--shard.count: must be a positive integer, got 0');
    expect(failure(() => resolveShard({ count: 3, index: 1, indexFromHostname: true }, undefined, host('vigil-1'))).message).toBe(
      '--shard.index and --shard.index-from-hostname are mutually exclusive',
    );
  });

  it('names the config key when the bad value comes from vigil.shard', () => {
    expect(failure(() => resolveShard({ count: 2 }, { index: 5 }, noHost)).message).toBe(
      'vigil.shard.index: shard 5 does not exist with --shard.count=2 (indexes run from 0 to 1)',
    );
    expect(failure(() => resolveShard({}, { count: 2, index: 0, replication: 3 }, noHost)).message).toBe(
      'vigil.shard.replication: 3 is more than vigil.shard.count (2)',
    );
  });
});
