import { describe, expect, it } from 'vitest';
import { assignShards, fnv1a64, mix64, shardRanking } from '../../src/shard/rendezvous.js';

/** 10 000 keys shaped like Gatus endpoint keys: `<group>_<name>`. */
const KEYS = Array.from({ length: 10_000 }, (_, i) => `group-${i % 37}_api-${i}`);

function loads(owners: Map<string, number[]>, count: number): number[] {
  const out = new Array<number>(count).fill(0);
  for (const shards of owners.values()) for (const i of shards) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/** Assignments (key, shard) present in `after` but not in `before`. */
function moved(before: Map<string, number[]>, after: Map<string, number[]>): { total: number; to: number[] } {
  const to: number[] = [];
  for (const [key, shards] of after) for (const i of shards) if (!before.get(key)?.includes(i)) to.push(i);
  return { total: to.length, to };
}

const CASES = [3, 4, 5, 6, 7, 8, 9, 10].flatMap((count) => [1, 2, 3].map((replication) => ({ count, replication })));

describe('rendezvous hashing', () => {
  it('FNV-1a 64 matches the reference vectors; mix64 is SplitMix64', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
    // SplitMix64 with seed 0: the first output is mix64(0x9e3779b97f4a7c15)
    expect(mix64(0x9e3779b97f4a7c15n)).toBe(0xe220a8397b1dcdafn);
  });

  it('gives every key exactly R distinct shards, the same whatever the order of the keys', () => {
    const sample = KEYS.slice(0, 500);
    const a = assignShards(sample, 5, 2);
    const b = assignShards([...sample].reverse(), 5, 2);
    expect(a.size).toBe(500);
    for (const [key, shards] of a) {
      expect(new Set(shards).size).toBe(2);
      expect(shards.every((i) => i >= 0 && i < 5)).toBe(true);
      expect(b.get(key)).toEqual(shards);
    }
  });

  it.each(CASES)('balances 10 000 endpoints on $count shards at R=$replication within max/min ≤ 1.1', ({ count, replication }) => {
    const load = loads(assignShards(KEYS, count, replication), count);
    expect(load.reduce((a, b) => a + b, 0)).toBe(KEYS.length * replication);
    expect(Math.max(...load) / Math.min(...load)).toBeLessThanOrEqual(1.1);
  });

  it.each(CASES)('adding a shard to $count at R=$replication moves about R/(N+1) of the assignments, to the new shard', ({ count, replication }) => {
    const before = assignShards(KEYS, count, replication);
    const after = assignShards(KEYS, count + 1, replication);
    const ideal = (KEYS.length * replication) / (count + 1);
    const { total, to } = moved(before, after);
    expect(total).toBeGreaterThanOrEqual(ideal * 0.9);
    expect(total).toBeLessThanOrEqual(ideal * 1.15);
    expect(to.filter((i) => i === count).length / total).toBeGreaterThanOrEqual(0.9);
  });

  it.each(CASES.filter((c) => c.count > c.replication))(
    'removing the last of $count shards at R=$replication moves about the assignments it held',
    ({ count, replication }) => {
      const before = assignShards(KEYS, count, replication);
      const after = assignShards(KEYS, count - 1, replication);
      const held = loads(before, count)[count - 1] ?? 0;
      expect(moved(before, after).total).toBeLessThanOrEqual(held * 1.15);
    },
  );

  it('adding or removing an endpoint moves only a handful of the others', () => {
    const before = assignShards(KEYS, 7, 2);
    const added = assignShards([...KEYS, 'new_endpoint'], 7, 2);
    const removed = assignShards(KEYS.slice(1), 7, 2);
    expect(moved(before, added).total - 2).toBeLessThanOrEqual(20);
    expect(moved(before, removed).total).toBeLessThanOrEqual(20);
  });

  it('with capacity to spare, a key gets its plain HRW top shards', () => {
    const owners = assignShards(['core_api'], 6, 3);
    expect(owners.get('core_api')).toEqual(shardRanking('core_api', 6).slice(0, 3).sort((a, b) => a - b));
  });

  it('rejects counts out of range', () => {
    expect(() => assignShards(KEYS, 0, 1)).toThrow(RangeError);
    expect(() => assignShards(KEYS, 3, 4)).toThrow(RangeError);
    expect(() => assignShards(KEYS, 3, 0)).toThrow(RangeError);
  });
});
