/**
 * `vigil_endpoint_in_maintenance`: 1 while an endpoint is in a maintenance window. Each series is
 * computed from the clock when it is written, so the sliced exposition writes it series by series
 * (a prom-client collect() would rebuild every endpoint's series on one tick of each scrape).
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { extraLabelNames, extraLabels } from '../metrics/labels.js';
import { GaugeFamily } from '../metrics/series.js';
import { isUnderMaintenance } from './gate.js';

export interface MaintenanceMetrics {
  /** Call on every applied config: one series per enabled endpoint, with its extra labels. */
  update(config: Config): void;
}

export function createMaintenanceMetrics(registry: Registry, clock: Clock): MaintenanceMetrics {
  const family = new GaugeFamily(registry, {
    name: 'vigil_endpoint_in_maintenance',
    help: 'Whether the endpoint is in a maintenance window (global or its own): alerts do not change state then.',
  });
  return {
    update(config) {
      const names = extraLabelNames([...config.endpoints, ...config.externalEndpoints]);
      const all = [
        ...config.endpoints.filter((e) => e.enabled).map((e) => ({ e, type: e.kind as string })),
        ...config.externalEndpoints.filter((e) => e.enabled).map((e) => ({ e, type: 'external' })),
      ];
      family.reset();
      for (const { e, type } of all) {
        const windows = e.maintenanceWindows;
        family.addComputed({ endpoint: e.name, group: e.group, type, ...extraLabels(e, names) }, () => (isUnderMaintenance(config, windows, clock.now()) ? 1 : 0));
      }
    },
  };
}
