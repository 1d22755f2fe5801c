/**
 * Per-hour success/total counters for the last 30 days, so uptime over 1h/24h/7d/30d does not
 * need 30 days of raw results. The hours that had results are kept oldest first in two typed arrays
 * (24 bytes an hour, outside the JS heap) that grow by doubling up to retention + 1 hours: a fresh
 * endpoint holds two, and 30 days cost 17 KB, where one object per hour in a Map cost 90 KB
 * (900 MB at 10 000 endpoints) and summing a window allocated a copy of every hour in it.
 */
export const HOUR_MS = 3_600_000;
export const UPTIME_RETENTION_HOURS = 30 * 24;

export interface HourBucket {
  /** Epoch ms of the start of the hour. */
  hourStartMs: number;
  total: number;
  successes: number;
  /** Sum of response times in this hour, for averages. */
  responseTimeSumMs: number;
}

export interface UptimeBuckets {
  record(timestampMs: number, success: boolean, responseTimeMs: number): void;
  /** Adds counts kept elsewhere (a restart's archive) to their hour. */
  add(bucket: HourBucket): void;
  /**
   * Buckets whose hour overlaps [nowMs - windowMs, nowMs], oldest first. Granularity is one hour,
   * so a 1h window covers the current and the previous hour.
   */
  window(nowMs: number, windowMs: number): HourBucket[];
  /** The sums of window(nowMs, windowMs), without building it. */
  sum(nowMs: number, windowMs: number): Omit<HourBucket, 'hourStartMs'>;
}

/** Hours held by a fresh endpoint; doubled as hours accumulate, up to retention + 1. */
const INITIAL_HOURS = 2;

export function createUptimeBuckets(retentionHours: number = UPTIME_RETENTION_HOURS): UptimeBuckets {
  // one extra hour so the current partial hour never pushes out the oldest retained hour
  const maxHours = retentionHours + 1;
  // hour i: numbers[2i] its hour (epoch ms / HOUR_MS), numbers[2i+1] its response-time sum;
  // counts[2i] its total, counts[2i+1] its successes. Sorted by hour, `size` of them.
  let numbers = new Float64Array(2 * INITIAL_HOURS);
  let counts = new Uint32Array(2 * INITIAL_HOURS);
  let size = 0;

  const hourAt = (i: number): number => numbers[2 * i] as number;
  const dropOldest = (n: number): void => {
    numbers.copyWithin(0, 2 * n, 2 * size);
    counts.copyWithin(0, 2 * n, 2 * size);
    size -= n;
  };
  /** Makes room for one more hour at `at` (shifting the newer ones), growing or dropping the oldest. */
  const open = (at: number, hour: number): number => {
    if (size === numbers.length / 2) {
      if (size < maxHours) {
        const grown = Math.min(maxHours, size * 2);
        const n = new Float64Array(2 * grown);
        const c = new Uint32Array(2 * grown);
        n.set(numbers);
        c.set(counts);
        numbers = n;
        counts = c;
      } else {
        dropOldest(1);
        at -= 1;
        if (at < 0) return -1; // older than everything kept, and no room
      }
    }
    numbers.copyWithin(2 * at + 2, 2 * at, 2 * size);
    counts.copyWithin(2 * at + 2, 2 * at, 2 * size);
    numbers[2 * at] = hour;
    numbers[2 * at + 1] = 0;
    counts[2 * at] = 0;
    counts[2 * at + 1] = 0;
    size += 1;
    return at;
  };
  /** Index of the hour holding `timestampMs`, or -1 when that hour is past retention. */
  const indexOf = (timestampMs: number): number => {
    const hour = Math.floor(timestampMs / HOUR_MS);
    const newest = size > 0 ? hourAt(size - 1) : hour;
    if (hour <= newest - maxHours) return -1; // older than retention: drop
    let at = size;
    while (at > 0 && hourAt(at - 1) > hour) at -= 1;
    if (at > 0 && hourAt(at - 1) === hour) return at - 1;
    if (at === size) {
      // a new newest hour: the hours it pushes past retention go first
      let expired = 0;
      while (expired < size && hourAt(expired) <= hour - maxHours) expired += 1;
      if (expired > 0) {
        dropOldest(expired);
        at -= expired;
      }
    }
    return open(at, hour);
  };
  const addAt = (i: number, total: number, successes: number, responseTimeSumMs: number): void => {
    counts[2 * i] = (counts[2 * i] as number) + total;
    counts[2 * i + 1] = (counts[2 * i + 1] as number) + successes;
    numbers[2 * i + 1] = (numbers[2 * i + 1] as number) + responseTimeSumMs;
  };
  /**
   * Calls `visit` with the index of each hour overlapping [nowMs - windowMs, nowMs] within retention,
   * newest first: a 24h window reads 25 hours, not all 721.
   */
  const each = (nowMs: number, windowMs: number, visit: (i: number) => void): void => {
    const from = nowMs - windowMs;
    const oldest = nowMs - retentionHours * HOUR_MS - HOUR_MS;
    for (let i = size - 1; i >= 0; i--) {
      const startMs = hourAt(i) * HOUR_MS;
      if (startMs + HOUR_MS <= from || startMs < oldest) return;
      if (startMs <= nowMs) visit(i);
    }
  };

  return {
    record(timestampMs, success, responseTimeMs) {
      const i = indexOf(timestampMs);
      if (i >= 0) addAt(i, 1, success ? 1 : 0, Math.max(0, responseTimeMs));
    },
    add(kept) {
      const i = indexOf(kept.hourStartMs);
      if (i >= 0) addAt(i, kept.total, kept.successes, kept.responseTimeSumMs);
    },
    window(nowMs, windowMs) {
      const out: HourBucket[] = [];
      each(nowMs, windowMs, (i) => {
        out.push({ hourStartMs: hourAt(i) * HOUR_MS, total: counts[2 * i] as number, successes: counts[2 * i + 1] as number, responseTimeSumMs: numbers[2 * i + 1] as number });
      });
      return out.reverse();
    },
    sum(nowMs, windowMs) {
      const out = { total: 0, successes: 0, responseTimeSumMs: 0 };
      each(nowMs, windowMs, (i) => {
        out.total += counts[2 * i] as number;
        out.successes += counts[2 * i + 1] as number;
        out.responseTimeSumMs += numbers[2 * i + 1] as number;
      });
      return out;
    },
  };
}
