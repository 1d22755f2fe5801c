import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAlerting } from '../../src/alerting/engine.js';
import type { AlertingOptions } from '../../src/alerting/engine.js';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import type { AlertInput } from '../../src/alerting/types.js';
import { loadConfig } from '../../src/config/load.js';
import { formatIssue } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { check } from './helpers.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config', 'gatus-escalation.yaml');

describe('Gatus escalation: several alerts of one type on an endpoint', () => {
  it('each alert of a repeated type gets threshold=<failure-threshold> (a user label wins); single types get none', async () => {
    const config = await loadConfig(FIXTURE, { env: {} });
    expect(config.endpoints[0]?.alerts.map((a) => [a.type, a.labels])).toEqual([
      ['slack', { threshold: '5' }],
      ['slack', { threshold: '10', send_resolved: 'false' }],
      ['slack', { threshold: 'page', send_resolved: 'false' }],
      ['pagerduty', { threshold: '3' }],
      ['pagerduty', { threshold: '3' }],
    ]);
    const warnings = config.warnings.map((w) => formatIssue({ ...w, file: basename(w.file) }));
    expect(warnings).toContain(
      'gatus-escalation.yaml:26:9 endpoints[0].alerts[4]: same type and failure-threshold as endpoints[0].alerts[3]: Alertmanager sees them as one alert',
    );
    const reminder = warnings.filter((w) => w.includes('minimum-reminder-interval'));
    expect(reminder.map((w) => w.split(': ')[0])).toEqual([
      'gatus-escalation.yaml:6:7 alerting.slack.default-alert.minimum-reminder-interval',
      'gatus-escalation.yaml:19:9 endpoints[0].alerts[1].minimum-reminder-interval',
    ]);
    expect(reminder[0]).toContain('repeat_interval');
  });

  it('fires three distinct Alertmanager alerts at 5, 10 and 15 failures, with the same fingerprints on every replica', async () => {
    const config = await loadConfig(FIXTURE, { env: {} });
    const ep = config.endpoints[0]!;
    const replicaFires = (replica: string) => {
      const fired: Array<[number, AlertInput]> = [];
      let at = 0;
      const notifier: AlertingOptions['notifier'] = {
        replica,
        fire: (alert) => (alert.startsAt !== undefined && fired.push([at, alert]), true),
        resolve: () => true,
        confirmResolve: () => true,
        expire: () => true,
        snapshot: () => [],
      };
      const alerting = createAlerting({ config, notifier, clock: { now: () => 0 }, logger: silentLogger });
      for (at = 1; at <= 15; at++) alerting.observe(check(ep, false, at * 1000));
      return fired.filter(([, a]) => a.labels.receiver_hint === 'slack').map(([n, a]) => [n, fingerprint(a.labels), a.labels.threshold]);
    };
    const a = replicaFires('vigil-a');
    expect(a.map(([n, , t]) => [n, t])).toEqual([
      [5, '5'],
      [10, '10'],
      [15, 'page'],
    ]);
    expect(new Set(a.map(([, f]) => f)).size).toBe(3);
    expect(replicaFires('vigil-b')).toEqual(a);
  });
});
