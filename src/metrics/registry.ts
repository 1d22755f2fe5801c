import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { REVISION, VERSION } from '../version.js';
import { PROM_CLIENT_MONITOR_MS, registerEventLoopDelay } from './event-loop.js';

const DEFAULT_LABELS = new WeakMap<Registry, Readonly<Record<string, string>>>();

/** The labels createRegistry put on every series of `registry` (prom-client keeps them private). */
export function defaultLabelsOf(registry: Registry): Readonly<Record<string, string>> {
  return DEFAULT_LABELS.get(registry) ?? {};
}

/**
 * A fresh registry with process metrics and vigil_build_info. Never the global registry.
 * `defaultLabels` (e.g. --location) go on every series it exports.
 */
export function createRegistry(defaultLabels: Readonly<Record<string, string>> = {}): Registry {
  const registry = new Registry();
  if (Object.keys(defaultLabels).length > 0) {
    registry.setDefaultLabels({ ...defaultLabels });
    DEFAULT_LABELS.set(registry, { ...defaultLabels });
  }
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: PROM_CLIENT_MONITOR_MS });
  registerEventLoopDelay(registry);
  // prom-client names these gauges *_total, which promtool rejects for non-counters; the
  // per-type series (nodejs_active_handles{type}) carry the same information.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const buildInfo = new Gauge({
    name: 'vigil_build_info',
    help: 'A metric with a constant 1 value labelled by version, revision and Node.js version of vigil.',
    labelNames: ['version', 'revision', 'nodejs'],
    registers: [registry],
  });
  buildInfo.set({ version: VERSION, revision: REVISION, nodejs: process.version }, 1);
  return registry;
}

export interface ConfigMetrics {
  reloaded(success: boolean, atMs: number): void;
}

export function createConfigMetrics(registry: Registry): ConfigMetrics {
  const successful = new Gauge({
    name: 'vigil_config_last_reload_successful',
    help: 'Whether the last configuration reload attempt was successful.',
    registers: [registry],
  });
  const timestamp = new Gauge({
    name: 'vigil_config_last_reload_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration reload.',
    registers: [registry],
  });
  return {
    reloaded(success, atMs) {
      successful.set(success ? 1 : 0);
      if (success) timestamp.set(atMs / 1000);
    },
  };
}
