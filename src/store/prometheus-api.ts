/**
 * The Prometheus HTTP API as `--history.prometheus-url` uses it: instant and range queries whose
 * answers are reduced to labels and finite numbers, keyed by endpoint store key. No state.
 */
import { endpointKey } from '../config/key.js';

export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;
export type Labels = Record<string, string>;

export interface VectorSample {
  labels: Labels;
  value: number;
}

export interface MatrixSeries {
  labels: Labels;
  /** [epoch ms, value], oldest first. */
  points: [number, number][];
}

export interface PrometheusApi {
  query(expr: string, atMs: number, signal: AbortSignal): Promise<VectorSample[]>;
  queryRange(expr: string, startMs: number, endMs: number, stepMs: number, signal: AbortSignal): Promise<MatrixSeries[]>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringLabels(v: unknown): Labels {
  const out: Labels = {};
  if (isRecord(v)) for (const [k, s] of Object.entries(v)) if (typeof s === 'string') out[k] = s;
  return out;
}

/** [unixSeconds, "value"] → [ms, value]; NaN and ±Inf (e.g. 0/0) are dropped. */
function point(v: unknown): [number, number] | undefined {
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'string') return undefined;
  const value = Number(v[1]);
  return Number.isFinite(value) ? [Math.round(v[0] * 1000), value] : undefined;
}

/** The store key of a series (the metrics' `endpoint` label is the name); undefined without one. */
export function keyOf(labels: Labels): string | undefined {
  const name = labels.endpoint;
  return name === undefined ? undefined : endpointKey(labels.group ?? '', name);
}

/** Samples by store key, times `scale`. */
export function byKey(samples: readonly VectorSample[], scale = 1): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const key = keyOf(s.labels);
    if (key !== undefined) out.set(key, s.value * scale);
  }
  return out;
}

/** Each series' points as a map from epoch ms to value, by store key. */
export function pointsByKey(series: readonly MatrixSeries[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of series) {
    const key = keyOf(s.labels);
    if (key !== undefined) out.set(key, new Map(s.points));
  }
  return out;
}

export function createPrometheusApi(url: string, fetch: FetchFn, timeoutMs: number): PrometheusApi {
  const base = url.endsWith('/') ? url : `${url}/`;
  new URL(base); // a malformed URL fails at startup, not in the loop

  const call = async (path: string, params: Record<string, string>, signal: AbortSignal): Promise<Record<string, unknown>> => {
    const target = new URL(path, base);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    const response = await fetch(target.toString(), { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
    const body: unknown = await response.json().catch(() => undefined);
    if (!isRecord(body) || body.status !== 'success' || !isRecord(body.data)) {
      const reason = isRecord(body) && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new Error(`${path}: ${reason}`);
    }
    return body.data;
  };

  return {
    async query(expr, atMs, signal) {
      const data = await call('api/v1/query', { query: expr, time: String(atMs / 1000) }, signal);
      if (data.resultType !== 'vector' || !Array.isArray(data.result)) throw new Error(`${expr}: expected a vector`);
      const out: VectorSample[] = [];
      for (const item of data.result) {
        const p = isRecord(item) ? point(item.value) : undefined;
        if (p && isRecord(item)) out.push({ labels: stringLabels(item.metric), value: p[1] });
      }
      return out;
    },
    async queryRange(expr, startMs, endMs, stepMs, signal) {
      const params = { query: expr, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepMs / 1000) };
      const data = await call('api/v1/query_range', params, signal);
      if (data.resultType !== 'matrix' || !Array.isArray(data.result)) throw new Error(`${expr}: expected a matrix`);
      return data.result.filter(isRecord).map((s) => ({
        labels: stringLabels(s.metric),
        points: (Array.isArray(s.values) ? s.values : []).map(point).filter((p): p is [number, number] => p !== undefined),
      }));
    },
  };
}
