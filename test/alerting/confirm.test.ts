import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { createNotifier } from '../../src/alerting/notifier.js';
import type { Notifier } from '../../src/alerting/notifier.js';
import type { PostableAlert } from '../../src/alerting/types.js';
import { silentLogger } from '../../src/log.js';

const AM = 'http://am-1.test:9093';
const R = 10_000;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

interface Stored { labels: Record<string, string>; annotations: Record<string, string>; endsAt: number; updatedAt: number }
/** A one-peer Alertmanager model: last writer's annotations, updatedAt on every POST, Date header. */
let store: Map<string, Stored>;
/** Each POST's effect on the alert: 'firing' or 'resolved', with time. */
let transitions: { at: number; state: 'firing' | 'resolved' }[];
let reachable: boolean;
const notifiers: Notifier[] = [];

function fakeAlertmanager(): void {
  server.use(
    http.post(`${AM}/api/v2/alerts`, async ({ request }) => {
      if (!reachable) return HttpResponse.error();
      const now = Date.now();
      for (const a of (await request.json()) as PostableAlert[]) {
        if (a.labels.alertname === 'Watchdog') continue;
        const endsAt = Date.parse(a.endsAt ?? '');
        const previous = store.get(fingerprint(a.labels));
        const keptEndsAt = previous && endsAt > now && previous.endsAt > endsAt ? previous.endsAt : endsAt;
        store.set(fingerprint(a.labels), { labels: a.labels, annotations: a.annotations, endsAt: keptEndsAt, updatedAt: now });
        const state = keptEndsAt <= now ? 'resolved' : 'firing';
        if (transitions.at(-1)?.state !== state) transitions.push({ at: now, state });
      }
      return new HttpResponse(null, { status: 200, headers: { date: new Date(Date.now()).toUTCString() } });
    }),
    http.get(`${AM}/api/v2/alerts`, () => {
      if (!reachable) return HttpResponse.error();
      const body = [...store].map(([fp, s]) => ({
        fingerprint: fp,
        labels: s.labels,
        annotations: s.annotations,
        endsAt: new Date(s.endsAt).toISOString(),
        updatedAt: new Date(s.updatedAt).toISOString(),
        startsAt: new Date(0).toISOString(),
      }));
      return HttpResponse.json(body, { headers: { date: new Date(Date.now()).toUTCString() } });
    }),
  );
}

const labels = { alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical' };
const replica = (name: string): Notifier => {
  const n = createNotifier({
    alertmanagers: [{ url: AM, timeoutMs: 1000 }],
    resendIntervalMs: R,
    registry: new Registry(),
    logger: silentLogger,
    clock: { now: () => Date.now() },
    replica: name,
    watchdog: false,
    random: () => 0.5,
  });
  notifiers.push(n);
  n.fire({ labels, annotations: { summary: 'api down', replica: name } });
  return n;
};
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  store = new Map();
  transitions = [];
  reachable = true;
  vi.useFakeTimers({ now: new Date('2024-05-01T00:00:00Z') });
  fakeAlertmanager();
});
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((n) => n.stop()));
  server.resetHandlers();
  vi.useRealTimers();
});

describe('resolve: confirm', () => {
  it('a recovered replica never resolves an alert another replica still refreshes; once all recover it resolves within 1.5 × resend-interval', async () => {
    const a = replica('a');
    const b = replica('b');
    await settle(R / 3);
    a.confirmResolve(labels, Date.now());
    await settle(20 * R); // b keeps failing for 20 resend intervals
    expect(transitions.map((t) => t.state)).toEqual(['firing']);
    expect(a.snapshot()[0]?.state).toBe('confirming');

    const lastRecoveredAt = Date.now();
    b.confirmResolve(labels, lastRecoveredAt);
    await settle(2 * R);
    expect(transitions.map((t) => t.state)).toEqual(['firing', 'resolved']);
    expect(transitions[1]!.at - lastRecoveredAt).toBeLessThanOrEqual(1.5 * R + 1_000);
    expect(a.snapshot()[0]?.state).toBe('resolved');
    expect(b.snapshot()[0]?.state).toBe('resolved');
  });

  it('a replica alone resolves one quiet window after its last send', async () => {
    const a = replica('a');
    await settle(R / 2);
    const at = Date.now();
    a.confirmResolve(labels, at);
    await settle(R);
    // last send at 0, quiet window 1.5 R: resolved 1.5 R after the last send (+ ≤ 1 s of Date rounding)
    expect(transitions.map((t) => t.state)).toEqual(['firing', 'resolved']);
    expect(transitions[1]!.at - (at - R / 2)).toBeGreaterThanOrEqual(1.5 * R);
    expect(transitions[1]!.at - (at - R / 2)).toBeLessThanOrEqual(1.5 * R + 1_000);
    expect(store.get(fingerprint(labels))?.endsAt).toBe(at);
  });

  it('while no peer answers, it neither resolves nor resends; it resolves once a peer answers', async () => {
    const a = replica('a');
    await settle(1_000);
    reachable = false;
    a.confirmResolve(labels, Date.now());
    await settle(5 * R);
    expect(transitions.map((t) => t.state)).toEqual(['firing']);
    store.clear(); // the peer restarted without the alert
    reachable = true;
    await settle(2 * R);
    expect(transitions.map((t) => t.state)).toEqual(['firing', 'resolved']);
  });

  it('failing again while confirming fires at once again, without a resolve in between', async () => {
    const a = replica('a');
    await settle(1_000);
    a.confirmResolve(labels, Date.now());
    await settle(R / 2);
    a.fire({ labels, annotations: { summary: 'api down', replica: 'a' } });
    expect(a.snapshot()[0]?.state).toBe('firing');
    await settle(5 * R);
    expect(transitions.map((t) => t.state)).toEqual(['firing']);
  });

  it('never resolves the Watchdog or an alert it never fired', () => {
    const a = replica('a');
    expect(a.confirmResolve({ alertname: 'Watchdog', severity: 'none' }, Date.now())).toBe(false);
    expect(a.confirmResolve({ ...labels, endpoint: 'other' }, Date.now())).toBe(false);
  });
});
