/**
 * Per-hour success/total counters for the last 30 days, so uptime over 1h/24h/7d/30d does not
 * need 30 days of raw results. The hours that had results are kept oldest first in one flat array of
 * numbers (32 bytes an hour): 30 days cost ~28 KB of heap and a fresh endpoint ~300 bytes, where one
 * object per hour in a Map cost 90 KB (900 MB at 10 000 endpoints) and ~650 bytes, and summing a
 * window copied every hour in it. A window's sum keeps the part before the newest hour, which changes
 * only when hours come or go or a late result lands: 10 000 endpoints' summaries after 30 days took
 * ~600 ms with the Map, ~110 ms summing every hour, and ~15 ms now.
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

/** Numbers per hour in the flat list: its hour (epoch ms / HOUR_MS), total, successes, response-time sum. */
const STRIDE = 4;
/** Numbers per kept window sum: window ms, first and last index, `changes` then, and the three sums. */
const SUM_STRIDE = 7;
/** Windows whose sums are kept (the page asks for 1h, 24h, 7d and 30d). */
const MAX_CACHED_WINDOWS = 4;
/** Windows spanning fewer hours are summed each time (a young endpoint keeps no sums). */
const MIN_CACHED_HOURS = 8;

/**
 * One endpoint's hours (a class, so 10 000 endpoints share its methods). The hours with results,
 * oldest first, flat in a packed array of doubles with no pointers for the GC to follow.
 */
class HourCounts implements UptimeBuckets {
  private readonly hours: number[] = [];
  /** Bumped whenever an hour before the newest changes, or hours are added or expire. */
  private changes = 0;
  /** Kept sums of the hours before the newest in a window, SUM_STRIDE numbers per window; made when first needed. */
  private sums: number[] | undefined;
  // one extra hour so the current partial hour never pushes out the oldest retained hour
  private readonly maxHours: number;

  constructor(private readonly retentionHours: number) {
    this.maxHours = retentionHours + 1;
  }

  record(timestampMs: number, success: boolean, responseTimeMs: number): void {
    const i = this.indexOf(timestampMs);
    if (i >= 0) this.addAt(i, 1, success ? 1 : 0, Math.max(0, responseTimeMs));
  }

  add(kept: HourBucket): void {
    const i = this.indexOf(kept.hourStartMs);
    if (i >= 0) this.addAt(i, kept.total, kept.successes, kept.responseTimeSumMs);
  }

  window(nowMs: number, windowMs: number): HourBucket[] {
    const out: HourBucket[] = [];
    const h = this.hours;
    for (let i = this.lowest(nowMs, windowMs), last = this.highest(nowMs); i <= last; i++) {
      const at = STRIDE * i;
      out.push({ hourStartMs: (h[at] as number) * HOUR_MS, total: h[at + 1] as number, successes: h[at + 2] as number, responseTimeSumMs: h[at + 3] as number });
    }
    return out;
  }

  sum(nowMs: number, windowMs: number): Omit<HourBucket, 'hourStartMs'> {
    const lo = this.lowest(nowMs, windowMs);
    const hi = this.highest(nowMs);
    if (hi - lo < MIN_CACHED_HOURS) return this.add3({ total: 0, successes: 0, responseTimeSumMs: 0 }, lo, hi);
    // the hours before `hi` change only when an hour is added or expires, or a late result lands in
    // one: their sums are kept, so 10 000 summaries over 30 days do not add up 720 hours each, every time
    const s = this.sums ?? (this.sums = []);
    let at = 0;
    while (at < s.length && s[at] !== windowMs) at += SUM_STRIDE;
    if (at === s.length) {
      at = s.length >= MAX_CACHED_WINDOWS * SUM_STRIDE ? 0 : s.length;
      s[at] = windowMs;
      s[at + 1] = -1;
    }
    if (s[at + 1] !== lo || s[at + 2] !== hi || s[at + 3] !== this.changes) {
      const before = this.add3({ total: 0, successes: 0, responseTimeSumMs: 0 }, lo, hi - 1);
      s[at + 1] = lo;
      s[at + 2] = hi;
      s[at + 3] = this.changes;
      s[at + 4] = before.total;
      s[at + 5] = before.successes;
      s[at + 6] = before.responseTimeSumMs;
    }
    return this.add3({ total: s[at + 4] as number, successes: s[at + 5] as number, responseTimeSumMs: s[at + 6] as number }, hi, hi);
  }

  /** Adds the counts of hours from..to (indices, inclusive) to `out`. */
  private add3(out: Omit<HourBucket, 'hourStartMs'>, from: number, to: number): Omit<HourBucket, 'hourStartMs'> {
    const h = this.hours;
    for (let i = from; i <= to; i++) {
      const at = STRIDE * i;
      out.total += h[at + 1] as number;
      out.successes += h[at + 2] as number;
      out.responseTimeSumMs += h[at + 3] as number;
    }
    return out;
  }

  private get size(): number {
    return this.hours.length / STRIDE;
  }

  private hourAt(i: number): number {
    return this.hours[STRIDE * i] as number;
  }

  /** Index of the newest hour starting at or before `nowMs` (-1 when none). */
  private highest(nowMs: number): number {
    return this.firstFrom(Math.floor(nowMs / HOUR_MS) + 1) - 1;
  }

  /** Index of the oldest hour overlapping [nowMs - windowMs, nowMs] within retention. */
  private lowest(nowMs: number, windowMs: number): number {
    // hours h with (h + 1) * HOUR_MS > nowMs - windowMs, and h * HOUR_MS >= the retention's start
    const overlapping = Math.floor((nowMs - windowMs) / HOUR_MS);
    const retained = Math.ceil((nowMs - this.retentionHours * HOUR_MS - HOUR_MS) / HOUR_MS);
    return this.firstFrom(Math.max(overlapping, retained));
  }

  /** The first index whose hour is `hour` or later (binary search; size when none). */
  private firstFrom(hour: number): number {
    const h = this.hours;
    let lo = 0;
    let hi = h.length / STRIDE;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((h[STRIDE * mid] as number) >= hour) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Index of the hour holding `timestampMs`, or -1 when that hour is past retention. */
  private indexOf(timestampMs: number): number {
    const hour = Math.floor(timestampMs / HOUR_MS);
    const count = this.size;
    const newest = count > 0 ? this.hourAt(count - 1) : hour;
    if (hour <= newest - this.maxHours) return -1; // older than retention: drop
    const at = this.firstFrom(hour + 1);
    if (at > 0 && this.hourAt(at - 1) === hour) return at - 1;
    this.changes += 1;
    if (at < count) {
      this.hours.splice(STRIDE * at, 0, hour, 0, 0, 0);
      return at;
    }
    // a new newest hour: the hours it pushes past retention go first
    const expired = this.firstFrom(hour - this.maxHours + 1);
    if (expired > 0) this.hours.splice(0, STRIDE * expired);
    this.hours.push(hour, 0, 0, 0);
    return count - expired;
  }

  private addAt(i: number, total: number, successes: number, responseTimeSumMs: number): void {
    if (i < this.size - 1) this.changes += 1; // a late result: kept sums may hold this hour
    const h = this.hours;
    const at = STRIDE * i;
    h[at + 1] = (h[at + 1] as number) + total;
    h[at + 2] = (h[at + 2] as number) + successes;
    h[at + 3] = (h[at + 3] as number) + responseTimeSumMs;
  }
}

export function createUptimeBuckets(retentionHours: number = UPTIME_RETENTION_HOURS): UptimeBuckets {
  return new HourCounts(retentionHours);
}
