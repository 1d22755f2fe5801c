/**
 * Per-hour success/total counters for the last 30 days, so uptime over 1h/24h/7d/30d does not
 * need 30 days of raw results. Memory is bounded: one slot per hour that had results, reused modulo
 * the slot count (a fresh endpoint holds one bucket, not 721 empty slots).
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
}

export function createUptimeBuckets(retentionHours: number = UPTIME_RETENTION_HOURS): UptimeBuckets {
  // one extra slot so the current partial hour never overwrites the oldest retained hour
  const slots = retentionHours + 1;
  const buckets = new Map<number, HourBucket>();

  /** The bucket of the hour holding `timestampMs`, or undefined when that hour is past retention. */
  const bucketAt = (timestampMs: number): HourBucket | undefined => {
    const hour = Math.floor(timestampMs / HOUR_MS);
    const slot = ((hour % slots) + slots) % slots;
    let bucket = buckets.get(slot);
    if (!bucket || bucket.hourStartMs !== hour * HOUR_MS) {
      if (bucket && bucket.hourStartMs > hour * HOUR_MS) return undefined; // older than retention: drop
      bucket = { hourStartMs: hour * HOUR_MS, total: 0, successes: 0, responseTimeSumMs: 0 };
      buckets.set(slot, bucket);
    }
    return bucket;
  };

  return {
    record(timestampMs, success, responseTimeMs) {
      const bucket = bucketAt(timestampMs);
      if (!bucket) return;
      bucket.total += 1;
      if (success) bucket.successes += 1;
      bucket.responseTimeSumMs += Math.max(0, responseTimeMs);
    },
    add(kept) {
      const bucket = bucketAt(kept.hourStartMs);
      if (!bucket) return;
      bucket.total += kept.total;
      bucket.successes += kept.successes;
      bucket.responseTimeSumMs += kept.responseTimeSumMs;
    },
    window(nowMs, windowMs) {
      const from = nowMs - windowMs;
      const out: HourBucket[] = [];
      for (const bucket of buckets.values()) {
        if (bucket.hourStartMs + HOUR_MS <= from || bucket.hourStartMs > nowMs) continue;
        if (bucket.hourStartMs < nowMs - retentionHours * HOUR_MS - HOUR_MS) continue;
        out.push({ ...bucket });
      }
      return out.sort((a, b) => a.hourStartMs - b.hourStartMs);
    },
  };
}
