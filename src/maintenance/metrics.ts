/** `vigil_endpoint_in_maintenance`: 1 while an endpoint is in a maintenance window, computed at scrape time. */
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { BASE_LABELS, extraLabelNames, extraLabels } from '../metrics/labels.js';
import { isUnderMaintenance } from './gate.js';

const NAME = 'vigil_endpoint_in_maintenance';

export interface MaintenanceMetrics {
  /** Call on every applied config: the label names follow the endpoints' extra labels. */
  update(config: Config): void;
}

export function createMaintenanceMetrics(registry: Registry, clock: Clock): MaintenanceMetrics {
  let extra: string[] | undefined;
  let config: Config | undefined;
  const build = (names: string[]): void => {
    extra = names;
    registry.removeSingleMetric(NAME);
    new Gauge({
      name: NAME,
      help: 'Whether the endpoint is in a maintenance window (global or its own): alerts do not change state then.',
      labelNames: [...BASE_LABELS, ...names],
      registers: [registry],
      collect() {
        this.reset();
        if (config === undefined) return;
        const now = clock.now();
        const all = [
          ...config.endpoints.filter((e) => e.enabled).map((e) => ({ e, type: e.kind as string })),
          ...config.externalEndpoints.filter((e) => e.enabled).map((e) => ({ e, type: 'external' })),
        ];
        for (const { e, type } of all) {
          const labels = { endpoint: e.name, group: e.group, type, ...extraLabels(e, names) };
          this.set(labels, isUnderMaintenance(config, e.maintenanceWindows, now) ? 1 : 0);
        }
      },
    });
  };
  return {
    update(next) {
      config = next;
      const names = extraLabelNames([...next.endpoints, ...next.externalEndpoints]);
      if (names.join('\u0000') !== extra?.join('\u0000')) build(names);
    },
  };
}
