import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotifier } from '../../src/alerting/notifier.js';
import type { Notifier } from '../../src/alerting/notifier.js';
import { inPeerTime, peerOffsetMs } from '../../src/alerting/peer-queue.js';
import type { PostableAlert } from '../../src/alerting/types.js';
import { recordingLogger } from './helpers.js';

const AM = 'http://am-1.test:9093';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
const T0 = Date.parse('2024-05-01T00:00:00Z');
const R = 10_000;

describe('alert times in the peer\'s time', () => {
  it('estimates the offset from the Date header (rounded down to the second), ignoring less than 2 s', () => {
    expect(peerOffsetMs({ receivedAt: T0 })).toBe(0);
    expect(peerOffsetMs({ receivedAt: T0 + 700, peerTime: T0 })).toBe(0);
    expect(peerOffsetMs({ receivedAt: T0, peerTime: T0 - 30_000 })).toBe(-29_500);
    expect(peerOffsetMs({ receivedAt: T0, peerTime: T0 + 25_000 })).toBe(25_500);
  });

  it('shifts startsAt and endsAt only', () => {
    const alert: PostableAlert = { labels: { a: 'b' }, annotations: {}, startsAt: new Date(T0).toISOString(), endsAt: new Date(T0 + R).toISOString() };
    expect(inPeerTime(alert, 0)).toBe(alert);
    expect(inPeerTime(alert, -30_000)).toEqual({ ...alert, startsAt: new Date(T0 - 30_000).toISOString(), endsAt: new Date(T0 + R - 30_000).toISOString() });
  });

  describe('a replica whose clock is 60 s behind the peer\'s', () => {
    let notifier: Notifier | undefined;
    const received: { at: number; alerts: PostableAlert[] }[] = [];
    beforeEach(() => {
      vi.useFakeTimers({ now: T0 });
      server.use(
        http.post(`${AM}/api/v2/alerts`, async ({ request }) => {
          received.push({ at: Date.now(), alerts: (await request.json()) as PostableAlert[] });
          return new HttpResponse(null, { status: 200, headers: { date: new Date(Date.now() + 60_000).toUTCString() } });
        }),
      );
    });
    afterEach(async () => {
      await notifier?.stop();
      server.resetHandlers();
      vi.useRealTimers();
    });

    it('sends endsAt in the peer\'s future after the first reply, and warns once', async () => {
      const { logger, records } = recordingLogger();
      notifier = createNotifier({
        alertmanagers: [{ url: AM, timeoutMs: 1000 }],
        resendIntervalMs: R,
        registry: new Registry(),
        logger,
        clock: { now: () => Date.now() },
        replica: 'r',
        random: () => 0.5,
      });
      await vi.advanceTimersByTimeAsync(3 * R);
      const ends = received.map((r) => Date.parse(r.alerts[0]!.endsAt!) - r.at);
      // first copy: local time (4 × R ahead locally = 20 s in the peer's past); then the peer's time
      expect(ends[0]).toBe(4 * R);
      expect(ends.slice(1)).toEqual([4 * R + 60_500, 4 * R + 60_500, 4 * R + 60_500]);
      expect(records.filter((r) => r.msg.startsWith('alertmanager clock differs')).map((r) => r.offset_seconds)).toEqual([61]);
    });
  });
});
