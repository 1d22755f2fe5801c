import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { createNotifier } from '../../src/alerting/notifier.js';
import type { Notifier, NotifierOptions } from '../../src/alerting/notifier.js';
import type { PostableAlert } from '../../src/alerting/types.js';
import { silentLogger } from '../../src/log.js';
import { recordingLogger } from './helpers.js';

const AM1 = 'http://am-1.test:9093';
const AM2 = 'http://am-2.test:9093';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

interface Received { peer: string; at: number; alerts: PostableAlert[]; contentType: string | null; authorization: string | null }
let received: Received[];
let notifier: Notifier | undefined;

/** Records every POST; answers with the next status of `statuses` (the last one repeats). */
function accept(base: string, ...statuses: (number | 'hang')[]): void {
  let call = 0;
  server.use(
    http.post(`${base}/api/v2/alerts`, async ({ request }) => {
      received.push({
        peer: base,
        at: Date.now(),
        alerts: (await request.json()) as PostableAlert[],
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
      });
      const status = statuses[Math.min(call++, statuses.length - 1)] ?? 200;
      if (status === 'hang') return new Promise<never>(() => undefined);
      if (status === 400) return HttpResponse.json('bad label "x-y"', { status });
      return new HttpResponse(status >= 300 ? 'broken' : null, { status });
    }),
  );
}

const T0 = Date.parse('2024-05-01T00:00:00Z');
const R = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const settle = (ms = 0): Promise<void> => vi.advanceTimersByTimeAsync(ms).then(() => undefined);
const alert = (name: string, extra: Record<string, string> = {}) => ({
  labels: { alertname: 'EndpointDown', endpoint: name, group: 'core', severity: 'critical', ...extra },
  annotations: { summary: `${name} down`, replica: 'vigil-0' },
});
const to = (peer: string) => received.filter((r) => r.peer === peer);
const copies = (peer: string, endpoint: string) =>
  to(peer).flatMap((r) => r.alerts.filter((a) => a.labels.endpoint === endpoint).map((a) => ({ at: r.at, ...a })));

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const m = registry.getSingleMetric(name.replace(/_count$/, ''));
  if (!m) return undefined;
  const values = (await m.get()).values as { metricName?: string; labels: Record<string, string | number | undefined>; value: number }[];
  return values.find(
    (v) =>
      (v.metricName ?? name) === name && Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  )?.value;
}

function start(overrides: Partial<NotifierOptions> = {}): Notifier {
  notifier = createNotifier({
    alertmanagers: [{ url: AM1, timeoutMs: 1000 }, { url: AM2, timeoutMs: 1000 }],
    resendIntervalMs: 60_000,
    registry: new Registry(),
    logger: silentLogger,
    clock: { now: () => Date.now() },
    replica: 'vigil-0',
    random: () => 0.5,
    ...overrides,
  });
  return notifier;
}

beforeEach(() => {
  received = [];
  vi.useFakeTimers({ now: new Date('2024-05-01T00:00:00Z') });
});
afterEach(async () => {
  await notifier?.stop();
  notifier = undefined;
  server.resetHandlers();
  vi.useRealTimers();
});

