/**
 * Rendezvous (highest-random-weight) hashing with bounded loads: which R of N shards probe
 * each endpoint.
 *
 * Every shard computes the same answer from the endpoint keys alone, with no coordination.
 * Shard i's weight for a key is mix64(fnv1a64(key) XOR mix64(i + 1)); a key prefers the shards
 * with the highest weights. Plain HRW gives each key its top R shards, which is a multinomial
 * draw: at 10 000 keys and 10 shards one shard typically carries 10–15 % more than another. So
 * the keys are placed in a fixed order (by fnv1a64, then by key) and each takes its
 * highest-weight shards that still have room under ceil(R × keys / N); the loads then differ by
 * at most a few keys. Adding or removing a shard still moves about R/N of the assignments, and
 * those that move go to (or come from) the shard that changed.
 *
 * fnv1a64 is FNV-1a 64 over the key's UTF-8 bytes; mix64 is the SplitMix64 finalizer, which FNV
 * needs because FNV's bits of similar keys (`api-1`, `api-2`, ...) are correlated.
 */
const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** FNV-1a 64 of the UTF-8 bytes of text. */
export function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  return hash;
}

/** SplitMix64's finalizer: a bijection on 64-bit integers with full avalanche. */
export function mix64(value: bigint): bigint {
  let z = value & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

function shardSeeds(count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => mix64(BigInt(i + 1)));
}

/** Shard indexes 0..count-1 ordered by their weight for the key, highest first (ties: lower index). */
function ranking(keyHash: bigint, seeds: readonly bigint[]): number[] {
  const weights = seeds.map((seed) => mix64(keyHash ^ seed));
  return weights
    .map((_, i) => i)
    .sort((a, b) => {
      const wa = weights[a] as bigint;
      const wb = weights[b] as bigint;
      return wa === wb ? a - b : wa > wb ? -1 : 1;
    });
}

/** Shard indexes ordered by plain HRW preference for `key`, highest weight first. */
export function shardRanking(key: string, count: number): number[] {
  return ranking(fnv1a64(key), shardSeeds(count));
}

function checkCounts(count: number, replication: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  if (!Number.isInteger(replication) || replication < 1 || replication > count) {
    throw new RangeError(`replication must be an integer from 1 to ${count}, got ${replication}`);
  }
}

/**
 * The `replication` shards (indexes 0..count-1, ascending) that own each of `keys`. Pure and
 * order-independent: the same key set gives the same answer on every replica. Duplicate keys
 * count once.
 */
export function assignShards(keys: Iterable<string>, count: number, replication: number): Map<string, number[]> {
  checkCounts(count, replication);
  const items = [...new Set(keys)]
    .map((key) => ({ key, hash: fnv1a64(key) }))
    .sort((a, b) => (a.hash === b.hash ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.hash < b.hash ? -1 : 1));
  const capacity = Math.ceil((replication * items.length) / count);
  const seeds = shardSeeds(count);
  const loads = new Array<number>(count).fill(0);
  const owners = new Map<string, number[]>();
  for (const { key, hash } of items) {
    const ranked = ranking(hash, seeds);
    const chosen = ranked.filter((i) => (loads[i] as number) < capacity).slice(0, replication);
    // near the end the room left may sit on fewer than R shards: take the next preferred ones
    for (const i of ranked) if (chosen.length < replication && !chosen.includes(i)) chosen.push(i);
    for (const i of chosen) loads[i] = (loads[i] as number) + 1;
    owners.set(key, chosen.sort((a, b) => a - b));
  }
  return owners;
}
