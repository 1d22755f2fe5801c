/**
 * The long-range half of `--history.prometheus-url`: incidents and the 90-day daily bar, computed
 * by Prometheus over every replica it scrapes, so every replica's page shows the same ones.
 * - Down means any replica's last probe failed (as the latest state: min across replicas).
 * - Incidents come from one range query that returns only the steps where that state changed or a
 *   series appeared, plus the state at the window's start; a change is placed at the first step
 *   that saw it (resolution: `stepMs`, flag `--history.incident-step`).
 */
import type { EndpointEvent } from './events.js';
import { byKey, keyOf, pointsByKey, type PrometheusApi } from './prometheus-api.js';

export const DAY_MS = 86_400_000;
export const DAILY_DAYS = 90;
export const DEFAULT_INCIDENT_STEP_MS = 60_000;
export const MAX_INCIDENT_WINDOW_MS = 7 * DAY_MS;
/** Prometheus refuses a range query of more than 11 000 points per series. */
const MAX_STEPS = 10_000;

export interface DayCount {
  /** UTC midnight, epoch ms. */
  t: number;
  total: number;
  ok: number;
}

const state = (offset?: string): string => `min by (endpoint, group) (vigil_probe_success${offset ? ` offset ${offset}` : ''})`;

/** Steps where the across-replica state differs from the previous step, or where it first appears. */
export function transitionsQuery(stepMs: number): string {
  const previous = state(`${Math.round(stepMs / 1000)}s`);
  return `(${state()} != ${previous}) or (${state()} unless ${previous})`;
}

export const STATE_QUERY = state();

/** Range queries (step 1d) whose point at D + 1d describes the UTC day starting at D. */
export const DAILY_QUERIES = {
  total: 'sum by (endpoint, group) (increase(vigil_probe_duration_seconds_count[1d]))',
  successRatio: 'avg by (endpoint, group) (avg_over_time(vigil_probe_success[1d]))',
} as const;

/** How far back incidents go at this step. */
export function incidentWindowMs(stepMs: number): number {
  return Math.min(MAX_INCIDENT_WINDOW_MS, MAX_STEPS * stepMs);
}

export interface Incidents {
  /** Epoch ms the window starts: nothing older is known. */
  sinceMs: number;
  /** State changes by store key, oldest first; keys Prometheus has no series for are absent. */
  events: Map<string, EndpointEvent[]>;
}

export async function fetchIncidents(api: PrometheusApi, nowMs: number, stepMs: number, signal: AbortSignal): Promise<Incidents> {
  const endMs = Math.floor(nowMs / stepMs) * stepMs;
  const sinceMs = endMs - incidentWindowMs(stepMs);
  const [initial, changes] = await Promise.all([
    api.query(STATE_QUERY, sinceMs, signal),
    api.queryRange(transitionsQuery(stepMs), sinceMs, endMs, stepMs, signal),
  ]);
  const events = new Map<string, EndpointEvent[]>();
  for (const [key, value] of byKey(initial)) events.set(key, value < 1 ? [{ type: 'UNHEALTHY', timestamp: sinceMs }] : []);
  for (const series of changes) {
    const key = keyOf(series.labels);
    if (key === undefined) continue;
    const list = events.get(key) ?? [];
    for (const [t, value] of series.points) if (t > sinceMs) list.push({ type: value < 1 ? 'UNHEALTHY' : 'HEALTHY', timestamp: t });
    events.set(key, list.sort((a, b) => a.timestamp - b.timestamp));
  }
  return { sinceMs, events };
}

/** Checks per UTC day over the last DAILY_DAYS days, across replicas, by store key (days without checks left out). */
export async function fetchDaily(api: PrometheusApi, nowMs: number, signal: AbortSignal): Promise<Map<string, DayCount[]>> {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const startMs = today - (DAILY_DAYS - 2) * DAY_MS;
  const endMs = today + DAY_MS;
  const [totals, ratios] = await Promise.all(
    [DAILY_QUERIES.total, DAILY_QUERIES.successRatio].map((q) => api.queryRange(q, startMs, endMs, DAY_MS, signal)),
  );
  const ratiosByKey = pointsByKey(ratios ?? []);
  const out = new Map<string, DayCount[]>();
  for (const [key, points] of pointsByKey(totals ?? [])) {
    const days: DayCount[] = [];
    for (const [t, rawTotal] of points) {
      const total = Math.round(rawTotal);
      if (total <= 0) continue;
      const ratio = Math.min(1, Math.max(0, ratiosByKey.get(key)?.get(t) ?? 0));
      days.push({ t: t - DAY_MS, total, ok: Math.round(ratio * total) });
    }
    out.set(key, days);
  }
  return out;
}
