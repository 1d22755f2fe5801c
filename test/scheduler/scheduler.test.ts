import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createLimiter } from '../../src/scheduler/limiter.js';
import { hashString, phaseOffsetMs } from '../../src/scheduler/phase.js';
import { createScheduler, type Schedulable } from '../../src/scheduler/scheduler.js';

interface Job extends Schedulable {
  durationMs: number;
}

function harness(limit = 100, firstRunSpreadMs = 10_000) {
  const starts: Array<{ key: string; at: number }> = [];
  const skipped: string[] = [];
  const scheduler = createScheduler<Job>({
    limiter: createLimiter(limit),
    logger: silentLogger,
    firstRunSpreadMs,
    onSkipped: (job) => skipped.push(job.key),
    run: (job, signal) => {
      starts.push({ key: job.key, at: Date.now() });
      if (job.durationMs === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(resolve, job.durationMs);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  });
  return { scheduler, starts, skipped };
}

describe('scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each endpoint on its own interval, first at its hash phase', async () => {
    const { scheduler, starts } = harness();
    scheduler.update([
      { key: 'a', intervalMs: 1_000, durationMs: 10 },
      { key: 'b', intervalMs: 5_000, durationMs: 10 },
    ]);
    await vi.advanceTimersByTimeAsync(20_000);
    const a = starts.filter((s) => s.key === 'a').map((s) => s.at - 1_000_000);
    const b = starts.filter((s) => s.key === 'b').map((s) => s.at - 1_000_000);
    const phaseA = phaseOffsetMs('a', 1_000);
    const phaseB = phaseOffsetMs('b', 5_000);
    expect(a[0]).toBe(phaseA);
    expect(b[0]).toBe(phaseB);
    expect(a.slice(1).map((t, i) => t - (a[i] ?? 0))).toEqual(Array(a.length - 1).fill(1_000));
    expect(b.slice(1).map((t, i) => t - (b[i] ?? 0))).toEqual(Array(b.length - 1).fill(5_000));
    await scheduler.stop(0);
  });

  it('gives the first run of an interval within the spread a whole interval: no skip at start, whenever it starts', async () => {
    vi.setSystemTime(1_000_250); // not on the 1 s grid
    const { scheduler, starts, skipped } = harness();
    scheduler.update(Array.from({ length: 50 }, (_, i) => ({ key: `ep-${i}`, intervalMs: 1_000, durationMs: 800 })));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(skipped).toEqual([]);
    for (let i = 0; i < 50; i++) {
      const at = starts.filter((s) => s.key === `ep-${i}`).map((s) => s.at);
      expect(at[0]! % 1_000).toBe(phaseOffsetMs(`ep-${i}`, 1_000));
      expect(at.slice(1).map((t, j) => t - at[j]!)).toEqual(Array(at.length - 1).fill(1_000));
    }
    await scheduler.stop(0);
  });

  it('spreads 1000 endpoints with the same interval over the interval instead of firing at once', async () => {
    const { scheduler, starts } = harness(2_000);
    scheduler.update(Array.from({ length: 1000 }, (_, i) => ({ key: `ep-${i}`, intervalMs: 10_000, durationMs: 1 })));
    await vi.advanceTimersByTimeAsync(9_999);
    const perSecond = new Map<number, number>();
    for (const s of starts) perSecond.set(Math.floor((s.at - 1_000_000) / 1000), (perSecond.get(Math.floor((s.at - 1_000_000) / 1000)) ?? 0) + 1);
    expect(starts).toHaveLength(1000);
    expect(perSecond.size).toBe(10);
    for (const count of perSecond.values()) expect(count).toBeLessThan(160);
    await scheduler.stop(0);
  });

  it('never overlaps a slow endpoint with itself: a late tick is counted as skipped, not queued', async () => {
    const { scheduler, starts, skipped } = harness();
    scheduler.update([{ key: 'slow', intervalMs: 1_000, durationMs: 2_500 }]);
    await vi.advanceTimersByTimeAsync(phaseOffsetMs('slow', 1_000) + 6_100);
    // runs at t0, t0+3s, t0+6s; ticks at +1s,+2s,+4s,+5s are skipped
    expect(starts).toHaveLength(3);
    expect(skipped).toHaveLength(4);
    await scheduler.stop(0);
  });

  it('caps global concurrency with the limiter', async () => {
    const { scheduler, starts } = harness(2);
    scheduler.update(Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, intervalMs: 60_000, durationMs: 30_000 })));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(starts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts.length).toBeGreaterThanOrEqual(6);
    await scheduler.stop(0);
  });

  it('keeps the schedule of unchanged endpoints on update and stops removed ones', async () => {
    const { scheduler, starts } = harness();
    scheduler.update([
      { key: 'keep', intervalMs: 1_000, durationMs: 1 },
      { key: 'drop', intervalMs: 1_000, durationMs: 1 },
    ]);
    await vi.advanceTimersByTimeAsync(3_000);
    const before = starts.filter((s) => s.key === 'keep').map((s) => s.at % 1_000);
    scheduler.update([{ key: 'keep', intervalMs: 1_000, durationMs: 1 }]);
    const dropCount = starts.filter((s) => s.key === 'drop').length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(starts.filter((s) => s.key === 'drop')).toHaveLength(dropCount);
    const after = starts.filter((s) => s.key === 'keep').map((s) => s.at % 1_000);
    expect(new Set([...before, ...after]).size).toBe(1);
    expect(scheduler.size).toBe(1);
    await scheduler.stop(0);
  });

  it('stop() waits for in-flight runs up to the grace period, then aborts them', async () => {
    const { scheduler, starts } = harness();
    scheduler.update([{ key: 'long', intervalMs: 100_000, durationMs: 60_000 }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(starts).toHaveLength(1);
    let settled = false;
    const stopping = scheduler.stop(2_000).then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await stopping;
    expect(settled).toBe(true);
    await vi.advanceTimersByTimeAsync(200_000);
    expect(starts).toHaveLength(1);
  });

  it('in steady state spreads endpoints over the whole interval, not over the first-run spread', async () => {
    const { scheduler, starts } = harness(10_000, 5_000);
    const count = 2_000;
    scheduler.update(Array.from({ length: count }, (_, i) => ({ key: `ep-${i}`, intervalMs: 10_000, durationMs: 0 })));
    await vi.advanceTimersByTimeAsync(30_000);
    // first runs fall within the 5 s spread...
    expect(starts.filter((s) => s.at - 1_000_000 < 5_000)).toHaveLength(count);
    // ...then every 1 s of the interval carries a tenth of the endpoints (binomial: 200 ± 14)
    const perSecond = new Array<number>(10).fill(0);
    for (const s of starts) {
      const t = s.at - 1_000_000;
      const bucket = Math.floor((t - 20_000) / 1_000);
      if (t >= 20_000 && t < 30_000) perSecond[bucket] = (perSecond[bucket] ?? 0) + 1;
    }
    expect(perSecond.reduce((a, b) => a + b, 0)).toBe(count);
    for (const n of perSecond) {
      expect(n).toBeGreaterThan(140);
      expect(n).toBeLessThan(260);
    }
    await scheduler.stop(0);
  });

  it('runs each endpoint at hash(key) mod interval on the epoch grid, the same on every replica', async () => {
    const a = harness();
    a.scheduler.update([{ key: 'api', intervalMs: 7_000, durationMs: 0 }]);
    await vi.advanceTimersByTimeAsync(1_234); // a second replica starting later
    const b = harness();
    b.scheduler.update([{ key: 'api', intervalMs: 7_000, durationMs: 0 }]);
    await vi.advanceTimersByTimeAsync(40_000);
    const steady = (starts: Array<{ at: number }>) => starts.slice(1).map((s) => s.at);
    for (const at of [...steady(a.starts), ...steady(b.starts)]) expect(at % 7_000).toBe(hashString('api') % 7_000);
    expect(steady(a.starts).slice(-3)).toEqual(steady(b.starts).slice(-3));
    await a.scheduler.stop(0);
    await b.scheduler.stop(0);
  });

  it('keeps one live timer for 1000 endpoints', async () => {
    const { scheduler } = harness(2_000);
    scheduler.update(Array.from({ length: 1000 }, (_, i) => ({ key: `ep-${i}`, intervalMs: 10_000, durationMs: 0 })));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(vi.getTimerCount()).toBe(1);
    await scheduler.stop(0);
  });
});
