import { Gauge, type Registry } from 'prom-client';
import type { ShardSettings } from './settings.js';

export interface ShardMetrics {
  /** Sets vigil_shard_info to this replica's settings and vigil_shard_endpoints to what it probes. */
  update(settings: ShardSettings, ownedEndpoints: number): void;
}

export function createShardMetrics(registry: Registry): ShardMetrics {
  const info = new Gauge({
    name: 'vigil_shard_info',
    help: 'Constant 1, labelled by this replica\'s shard index, the shard count and the replication factor (count 1: sharding off).',
    labelNames: ['index', 'count', 'replication'],
    registers: [registry],
  });
  const endpoints = new Gauge({
    name: 'vigil_shard_endpoints',
    help: 'Endpoints this replica probes (and external endpoints whose heartbeat it watches).',
    registers: [registry],
  });
  return {
    update(settings, ownedEndpoints) {
      info.reset();
      info.set({ index: String(settings.index), count: String(settings.count), replication: String(settings.replication) }, 1);
      endpoints.set(ownedEndpoints);
    },
  };
}
