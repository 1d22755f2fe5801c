import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUptimeBuckets, HOUR_MS, type HourBucket } from '../../src/store/uptime.js';

/** The rule, written plainly: one bucket per hour; an hour older than retention + 1 behind the newest is dropped. */
function model(retentionHours: number) {
  const byHour = new Map<number, HourBucket>();
  let newest: number | undefined;
  const bucketOf = (ms: number): HourBucket | undefined => {
    const hour = Math.floor(ms / HOUR_MS);
    if (newest !== undefined && hour <= newest - (retentionHours + 1)) return undefined;
    newest = Math.max(newest ?? hour, hour);
    for (const h of byHour.keys()) if (h <= newest - (retentionHours + 1)) byHour.delete(h);
    let b = byHour.get(hour);
    if (!b) byHour.set(hour, (b = { hourStartMs: hour * HOUR_MS, total: 0, successes: 0, responseTimeSumMs: 0 }));
    return b;
  };
  return {
    record(ms: number, ok: boolean, rt: number) {
      const b = bucketOf(ms);
      if (b) Object.assign(b, { total: b.total + 1, successes: b.successes + (ok ? 1 : 0), responseTimeSumMs: b.responseTimeSumMs + Math.max(0, rt) });
    },
    window(now: number, windowMs: number): HourBucket[] {
      return [...byHour.values()]
        .filter((b) => b.hourStartMs + HOUR_MS > now - windowMs && b.hourStartMs <= now && b.hourStartMs >= now - retentionHours * HOUR_MS - HOUR_MS)
        .sort((a, b) => a.hourStartMs - b.hourStartMs)
        .map((b) => ({ ...b }));
    },
  };
}

const T0 = Date.UTC(2026, 0, 1);

describe('uptime buckets', () => {
  it('match the plain rule for any order of results and of questions: late ones, ones past retention, gaps longer than retention', () => {
    const step = fc.record({
      // mostly forward in time, sometimes back (a late result) or far ahead (a gap)
      advanceMs: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: HOUR_MS }), weight: 8 },
        { arbitrary: fc.integer({ min: -30 * HOUR_MS, max: 0 }), weight: 2 },
        { arbitrary: fc.integer({ min: 0, max: 60 * HOUR_MS }), weight: 1 },
      ),
      ok: fc.boolean(),
      rt: fc.integer({ min: -5, max: 5000 }),
      // now and then a question between results, as the page asks while results arrive (kept sums)
      askAfterMs: fc.option(fc.integer({ min: -HOUR_MS, max: 3 * HOUR_MS }), { freq: 3 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.array(step, { maxLength: 120, size: 'max' }), fc.integer({ min: 0, max: 3 * HOUR_MS }), (retention, steps, after) => {
        const real = createUptimeBuckets(retention);
        const plain = model(retention);
        const windows = [HOUR_MS, 24 * HOUR_MS, retention * HOUR_MS, 1000 * HOUR_MS, 10 * HOUR_MS];
        const agree = (now: number, all: boolean): void => {
          for (const windowMs of windows) {
            const expected = plain.window(now, windowMs);
            if (all) expect(real.window(now, windowMs)).toEqual(expected);
            const sum = real.sum(now, windowMs);
            expect(sum.total).toBe(expected.reduce((n, b) => n + b.total, 0));
            expect(sum.successes).toBe(expected.reduce((n, b) => n + b.successes, 0));
            expect(sum.responseTimeSumMs).toBeCloseTo(expected.reduce((n, b) => n + b.responseTimeSumMs, 0), 6);
          }
        };
        let t = T0;
        let latest = T0;
        for (const s of steps) {
          t = Math.max(T0, t + s.advanceMs);
          latest = Math.max(latest, t);
          real.record(t, s.ok, s.rt);
          plain.record(t, s.ok, s.rt);
          if (s.askAfterMs !== null) agree(latest + s.askAfterMs, false);
        }
        agree(latest + after, true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps 30 days of hours and forgets the 31st', () => {
    const buckets = createUptimeBuckets();
    for (let h = 0; h <= 24 * 31; h++) buckets.record(T0 + h * HOUR_MS, h % 2 === 0, 10);
    const now = T0 + 24 * 31 * HOUR_MS;
    const kept = buckets.window(now, 40 * 24 * HOUR_MS);
    expect(kept).toHaveLength(24 * 30 + 1);
    expect(kept[0]?.hourStartMs).toBe(now - 24 * 30 * HOUR_MS);
    expect(buckets.sum(now, 40 * 24 * HOUR_MS).total).toBe(24 * 30 + 1);
  });
});