describe('notifier', () => {
  it('sends an always-firing Watchdog (severity none) to every peer as JSON', async () => {
    accept(AM1);
    accept(AM2);
    const n = start();
    await settle();
    for (const peer of [AM1, AM2]) {
      expect(to(peer)).toHaveLength(1);
      expect(to(peer)[0]?.contentType).toBe('application/json');
      expect(to(peer)[0]?.alerts).toEqual([
        expect.objectContaining({ labels: { alertname: 'Watchdog', severity: 'none' }, startsAt: iso(T0), endsAt: iso(T0 + 4 * R) }),
      ]);
    }
    expect(n.snapshot().map((a) => [a.labels.alertname, a.state, a.fingerprint])).toEqual([
      ['Watchdog', 'firing', fingerprint({ alertname: 'Watchdog', severity: 'none' })],
    ]);
    await settle(10 * R);
    expect(to(AM1)).toHaveLength(11);
  });

  it('sends a new firing alert to every peer at once, then resends every resend-interval with endsAt = now + 4x', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    await settle(5_000);
    n.fire({ ...alert('api'), startsAt: T0 });
    await settle();
    await settle(2 * R);
    for (const peer of [AM1, AM2]) {
      expect(copies(peer, 'api').map((c) => [c.at - T0, c.startsAt, c.endsAt])).toEqual([
        [5_000, iso(T0), iso(T0 + 5_000 + 4 * R)],
        [5_000 + R, iso(T0), iso(T0 + 5_000 + 5 * R)],
        [5_000 + 2 * R, iso(T0), iso(T0 + 5_000 + 6 * R)],
      ]);
    }
    const [snap] = n.snapshot();
    expect(snap).toMatchObject({ state: 'firing', since: T0 + 5_000, lastSentAt: T0 + 5_000 + 2 * R, endsAt: T0 + 5_000 + 6 * R });
    expect(snap?.deliveries.map((d) => [d.alertmanager, d.status])).toEqual([[`${AM1}/`, 'sent'], [`${AM2}/`, 'sent']]);
  });

  it('firing an alert that already fires only refreshes its annotations', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    n.fire(alert('api'));
    await settle(1_000);
    n.fire({ ...alert('api'), annotations: { summary: 'still down', replica: 'vigil-0' } });
    await settle(1_000);
    expect(copies(AM1, 'api')).toHaveLength(1);
    await settle(R);
    expect(copies(AM1, 'api').at(-1)?.annotations.summary).toBe('still down');
  });

  it('sends batches of at most 64 alerts, every batch to every peer', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    for (let i = 0; i < 150; i++) n.fire(alert(`e${i}`));
    await settle();
    for (const peer of [AM1, AM2]) {
      expect(to(peer).map((r) => r.alerts.length)).toEqual([64, 64, 22]);
      expect(new Set(to(peer).flatMap((r) => r.alerts.map((a) => a.labels.endpoint))).size).toBe(150);
    }
  });

  it('a hanging peer does not delay the others', async () => {
    accept(AM1, 'hang');
    accept(AM2);
    const n = start({ watchdog: false, alertmanagers: [{ url: AM1, timeoutMs: 30_000 }, { url: AM2, timeoutMs: 30_000 }] });
    n.fire(alert('api'));
    await settle(10);
    n.fire(alert('db'));
    await settle(10);
    expect(copies(AM2, 'api').map((c) => c.at - T0)).toEqual([0]);
    expect(copies(AM2, 'db').map((c) => c.at - T0)).toEqual([10]);
    expect(to(AM1)).toHaveLength(1);
  });

  it('retries 5xx answers with exponential backoff and jitter, then counts the alerts sent', async () => {
    accept(AM1, 503, 503, 503, 200);
    accept(AM2);
    const registry = new Registry();
    const n = start({ watchdog: false, registry, backoff: { initialMs: 1_000, maxMs: 3_000 } });
    n.fire(alert('api'));
    await settle(10_000);
    // random() = 0.5: delay = ceiling/2 + 0.5 * ceiling/2 with ceiling 1000, 2000, 3000 (capped)
    expect(copies(AM1, 'api').map((c) => c.at - T0)).toEqual([0, 750, 750 + 1_500, 750 + 1_500 + 2_250]);
    const label = { alertmanager: `${AM1}/` };
    expect(await metric(registry, 'vigil_notifications_errors_total', label)).toBe(3);
    expect(await metric(registry, 'vigil_notifications_sent_total', label)).toBe(1);
    expect(await metric(registry, 'vigil_notifications_sent_total', { alertmanager: `${AM2}/` })).toBe(1);
    expect(await metric(registry, 'vigil_alertmanagers_configured')).toBe(2);
    expect(await metric(registry, 'vigil_notification_latency_seconds_count', label)).toBe(4);
  });

  it('retries a peer that does not answer within its timeout', async () => {
    accept(AM1, 'hang', 200);
    accept(AM2);
    const n = start({ watchdog: false, backoff: { initialMs: 1_000, maxMs: 1_000 } });
    n.fire(alert('api'));
    await settle(5_000);
    // timeout 1000 ms, then a 750 ms backoff
    expect(copies(AM1, 'api').map((c) => c.at - T0)).toEqual([0, 1_750]);
    expect(n.snapshot()[0]?.deliveries.find((d) => d.alertmanager === `${AM1}/`)?.status).toBe('sent');
  });

  it('does not retry a 4xx answer; logs the peer\'s message; tries again only at the next resend', async () => {
    accept(AM1, 400, 200);
    accept(AM2);
    const { logger, records } = recordingLogger();
    const registry = new Registry();
    const n = start({ watchdog: false, logger, registry });
    n.fire(alert('api'));
    await settle(R - 1);
    expect(copies(AM1, 'api')).toHaveLength(1);
    expect(await metric(registry, 'vigil_notifications_errors_total', { alertmanager: `${AM1}/` })).toBe(1);
    const delivery = n.snapshot()[0]?.deliveries.find((d) => d.alertmanager === `${AM1}/`);
    expect(delivery).toMatchObject({ status: 'rejected', error: expect.stringContaining('bad label "x-y"') });
    const rejected = records.filter((r) => r.msg === 'alertmanager rejected alerts');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ level: 'error', alertmanager: `${AM1}/`, status: 400, code: 'VIGIL_ALERTMANAGER_REJECTED' });
    expect(String(rejected[0]?.err)).toContain('bad label "x-y"');
    await settle(1);
    expect(copies(AM1, 'api')).toHaveLength(2);
  });

  it('drops the oldest alerts when a peer\'s queue is full, and counts them', async () => {
    accept(AM1, 503, 200);
    accept(AM2);
    const registry = new Registry();
    const n = start({ watchdog: false, registry, queueCapacity: 3, backoff: { initialMs: 1_000, maxMs: 1_000 } });
    for (const name of ['a', 'b', 'c']) n.fire(alert(name));
    await settle(100);
    for (const name of ['d', 'e']) n.fire(alert(name));
    await settle(1_000);
    const batches = to(AM1).map((r) => r.alerts.map((a) => a.labels.endpoint));
    expect(batches).toEqual([['a', 'b', 'c'], ['c', 'd', 'e']]);
    expect(await metric(registry, 'vigil_notifications_dropped_total', { alertmanager: `${AM1}/` })).toBe(2);
    expect(await metric(registry, 'vigil_notifications_dropped_total', { alertmanager: `${AM2}/` })).toBe(0);
    const a = n.snapshot().find((s) => s.labels.endpoint === 'a');
    expect(a?.deliveries.map((d) => [d.alertmanager, d.status])).toEqual([[`${AM1}/`, 'dropped'], [`${AM2}/`, 'sent']]);
  });

  it('keeps one queued copy per alert: a resend replaces the copy waiting for a retry', async () => {
    accept(AM1, 503, 200);
    accept(AM2);
    const n = start({ watchdog: false, backoff: { initialMs: 2 * R, maxMs: 2 * R } });
    n.fire(alert('api'));
    await settle(R + 1);
    // the first attempt failed at 0; the retry waits 90 s; the resend at 60 s replaced the queued copy
    expect(n.peers().find((p) => p.alertmanager === `${AM1}/`)).toEqual({ alertmanager: `${AM1}/`, health: 'down', queued: 1 });
    await settle(40_000);
    expect(to(AM1).map((r) => [r.at - T0, r.alerts.map((a) => a.endsAt)])).toEqual([
      [0, [iso(T0 + 4 * R)]],
      [90_000, [iso(T0 + 5 * R)]],
    ]);
  });

  it('sends a resolve with endsAt = recovery time, resends it for 15 minutes, then forgets it', async () => {
    accept(AM1);
    accept(AM2);
    const registry = new Registry();
    const n = start({ watchdog: false, registry });
    n.fire(alert('api'));
    await settle(30_000);
    expect(n.resolve(alert('api').labels, T0 + 25_000)).toBe(true);
    await settle();
    expect(n.snapshot()[0]).toMatchObject({ state: 'resolved', since: T0 + 25_000, endsAt: T0 + 25_000 });
    await settle(20 * R);
    for (const peer of [AM1, AM2]) {
      const resolved = copies(peer, 'api').filter((c) => c.endsAt === iso(T0 + 25_000));
      // sent at 30 s, then every minute while now < recovery + 15 min
      expect(resolved.map((c) => c.at - T0)).toEqual(Array.from({ length: 15 }, (_, k) => 30_000 + k * R));
      expect(copies(peer, 'api')).toHaveLength(16);
      // vigil_alerts_sent_total splits the accepted copies by status
      expect(await metric(registry, 'vigil_alerts_sent_total', { alertmanager: `${peer}/`, status: 'firing' })).toBe(1);
      expect(await metric(registry, 'vigil_alerts_sent_total', { alertmanager: `${peer}/`, status: 'resolved' })).toBe(15);
    }
    expect(n.snapshot()).toEqual([]);
  });

  it('an alert that fires again while its resolve is still being resent re-opens with a new startsAt', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    n.fire(alert('api'));
    await settle(R / 2);
    n.resolve(alert('api').labels, T0 + R / 2);
    await settle(R / 2);
    n.fire(alert('api'));
    await settle();
    expect(copies(AM1, 'api').map((c) => [c.at - T0, c.startsAt, c.endsAt])).toEqual([
      [0, iso(T0), iso(T0 + 4 * R)],
      [R / 2, iso(T0), iso(T0 + R / 2)],
      [R, iso(T0 + R), iso(T0 + 5 * R)],
    ]);
    expect(n.snapshot()[0]).toMatchObject({ state: 'firing', since: T0 + R });
  });

  it('stop() aborts requests in flight and sends nothing more', async () => {
    accept(AM1, 'hang');
    accept(AM2);
    const n = start({ watchdog: true });
    await settle();
    await n.stop();
    expect(n.fire(alert('api'))).toBe(false);
    await settle(5 * R);
    expect(received.map((r) => r.at - T0)).toEqual([0, 0]);
  });

  it('never sends a resolve for an alert it never fired', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    expect(n.resolve(alert('api').labels, T0)).toBe(false);
    await settle(R);
    expect(received).toEqual([]);
  });

  it('an expiring alert is no longer sent and is forgotten after its last endsAt', async () => {
    accept(AM1);
    accept(AM2);
    const n = start({ watchdog: false });
    n.fire(alert('api'));
    await settle(1_000);
    expect(n.expire(alert('api').labels)).toBe(true);
    expect(n.snapshot()[0]).toMatchObject({ state: 'expiring', endsAt: T0 + 4 * R });
    await settle(4 * R - 1_001);
    expect(n.snapshot()).toHaveLength(1);
    await settle(1);
    expect(n.snapshot()).toEqual([]);
    expect(copies(AM1, 'api')).toHaveLength(1);
  });

  it('never sends an alert Alertmanager would reject; logs and counts it', async () => {
    accept(AM1);
    accept(AM2);
    const { logger, records } = recordingLogger();
    const registry = new Registry();
    const n = start({ watchdog: false, logger, registry });
    expect(n.fire({ labels: { alertname: 'X', 'bad-name': 'v' }, annotations: {} })).toBe(false);
    expect(n.fire({ labels: {}, annotations: {} })).toBe(false);
    await settle(R);
    expect(received).toEqual([]);
    expect(await metric(registry, 'vigil_notifications_invalid_total')).toBe(2);
    expect(records.filter((r) => r.msg.startsWith('alert not sent'))).toHaveLength(2);
  });

  it('logs an unreachable peer once when it goes down and once when it comes back', async () => {
    accept(AM1, 503, 503, 503, 503, 200);
    accept(AM2);
    const { logger, records } = recordingLogger();
    start({ logger, backoff: { initialMs: 100, maxMs: 100 } });
    await settle(1_000);
    const am1 = records.filter((r) => r.alertmanager === `${AM1}/`).map((r) => [r.level, r.msg]);
    expect(am1).toEqual([
      ['warn', 'alertmanager unreachable, retrying with backoff'],
      ['info', 'alertmanager reachable again'],
    ]);
    expect(records.filter((r) => r.alertmanager === `${AM2}/`)).toEqual([]);
    expect(to(AM1)).toHaveLength(5);
  });

  it('updateTargets: a new peer gets the current alerts at once; a removed peer gets nothing more', async () => {
    accept(AM1);
    accept(AM2);
    const registry = new Registry();
    const n = start({ alertmanagers: [{ url: AM1, timeoutMs: 1000 }], registry });
    n.fire(alert('api'));
    await settle(10_000);
    n.updateTargets([{ url: AM2, timeoutMs: 1000 }]);
    await settle();
    expect(to(AM2).map((r) => [r.at - T0, r.alerts.map((a) => a.labels.alertname).sort()])).toEqual([[10_000, ['EndpointDown', 'Watchdog']]]);
    await settle(2 * R);
    expect(to(AM1).every((r) => r.at === T0)).toBe(true);
    expect(await metric(registry, 'vigil_alertmanagers_configured')).toBe(1);
    expect(await metric(registry, 'vigil_notifications_sent_total', { alertmanager: `${AM1}/` })).toBeUndefined();
    expect(n.peers()).toEqual([{ alertmanager: `${AM2}/`, health: 'up', queued: 0 }]);
  });

  it('sends credentials as headers and never shows them in metric labels', async () => {
    accept(AM1);
    accept(AM2);
    const registry = new Registry();
    start({
      registry,
      alertmanagers: [
        { url: 'http://vigil:s3cret-pw@am-1.test:9093', timeoutMs: 1000 },
        { url: AM2, timeoutMs: 1000, bearerToken: 'tok-123456' },
      ],
    });
    await settle();
    expect(to(AM1)[0]?.authorization).toBe(`Basic ${Buffer.from('vigil:s3cret-pw').toString('base64')}`);
    expect(to(AM2)[0]?.authorization).toBe('Bearer tok-123456');
    const text = await registry.metrics();
    expect(text).not.toContain('s3cret-pw');
    expect(text).toContain('vigil_notifications_sent_total{alertmanager="http://vigil:<redacted>@am-1.test:9093/"} 1');
  });
});
