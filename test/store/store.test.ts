import { describe, expect, it } from 'vitest';
import { createStore, HOUR_MS } from '../../src/store/index.js';
import { createRing } from '../../src/store/ring.js';
import { makeCheck, makeClock, makeEndpoint } from '../helpers/fixtures.js';

describe('ring', () => {
  it('keeps at most capacity items and drops the oldest first', () => {
    const ring = createRing<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
    expect(ring.fromNewest(0, 2)).toEqual([4, 5]);
    expect(ring.fromNewest(2, 2)).toEqual([3]);
    expect(ring.fromNewest(5, 2)).toEqual([]);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => createRing(0)).toThrow(RangeError);
  });
});

describe('store', () => {
  const api = makeEndpoint({ name: 'api' });
  const web = makeEndpoint({ name: 'web' });

  it('bounds the history per endpoint to historySize', () => {
    const clock = makeClock();
    const store = createStore({ historySize: 5, clock });
    for (let i = 0; i < 12; i += 1) store.observe(makeCheck(api, { timestamp: clock.now() - (12 - i) * 1000 }));
    expect(store.count(api.key)).toBe(5);
    const all = store.history(api.key);
    expect(all).toHaveLength(5);
    expect(all.map((c) => c.timestamp)).toEqual([...all.map((c) => c.timestamp)].sort((a, b) => a - b));
    expect(store.latest(api.key)?.timestamp).toBe(clock.now() - 1000);
  });

  it('pages from the newest end like Gatus: page 1 is the most recent, oldest first inside', () => {
    const clock = makeClock();
    const store = createStore({ historySize: 10, clock });
    for (let i = 0; i < 7; i += 1) store.observe(makeCheck(api, { timestamp: i }));
    expect(store.history(api.key, 1, 3).map((c) => c.timestamp)).toEqual([4, 5, 6]);
    expect(store.history(api.key, 2, 3).map((c) => c.timestamp)).toEqual([1, 2, 3]);
    expect(store.history(api.key, 3, 3).map((c) => c.timestamp)).toEqual([0]);
    expect(store.history(api.key, 4, 3)).toEqual([]);
    expect(store.history('nope', 1, 3)).toEqual([]);
  });

  it('computes uptime and average response time from hourly buckets beyond the raw history', () => {
    const clock = makeClock(Date.UTC(2024, 0, 31, 0, 30));
    const store = createStore({ historySize: 2, clock });
    const now = clock.now();
    // 10 days ago: 4 failures, 300ms
    for (let i = 0; i < 4; i += 1) store.observe(makeCheck(api, { timestamp: now - 10 * 24 * HOUR_MS, success: false, result: { responseTimeMs: 300 } }));
    // 3 days ago: 4 successes, 100ms
    for (let i = 0; i < 4; i += 1) store.observe(makeCheck(api, { timestamp: now - 3 * 24 * HOUR_MS, result: { responseTimeMs: 100 } }));
    // now: 1 success, 1 failure, 50ms
    store.observe(makeCheck(api, { timestamp: now - 60_000, result: { responseTimeMs: 50 } }));
    store.observe(makeCheck(api, { timestamp: now - 30_000, success: false, result: { responseTimeMs: 50 } }));

    expect(store.count(api.key)).toBe(2);
    expect(store.uptime(api.key, '1h')).toBe(0.5);
    expect(store.uptime(api.key, '24h')).toBe(0.5);
    expect(store.uptime(api.key, '7d')).toBeCloseTo(5 / 6);
    expect(store.uptime(api.key, '30d')).toBeCloseTo(5 / 10);
    expect(store.averageResponseTimeMs(api.key, '24h')).toBe(50);
    expect(store.averageResponseTimeMs(api.key, '30d')).toBe((4 * 300 + 4 * 100 + 100) / 10);
    expect(store.uptime(web.key, '24h')).toBeUndefined();
  });

  it('forgets hours older than 30 days, with fixed memory', () => {
    const clock = makeClock(Date.UTC(2024, 2, 1));
    const store = createStore({ historySize: 1, clock });
    store.observe(makeCheck(api, { timestamp: clock.now() - 40 * 24 * HOUR_MS, success: false }));
    store.observe(makeCheck(api, { timestamp: clock.now() - 1000 }));
    expect(store.uptime(api.key, '30d')).toBe(1);
    expect(store.hourly(api.key, '30d')).toHaveLength(1);
    // the slot of an hour exactly 721 hours earlier is reused, not appended to
    store.observe(makeCheck(api, { timestamp: clock.now() - 1000 - 721 * HOUR_MS, success: false }));
    expect(store.uptime(api.key, '30d')).toBe(1);
  });

  it('retain() drops endpoints removed from the config', () => {
    const store = createStore({ historySize: 3, clock: makeClock() });
    store.observe(makeCheck(api));
    store.observe(makeCheck(web));
    store.retain(new Set([web.key]));
    expect(store.has(api.key)).toBe(false);
    expect(store.latest(api.key)).toBeUndefined();
    expect(store.keys()).toEqual([web.key]);
  });
});
