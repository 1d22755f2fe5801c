/**
 * In-memory result store: a bounded, compact history per endpoint key (compact-history.ts) plus per-hour
 * counters for uptime and response-time averages over up to 30 days. No I/O, no globals.
 */
import type { CheckResult, CheckSink } from '../check/types.js';
import type { Clock } from '../clock.js';
import { createCompactHistory, type CompactHistory } from './compact-history.js';
import { createUptimeBuckets, type HourBucket, type UptimeBuckets } from './uptime.js';

/** Windows the API and badges accept, in milliseconds. */
export const UPTIME_WINDOWS_MS = {
  '1h': 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
} as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS_MS;

export function isUptimeWindow(value: string): value is UptimeWindow {
  return Object.hasOwn(UPTIME_WINDOWS_MS, value);
}

export interface StoreOptions {
  /** Raw results kept per endpoint. */
  historySize: number;
  clock: Clock;
}

export interface Store extends CheckSink {
  /** Drops every endpoint whose key is not in `keys` (call after a reload). */
  retain(keys: ReadonlySet<string>): void;
  /** Keys with at least one result. */
  keys(): string[];
  has(key: string): boolean;
  latest(key: string): CheckResult | undefined;
  /** Number of raw results held for the key. */
  count(key: string): number;
  /**
   * One page of raw results, Gatus-style: page 1 is the `pageSize` most recent results;
   * each page is returned oldest → newest.
   */
  history(key: string, page?: number, pageSize?: number): CheckResult[];
  /** Success ratio 0..1 over the window (hour granularity), or undefined with no results. */
  uptime(key: string, window: UptimeWindow): number | undefined;
  /** Mean response time in ms over the window (hour granularity), or undefined with no results. */
  averageResponseTimeMs(key: string, window: UptimeWindow): number | undefined;
  /** Hourly counters overlapping the window, oldest first. */
  hourly(key: string, window: UptimeWindow): HourBucket[];
}

/** This replica's own store, which an archive (storage.type sqlite) fills at start. */
export interface LocalStore extends Store {
  /** Hourly counters of every retained hour, oldest first (what an archive keeps). */
  allHours(key: string): HourBucket[];
  /** Puts back what an archive kept for `key` (before any new result): results oldest first, and their hours. */
  restore(key: string, results: readonly CheckResult[], hours: readonly HourBucket[]): void;
}

interface Entry {
  ring: CompactHistory;
  hours: UptimeBuckets;
}

export function createStore(options: StoreOptions): LocalStore {
  const { historySize, clock } = options;
  if (!Number.isInteger(historySize) || historySize < 1) {
    throw new RangeError(`historySize must be a positive integer, got ${historySize}`);
  }
  const entries = new Map<string, Entry>();

  const sums = (key: string, window: UptimeWindow): { total: number; successes: number; rtSum: number } => {
    const sum = entries.get(key)?.hours.sum(clock.now(), UPTIME_WINDOWS_MS[window]);
    return { total: sum?.total ?? 0, successes: sum?.successes ?? 0, rtSum: sum?.responseTimeSumMs ?? 0 };
  };

  const entryOf = (key: string): Entry => {
    let entry = entries.get(key);
    if (!entry) {
      entry = { ring: createCompactHistory(historySize), hours: createUptimeBuckets() };
      entries.set(key, entry);
    }
    return entry;
  };

  return {
    observe(check) {
      const entry = entryOf(check.endpoint.key);
      entry.ring.push(check);
      entry.hours.record(check.timestamp, check.success, check.result.responseTimeMs);
    },
    retain(keys) {
      for (const key of [...entries.keys()]) if (!keys.has(key)) entries.delete(key);
    },
    keys: () => [...entries.keys()],
    has: (key) => entries.has(key),
    latest: (key) => entries.get(key)?.ring.latest(),
    count: (key) => entries.get(key)?.ring.size ?? 0,
    history(key, page = 1, pageSize = historySize) {
      const entry = entries.get(key);
      if (!entry || page < 1 || pageSize < 1) return [];
      return entry.ring.fromNewest((page - 1) * pageSize, pageSize);
    },
    uptime(key, window) {
      const { total, successes } = sums(key, window);
      return total === 0 ? undefined : successes / total;
    },
    averageResponseTimeMs(key, window) {
      const { total, rtSum } = sums(key, window);
      return total === 0 ? undefined : rtSum / total;
    },
    hourly(key, window) {
      return entries.get(key)?.hours.window(clock.now(), UPTIME_WINDOWS_MS[window]) ?? [];
    },
    allHours(key) {
      return entries.get(key)?.hours.window(clock.now(), UPTIME_WINDOWS_MS['30d']) ?? [];
    },
    restore(key, results, hours) {
      if (results.length === 0 && hours.length === 0) return;
      const entry = entryOf(key);
      for (const result of results) entry.ring.push(result);
      for (const bucket of hours) entry.hours.add(bucket);
    },
  } satisfies LocalStore;
}
