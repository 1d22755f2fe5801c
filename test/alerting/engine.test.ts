import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAlerting } from '../../src/alerting/engine.js';
import type { AlertingOptions } from '../../src/alerting/engine.js';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { createNotifier } from '../../src/alerting/notifier.js';
import type { Notifier } from '../../src/alerting/notifier.js';
import type { AlertInput, PostableAlert } from '../../src/alerting/types.js';
import type { Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { check, config, endpoint, rule } from './helpers.js';

type Call =
  | ['fire', AlertInput]
  | ['resolve' | 'confirmResolve', Record<string, string>, number]
  | ['expire', Record<string, string>];

function fakeNotifier(): AlertingOptions['notifier'] & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    replica: 'vigil-0',
    fire: (alert) => (calls.push(['fire', alert]), true),
    resolve: (labels, at) => (calls.push(['resolve', { ...labels }, at]), true),
    confirmResolve: (labels, at) => (calls.push(['confirmResolve', { ...labels }, at]), true),
    expire: (labels) => (calls.push(['expire', { ...labels }]), true),
    snapshot: () => [],
  };
}

const clock = { now: () => 1_000_000 };
const api = endpoint();
const down = { alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical', receiver_hint: 'slack' };

function engine(cfg: Config = config([api])) {
  const notifier = fakeNotifier();
  const alerting = createAlerting({ config: cfg, notifier, clock, logger: silentLogger });
  const feed = (results: boolean[], start = 0, ep = api) => results.forEach((ok, i) => alerting.observe(check(ep, ok, start + i * 1000)));
  return { notifier, alerting, feed, kinds: () => notifier.calls.map((c) => c[0]) };
}

describe('alerting engine', () => {
  it('fires once after failure-threshold failures, with startsAt = when it fired and failing_since = first failure of the streak', () => {
    const { notifier, feed } = engine();
    feed([true, false, false, false, false]);
    const fires = notifier.calls.filter((c) => c[0] === 'fire');
    // failures at 1000, 2000, 3000: the third fires (an alert older than group_wait when it reaches Alertmanager is flushed at once)
    expect(fires[0]).toEqual(['fire', expect.objectContaining({ labels: down, startsAt: 3000 })]);
    expect((fires[0]?.[1] as AlertInput).annotations.failing_since).toBe(new Date(1000).toISOString());
    expect((fires[1]?.[1] as AlertInput).annotations.failing_since).toBe(new Date(1000).toISOString());
    // the 4th failure only refreshes annotations of the same alert
    expect(fires.map((c) => (c[1] as AlertInput).labels)).toEqual([down, down]);
  });

  it('puts the failing conditions and the replica into annotations, never into labels', () => {
    const { notifier, alerting } = engine();
    const failing = [{ condition: '[STATUS] == 200', success: false, rendered: '[STATUS] (503) == 200' }];
    for (let i = 0; i < 3; i++) alerting.observe(check(api, false, i, failing));
    const [, alert] = notifier.calls[0] as ['fire', AlertInput];
    expect(alert.annotations).toMatchObject({ failing_conditions: '[STATUS] (503) == 200', replica: 'vigil-0' });
    expect(alert.labels).not.toHaveProperty('replica');
  });

  it('names an alert CertificateExpiringSoon when only certificate conditions fail', () => {
    const { notifier, alerting } = engine();
    const cert = [
      { condition: '[STATUS] == 200', success: true, rendered: '[STATUS] == 200' },
      { condition: '[CERTIFICATE_EXPIRATION] > 48h', success: false, rendered: '[CERTIFICATE_EXPIRATION] (20h) > 48h' },
    ];
    for (let i = 0; i < 3; i++) alerting.observe(check(api, false, i, cert));
    expect((notifier.calls[0]?.[1] as AlertInput).labels.alertname).toBe('CertificateExpiringSoon');
  });

  it('resolve: explicit sends the resolve at the recovering check\'s time, even without send-on-resolved', () => {
    const ep = endpoint({ alerts: [rule({ sendOnResolved: false })] });
    const { notifier, feed } = engine(config([ep]));
    feed([false, false, false, true, true, true], 0, ep);
    expect(notifier.calls.filter((c) => c[0] !== 'fire')).toEqual([['resolve', down, 4000]]);
  });

  it('resolve: confirm hands the recovery to the notifier to resolve once no other replica reports it', () => {
    const { notifier, feed } = engine(config([api], { resolve: 'confirm' }));
    feed([false, false, false, true, true]);
    expect(notifier.calls.filter((c) => c[0] !== 'fire')).toEqual([['confirmResolve', down, 4000]]);
  });

  it('resolve: expire only stops resending', () => {
    const { notifier, feed } = engine(config([api], { resolve: 'expire' }));
    feed([false, false, false, true, true]);
    expect(notifier.calls.filter((c) => c[0] !== 'fire')).toEqual([['expire', down]]);
  });

  it('never resolves an alert this replica never fired', () => {
    const { kinds, feed } = engine();
    feed([false, false, true, true, true]);
    expect(kinds()).toEqual([]);
  });

  it('runs every enabled rule separately and skips disabled rules and endpoints', () => {
    const ep = endpoint({ alerts: [rule({ type: 'slack' }), rule({ type: 'email', failureThreshold: 1 }), rule({ type: 'pagerduty', enabled: false })] });
    const off = endpoint({ name: 'off', enabled: false });
    const { notifier, feed } = engine(config([ep, off]));
    feed([false, false, false], 0, ep);
    feed([false, false, false], 0, off);
    expect(notifier.calls.filter((c) => c[0] === 'fire').map((c) => (c[1] as AlertInput).labels.receiver_hint)).toEqual([
      'email', // fires on the 1st failure
      'email', // 2nd failure: annotations refresh
      'slack', // fires on the 3rd failure
      'email', // 3rd failure: annotations refresh
    ]);
  });

  it('on reload resolves firing alerts of removed endpoints and rules', () => {
    const db = endpoint({ name: 'db' });
    const { notifier, feed, alerting } = engine(config([api, db]));
    feed([false, false, false], 0, api);
    feed([false, false, false], 0, db);
    alerting.updateConfig(config([db]));
    expect(notifier.calls.filter((c) => c[0] === 'resolve')).toEqual([['resolve', down, 1_000_000]]);
    expect(alerting.snapshot().rules.map((r) => r.endpoint)).toEqual(['db']);
    alerting.updateConfig(config([endpoint({ name: 'db', alerts: [] })]));
    expect(notifier.calls.filter((c) => c[0] === 'resolve')).toHaveLength(2);
  });

  it('on reload with changed labels ends the old alert and fires the new one', () => {
    const { notifier, feed, alerting } = engine();
    feed([false, false, false]);
    notifier.calls.length = 0;
    alerting.updateConfig(config([endpoint({ alerts: [rule({ severity: 'warning' })] })], { externalLabels: { region: 'eu' } }));
    expect(notifier.calls).toEqual([
      ['resolve', down, 1_000_000],
      ['fire', expect.objectContaining({ labels: { ...down, severity: 'warning', region: 'eu' }, startsAt: 1_000_000 })],
    ]);
    expect(alerting.snapshot().rules[0]?.fingerprint).toBe(fingerprint({ ...down, severity: 'warning', region: 'eu' }));
  });

  it('snapshot shows each rule\'s counters', () => {
    const { feed, alerting } = engine();
    feed([false, false]);
    expect(alerting.snapshot().rules).toEqual([
      { endpoint: 'api', group: 'core', key: 'core_api', type: 'slack', consecutiveFailures: 2, consecutiveSuccesses: 0, triggered: false },
    ]);
  });
});

describe('alerting engine + notifier (two replicas, msw)', () => {
  const server = setupServer();
  const received: PostableAlert[][] = [];
  const notifiers: Notifier[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    await Promise.all(notifiers.map((n) => n.stop()));
    vi.useRealTimers();
  });
  afterAll(() => server.close());

  it('both replicas send identical labels (one fingerprint) and differ only in the replica annotation', async () => {
    vi.useFakeTimers({ now: 0 });
    server.use(
      http.post('http://am.test:9093/api/v2/alerts', async ({ request }) => {
        received.push((await request.json()) as PostableAlert[]);
        return new HttpResponse(null, { status: 200 });
      }),
    );
    for (const replica of ['vigil-a', 'vigil-b']) {
      const notifier = createNotifier({
        alertmanagers: [{ url: 'http://am.test:9093', timeoutMs: 1000 }],
        resendIntervalMs: 60_000,
        registry: new Registry(),
        logger: silentLogger,
        clock: { now: () => Date.now() },
        replica,
        watchdog: false,
      });
      notifiers.push(notifier);
      const alerting = createAlerting({ config: config([api]), notifier, clock: { now: () => Date.now() }, logger: silentLogger });
      for (let i = 0; i < 3; i++) alerting.observe(check(api, false, i * 1000));
    }
    await vi.advanceTimersByTimeAsync(0);
    const sent = received.flat();
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((a) => fingerprint(a.labels)))).toEqual(new Set([fingerprint(down)]));
    expect(sent.map((a) => a.annotations.replica).sort()).toEqual(['vigil-a', 'vigil-b']);
  });
});
