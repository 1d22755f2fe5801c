export { assignShards, fnv1a64, mix64, shardRanking } from './rendezvous.js';
export { createOwnership } from './ownership.js';
export type { Ownership } from './ownership.js';
export { createShardMetrics } from './metrics.js';
export type { ShardMetrics } from './metrics.js';
export { hostnameOrdinal, resolveShard, SHARDING_OFF, ShardSettingsError } from './settings.js';
export type { ShardInput, ShardSettings } from './settings.js';
