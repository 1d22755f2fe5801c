/**
 * `--history.prometheus-url`: uptime, response-time averages and hourly buckets read from Prometheus,
 * so any replica shows the merged history of every replica it scrapes.
 *
 * A decorator around the in-memory Store: `latest`, `history` and everything else stay local; `uptime`,
 * `averageResponseTimeMs` and `hourly` answer from a cache that a background loop refreshes with one
 * query per window over all endpoints (`by (endpoint, group)`). A request never waits on Prometheus:
 * while a query fails, or Prometheus has no series for an endpoint, the local numbers answer.
 */
import type { CheckResult } from '../check/types.js';
import type { Clock } from '../clock.js';
import type { EndpointConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { EndpointEvent } from './events.js';
import { byKey, createPrometheusApi, pointsByKey, type FetchFn, type MatrixSeries } from './prometheus-api.js';
import { DEFAULT_INCIDENT_STEP_MS, fetchDaily, fetchIncidents, type DayCount, type Incidents } from './prometheus-timeline.js';
import { UPTIME_WINDOWS_MS, type Store, type UptimeWindow } from './store.js';
import { HOUR_MS, type HourBucket } from './uptime.js';

export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;
/** 7d/30d windows and the 30-day hourly series read much more data and change slowly. */
export const DEFAULT_SLOW_REFRESH_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
const HOURLY_RETENTION_MS = UPTIME_WINDOWS_MS['30d'];
const WINDOWS = Object.keys(UPTIME_WINDOWS_MS) as UptimeWindow[];
const SLOW_WINDOWS: ReadonlySet<UptimeWindow> = new Set(['7d', '30d']);

export type { FetchFn } from './prometheus-api.js';

export interface PrometheusHistoryOptions {
  /** The in-memory store every replica keeps (what `observe` feeds and the fallback). */
  local: Store;
  /** Prometheus base URL, e.g. `http://prometheus:9090` or `https://host/prometheus/`. */
  url: string;
  fetch: FetchFn;
  clock: Clock;
  logger: Logger;
  refreshIntervalMs?: number;
  slowRefreshIntervalMs?: number;
  queryTimeoutMs?: number;
  /**
   * With sharding: the configured endpoint of a key. Given, an endpoint without local results
   * (probed by other shards) gets its latest state from Prometheus (LATEST_QUERIES) as its one result.
   */
  endpointFor?: (key: string) => EndpointConfig | undefined;
  /** Resolution of the incidents read from Prometheus (default 1 min; the window is 10 000 steps, at most 7 days). */
  incidentStepMs?: number;
}

/** Incidents and daily counts over every replica, for the status page. */
export interface RemoteTimeline {
  /** The endpoint's state changes across replicas, oldest first; undefined while Prometheus has none. */
  events(key: string): readonly EndpointEvent[] | undefined;
  /** Epoch ms the incident window starts, while the incidents come from Prometheus. */
  incidentsSince(): number | undefined;
  /** Checks per UTC day over 90 days across replicas, oldest first; undefined while Prometheus has none. */
  daily(key: string): DayCount[] | undefined;
}

export interface PrometheusHistory extends Store, RemoteTimeline {
  /** Refreshes now, then every refreshIntervalMs after the previous refresh ends (never overlapping). */
  start(): void;
  /** One refresh of every due query; never rejects. Joins a refresh already in flight. */
  refresh(): Promise<void>;
  /** Stops the loop and aborts queries in flight. */
  stop(): Promise<void>;
  /** true once every query answered on its last attempt. */
  readonly available: boolean;
}

/** Success ratio per endpoint over the window, averaged across replicas. */
export function uptimeQuery(window: UptimeWindow): string {
  return `avg by (endpoint, group) (avg_over_time(vigil_probe_success[${window}]))`;
}

/** Mean probe duration in seconds over the window, from the histogram, across replicas. */
export function responseTimeQuery(window: UptimeWindow): string {
  return (
    `sum by (endpoint, group) (rate(vigil_probe_duration_seconds_sum[${window}]))` +
    ` / sum by (endpoint, group) (rate(vigil_probe_duration_seconds_count[${window}]))`
  );
}

/** Range queries (step 1h) whose point at H+1h describes the hour starting at H. */
export const HOURLY_QUERIES = {
  total: 'sum by (endpoint, group) (increase(vigil_probe_duration_seconds_count[1h]))',
  durationSumSeconds: 'sum by (endpoint, group) (increase(vigil_probe_duration_seconds_sum[1h]))',
  successRatio: 'avg by (endpoint, group) (avg_over_time(vigil_probe_success[1h]))',
} as const;

/**
 * The latest result across replicas: failing if any replica's last probe failed, at the last scrape,
 * with the mean duration of the last 5 minutes (the per-probe phase gauge is optional).
 */
export const LATEST_QUERIES = {
  success: 'min by (endpoint, group) (vigil_probe_success)',
  timestampSeconds: 'max by (endpoint, group) (timestamp(vigil_probe_success))',
  durationSeconds:
    'sum by (endpoint, group) (rate(vigil_probe_duration_seconds_sum[5m])) / sum by (endpoint, group) (rate(vigil_probe_duration_seconds_count[5m]))',
} as const;

/** A CheckResult standing for another replica's latest probe, as Prometheus last scraped it. */
function remoteCheck(endpoint: EndpointConfig, success: boolean, timestamp: number, responseTimeMs: number): CheckResult {
  return { endpoint, timestamp, success, result: { connected: success, responseTimeMs, phasesMs: {} }, conditionResults: [], errors: [] };
}

interface Task {
  name: string;
  slow: boolean;
  run(signal: AbortSignal, nowMs: number): Promise<void>;
  /** Whether the last attempt succeeded; values are only read while it did. */
  ok: boolean;
  fetchedAtMs: number | undefined;
}

export function createPrometheusHistory(options: PrometheusHistoryOptions): PrometheusHistory {
  const { local, clock, logger } = options;
  const refreshMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const slowMs = options.slowRefreshIntervalMs ?? DEFAULT_SLOW_REFRESH_INTERVAL_MS;
  const api = createPrometheusApi(options.url, options.fetch, options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const query = api.query;
  const queryRange = (expr: string, startMs: number, endMs: number, signal: AbortSignal): Promise<MatrixSeries[]> =>
    api.queryRange(expr, startMs, endMs, HOUR_MS, signal);

  const uptimes = new Map<UptimeWindow, Map<string, number>>();
  const responseTimesMs = new Map<UptimeWindow, Map<string, number>>();
  let hourly = new Map<string, HourBucket[]>();

  const tasks: Task[] = [];
  const task = (name: string, slow: boolean, run: Task['run']): void => {
    tasks.push({ name, slow, run, ok: false, fetchedAtMs: undefined });
  };
  for (const window of WINDOWS) {
    const slow = SLOW_WINDOWS.has(window);
    task(`uptime ${window}`, slow, async (signal, now) => {
      uptimes.set(window, byKey(await query(uptimeQuery(window), now, signal)));
    });
    task(`response time ${window}`, slow, async (signal, now) => {
      responseTimesMs.set(window, byKey(await query(responseTimeQuery(window), now, signal), 1000));
    });
  }
  task('hourly', true, async (signal, now) => {
    // the point at T = H + 1h covers (H, H + 1h]; the last point, in the future, covers the current hour
    const endMs = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
    const startMs = Math.floor((now - HOURLY_RETENTION_MS) / HOUR_MS) * HOUR_MS + HOUR_MS;
    const [totals, sums, ratios] = await Promise.all(
      [HOURLY_QUERIES.total, HOURLY_QUERIES.durationSumSeconds, HOURLY_QUERIES.successRatio].map((q) => queryRange(q, startMs, endMs, signal)),
    );
    const lookup = (series: MatrixSeries[] | undefined) => pointsByKey(series ?? []);
    const sumsByKey = lookup(sums);
    const ratiosByKey = lookup(ratios);
    const next = new Map<string, HourBucket[]>();
    for (const [key, points] of lookup(totals)) {
      const buckets: HourBucket[] = [];
      for (const [t, rawTotal] of points) {
        const total = Math.round(rawTotal);
        if (total <= 0) continue;
        const ratio = Math.min(1, Math.max(0, ratiosByKey.get(key)?.get(t) ?? 0));
        const sumMs = (sumsByKey.get(key)?.get(t) ?? 0) * 1000 * (total / rawTotal);
        buckets.push({ hourStartMs: t - HOUR_MS, total, successes: Math.round(ratio * total), responseTimeSumMs: Math.max(0, sumMs) });
      }
      next.set(key, buckets);
    }
    hourly = next;
  });

  let incidents: Incidents = { sinceMs: 0, events: new Map() };
  let daily = new Map<string, DayCount[]>();
  const incidentStepMs = options.incidentStepMs ?? DEFAULT_INCIDENT_STEP_MS;
  task('incidents', true, async (signal, now) => {
    incidents = await fetchIncidents(api, now, incidentStepMs, signal);
  });
  task('daily', true, async (signal, now) => {
    daily = await fetchDaily(api, now, signal);
  });

  let remote = new Map<string, CheckResult>();
  const { endpointFor } = options;
  if (endpointFor) {
    task('latest', false, async (signal, now) => {
      const [success, timestamps, durations] = await Promise.all(
        [LATEST_QUERIES.success, LATEST_QUERIES.timestampSeconds, LATEST_QUERIES.durationSeconds].map((q) => query(q, now, signal)),
      );
      const at = byKey(timestamps ?? [], 1000);
      const ms = byKey(durations ?? [], 1000);
      const next = new Map<string, CheckResult>();
      for (const [key, value] of byKey(success ?? [])) {
        const endpoint = endpointFor(key);
        if (endpoint) next.set(key, remoteCheck(endpoint, value >= 1, Math.round(at.get(key) ?? now), ms.get(key) ?? 0));
      }
      remote = next;
    });
  }

  const byName = (name: string): Task => tasks.find((t) => t.name === name) as Task;
  const latestTask = tasks.find((t) => t.name === 'latest');
  /** Prometheus' latest result for a key this replica has no results for. */
  const remoteLatest = (key: string): CheckResult | undefined => (latestTask?.ok && !local.has(key) ? remote.get(key) : undefined);
  const uptimeTask = new Map(WINDOWS.map((w) => [w, byName(`uptime ${w}`)]));
  const responseTask = new Map(WINDOWS.map((w) => [w, byName(`response time ${w}`)]));
  const hourlyTask = byName('hourly');
  const incidentsTask = byName('incidents');
  const dailyTask = byName('daily');

  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let controller = new AbortController();
  let inFlight: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  const refreshOnce = async (): Promise<void> => {
    const now = clock.now();
    const due = tasks.filter((t) => !t.ok || t.fetchedAtMs === undefined || now - t.fetchedAtMs >= (t.slow ? slowMs : refreshMs) - 1);
    const outcomes = await Promise.allSettled(due.map((t) => t.run(controller.signal, now)));
    if (controller.signal.aborted) return;
    const errors: string[] = [];
    due.forEach((t, i) => {
      const outcome = outcomes[i];
      t.ok = outcome?.status === 'fulfilled';
      if (t.ok) t.fetchedAtMs = now;
      else if (outcome?.status === 'rejected') errors.push(`${t.name}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);
    });
    const next = tasks.every((t) => t.ok) ? 'up' : 'down';
    if (next === state) return;
    state = next;
    if (next === 'up') logger.info('history: reading uptime and response times from Prometheus', { url: options.url });
    else logger.warn('history: Prometheus queries failing; using this replica\'s own numbers', { url: options.url, errors: errors.slice(0, 3) });
  };

  const refresh = (): Promise<void> => {
    inFlight ??= refreshOnce()
      .catch((err: unknown) => logger.error('history: refresh failed', { err }))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const loop = (): void => {
    timer = undefined;
    void refresh().then(() => {
      if (running) {
        timer = setTimeout(loop, refreshMs);
        timer.unref?.();
      }
    });
  };

  const inWindow = (buckets: readonly HourBucket[], window: UptimeWindow): HourBucket[] => {
    const now = clock.now();
    const from = now - UPTIME_WINDOWS_MS[window];
    return buckets.filter((b) => b.hourStartMs + HOUR_MS > from && b.hourStartMs <= now).map((b) => ({ ...b }));
  };

  return {
    observe: (check) => local.observe(check),
    retain: (keys) => local.retain(keys),
    keys: () => [...new Set([...local.keys(), ...(latestTask?.ok ? remote.keys() : [])])],
    has: (key) => local.has(key) || remoteLatest(key) !== undefined,
    latest: (key) => local.latest(key) ?? remoteLatest(key),
    count: (key) => local.count(key) || (remoteLatest(key) ? 1 : 0),
    history(key, page, pageSize) {
      const check = remoteLatest(key);
      if (!check) return local.history(key, page, pageSize);
      return (page ?? 1) === 1 ? [check] : [];
    },
    uptime(key, window) {
      const value = uptimeTask.get(window)?.ok ? uptimes.get(window)?.get(key) : undefined;
      return value ?? local.uptime(key, window);
    },
    averageResponseTimeMs(key, window) {
      const value = responseTask.get(window)?.ok ? responseTimesMs.get(window)?.get(key) : undefined;
      return value ?? local.averageResponseTimeMs(key, window);
    },
    hourly(key, window) {
      const buckets = hourlyTask.ok ? hourly.get(key) : undefined;
      return buckets ? inWindow(buckets, window) : local.hourly(key, window);
    },
    events: (key) => (incidentsTask.ok ? incidents.events.get(key) : undefined),
    incidentsSince: () => (incidentsTask.ok ? incidents.sinceMs : undefined),
    daily: (key) => (dailyTask.ok ? daily.get(key)?.map((d) => ({ ...d })) : undefined),
    get available() {
      return state === 'up';
    },
    start() {
      if (running) return;
      running = true;
      if (controller.signal.aborted) controller = new AbortController();
      loop();
    },
    refresh,
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      controller.abort(new Error('history stopped'));
      await inFlight;
    },
  } satisfies PrometheusHistory;
}
