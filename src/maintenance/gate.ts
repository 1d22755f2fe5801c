/**
 * Gatus' maintenance semantics in front of the alerting sink: while the global window or one of
 * the endpoint's windows is active, results are not fed to alerting at all. So no alert fires
 * and none resolves; consecutive failure/success counts are kept as they were, and an alert
 * firing before the window stays firing (the notifier keeps re-asserting it to Alertmanager,
 * so it does not lapse into a "resolved").
 */
import type { CheckResult, CheckSink } from '../check/types.js';
import type { Config } from '../config/schema.js';
import { inMaintenance } from './window.js';
import type { MaintenanceWindow } from './window.js';

/** Whether an endpoint with these windows is under maintenance at `nowMs` under `config`. */
export function isUnderMaintenance(config: Pick<Config, 'maintenance'>, windows: readonly MaintenanceWindow[], nowMs: number): boolean {
  return inMaintenance(config.maintenance, nowMs) || inMaintenance(windows, nowMs);
}

const windowsCache = new WeakMap<Config, Map<string, readonly MaintenanceWindow[]>>();

/** Whether the endpoint (or external endpoint) with this key is under maintenance at `nowMs`. */
export function keyUnderMaintenance(config: Config, key: string, nowMs: number): boolean {
  let byKey = windowsCache.get(config);
  if (byKey === undefined) {
    byKey = new Map([...config.endpoints, ...config.externalEndpoints].map((e) => [e.key, e.maintenanceWindows]));
    windowsCache.set(config, byKey);
  }
  return isUnderMaintenance(config, byKey.get(key) ?? [], nowMs);
}

export function gateAlerting(alerting: CheckSink, getConfig: () => Pick<Config, 'maintenance'>): CheckSink {
  return {
    observe(check: CheckResult): void {
      if (isUnderMaintenance(getConfig(), check.endpoint.maintenanceWindows, check.timestamp)) return;
      alerting.observe(check);
    },
  };
}
