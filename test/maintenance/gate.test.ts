import { describe, expect, it } from 'vitest';
import { createAlerting } from '../../src/alerting/engine.js';
import type { AlertingOptions } from '../../src/alerting/engine.js';
import { silentLogger } from '../../src/log.js';
import { gateAlerting, keyUnderMaintenance } from '../../src/maintenance/gate.js';
import type { MaintenanceWindow } from '../../src/maintenance/window.js';
import { check, config, endpoint } from '../alerting/helpers.js';

const MIN = 60_000;
// Monday 1 Jan 2024, 02:00 UTC: the window below runs 02:00–03:00 UTC every day.
const T0 = Date.UTC(2024, 0, 1, 1, 50);
const nightly: MaintenanceWindow = { startMinutes: 120, durationMs: 60 * MIN, timezone: 'UTC', every: [] };

function setup(globalWindows: MaintenanceWindow[], ownWindows: MaintenanceWindow[]) {
  const ep = endpoint({ maintenanceWindows: ownWindows });
  const cfg = { ...config([ep]), maintenance: globalWindows };
  const sent: string[] = [];
  const notifier: AlertingOptions['notifier'] = {
    replica: 'r1',
    fire: () => (sent.push('fire'), true),
    resolve: () => (sent.push('resolve'), true),
    confirmResolve: () => (sent.push('resolve'), true),
    expire: () => (sent.push('expire'), true),
    snapshot: () => [],
  };
  const alerting = createAlerting({ config: cfg, notifier, clock: { now: () => T0 }, logger: silentLogger });
  const gated = gateAlerting(alerting, () => cfg);
  /** One check per minute from `from`, ok or not. */
  const feed = (from: number, results: boolean[]) => results.forEach((ok, i) => gated.observe(check(ep, ok, from + i * MIN)));
  const counts = () => alerting.snapshot().rules.map((r) => [r.consecutiveFailures, r.consecutiveSuccesses, r.triggered]);
  return { sent, feed, counts, cfg, ep };
}

describe.each([
  ['global maintenance:', [nightly], []],
  ['endpoint maintenance-windows:', [], [nightly]],
] as const)('%s', (_name, globalWindows, ownWindows) => {
  it('sends no alert for failures inside the window, and keeps the counts it had before', () => {
    const { sent, feed, counts } = setup([...globalWindows], [...ownWindows]);
    feed(T0, [false, false]); // 01:50, 01:51: two failures before the window
    feed(T0 + 15 * MIN, [false, false, false, false, false]); // 02:05..02:09: inside
    expect(sent).toEqual([]);
    expect(counts()).toEqual([[2, 0, false]]);
    feed(T0 + 75 * MIN, [false]); // 03:05: the third failure in a row outside the window fires
    expect(sent).toEqual(['fire']);
  });

  it('does not resolve an alert that was firing before the window, even if the endpoint recovers inside it', () => {
    const { sent, feed, counts } = setup([...globalWindows], [...ownWindows]);
    feed(T0, [false, false, false]); // fires at 01:52
    expect(sent).toEqual(['fire']);
    feed(T0 + 15 * MIN, [true, true, true, true]);
    expect(sent).toEqual(['fire']);
    expect(counts()).toEqual([[3, 0, true]]);
    feed(T0 + 75 * MIN, [true, true]); // after the window: success-threshold 2 resolves
    expect(sent).toEqual(['fire', 'resolve']);
  });
});

describe('keyUnderMaintenance', () => {
  it('answers per endpoint key: global windows apply to every endpoint, own windows to one', () => {
    const { cfg, ep } = setup([], [nightly]);
    expect(keyUnderMaintenance(cfg, ep.key, T0 + 15 * MIN)).toBe(true);
    expect(keyUnderMaintenance(cfg, ep.key, T0)).toBe(false);
    expect(keyUnderMaintenance(cfg, 'other', T0 + 15 * MIN)).toBe(false);
    const global = { ...cfg, maintenance: [nightly] };
    expect(keyUnderMaintenance(global, 'other', T0 + 15 * MIN)).toBe(true);
  });
});
