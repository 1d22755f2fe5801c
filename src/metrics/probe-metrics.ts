import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CheckResult, CheckSink } from '../check/types.js';
import { initialAlertState, step, type AlertState } from '../alerting/state.js';
import { DEFAULT_FAILURE_THRESHOLD, DEFAULT_SUCCESS_THRESHOLD, type EndpointConfig } from '../config/schema.js';
import type { ProbePhase } from '../probe/types.js';
import { redactUrlLabel } from '../redact.js';
import { BASE_LABELS, extraLabelNames, extraLabels } from './labels.js';

const PHASES: readonly ProbePhase[] = ['resolve', 'connect', 'tls', 'processing', 'transfer'];
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Opt-in per-endpoint series (`vigil.duration-histogram`, `vigil.phase-metrics`). By default an
 * endpoint has at most about 12 series: the duration histogram has only its `+Inf` bucket, `_sum`
 * and `_count` (enough for mean durations), and there is no per-phase gauge.
 */
export interface ProbeMetricsOptions {
  /** Buckets DURATION_BUCKETS_SECONDS on vigil_probe_duration_seconds (12 more series per endpoint). */
  durationHistogram: boolean;
  /** vigil_probe_phase_duration_seconds{phase} (5 more series per endpoint). */
  phaseMetrics: boolean;
}

export const DEFAULT_PROBE_METRICS_OPTIONS: ProbeMetricsOptions = { durationHistogram: false, phaseMetrics: false };

/** Per-endpoint metrics: a CheckSink that also deletes the series of endpoints removed on reload. */
export interface ProbeMetrics extends CheckSink {
  skipped(endpoint: EndpointConfig): void;
  /** Declares the current endpoints: sets vigil_endpoint_info and deletes series of removed ones. */
  setEndpoints(endpoints: readonly EndpointConfig[]): void;
}

function build(registry: Registry, extra: readonly string[], options: ProbeMetricsOptions) {
  const base = [...BASE_LABELS, ...extra];
  const common = { registers: [registry] };
  return {
    up: new Gauge({
      name: 'vigil_endpoint_up',
      help: 'Debounced endpoint state: 0 after failure-threshold consecutive failed probes, 1 again after success-threshold successes.',
      labelNames: base,
      ...common,
    }),
    success: new Gauge({ name: 'vigil_probe_success', help: 'Whether the last probe of the endpoint succeeded (all conditions held).', labelNames: base, ...common }),
    duration: new Histogram({ name: 'vigil_probe_duration_seconds', help: 'Duration of probes, from start to the last byte.', labelNames: base, buckets: options.durationHistogram ? DURATION_BUCKETS_SECONDS : [], ...common }),
    phase: new Gauge({ name: 'vigil_probe_phase_duration_seconds', help: 'Duration of each phase of the last probe.', labelNames: [...base, 'phase'], ...common }),
    status: new Gauge({ name: 'vigil_probe_http_status_code', help: 'HTTP status code of the last probe (0 when no response).', labelNames: base, ...common }),
    condition: new Gauge({ name: 'vigil_condition_success', help: 'Whether each condition held on the last probe.', labelNames: [...base, 'condition'], ...common }),
    certificate: new Gauge({ name: 'vigil_certificate_expiry_timestamp_seconds', help: 'Expiry time of the earliest certificate presented by the endpoint, as a Unix timestamp.', labelNames: base, ...common }),
    domain: new Gauge({ name: 'vigil_domain_expiry_timestamp_seconds', help: 'Registration expiry of the endpoint domain (RDAP), as a Unix timestamp.', labelNames: base, ...common }),
    probes: new Counter({ name: 'vigil_probes_total', help: 'Probes run, by result.', labelNames: [...base, 'result'], ...common }),
    skipped: new Counter({ name: 'vigil_probes_skipped_total', help: 'Scheduled probes skipped because the previous probe of the endpoint was still running.', labelNames: base, ...common }),
    info: new Gauge({ name: 'vigil_endpoint_info', help: 'Constant 1 per configured endpoint, with its (redacted) URL, for joins.', labelNames: [...base, 'url'], ...common }),
  };
}

type Metrics = ReturnType<typeof build>;

interface SeriesLabels {
  base: Record<string, string>;
  success: Record<string, string>;
  failure: Record<string, string>;
  phases: Record<string, string>[];
  conditions: Map<string, Record<string, string>>;
}

const METRIC_NAMES = [
  'vigil_endpoint_up',
  'vigil_probe_success',
  'vigil_probe_duration_seconds',
  'vigil_probe_phase_duration_seconds',
  'vigil_probe_http_status_code',
  'vigil_condition_success',
  'vigil_certificate_expiry_timestamp_seconds',
  'vigil_domain_expiry_timestamp_seconds',
  'vigil_probes_total',
  'vigil_probes_skipped_total',
  'vigil_endpoint_info',
] as const;

export function createProbeMetrics(registry: Registry, options: ProbeMetricsOptions = DEFAULT_PROBE_METRICS_OPTIONS): ProbeMetrics {
  let extra: string[] = [];
  let metrics: Metrics = build(registry, extra, options);
  let current = new Map<string, EndpointConfig>();
  /** Threshold state per endpoint key, for vigil_endpoint_up. */
  const upState = new Map<string, AlertState>();
  /** Condition label values set per endpoint key, so stale ones can be deleted. */
  const seenConditions = new Map<string, Set<string>>();

  /**
   * Label objects per endpoint config, reused by every probe: no allocation per observation, and
   * prom-client keeps the same object per series, so the exposition's label cache hits.
   */
  let seriesLabels = new WeakMap<EndpointConfig, SeriesLabels>();
  const seriesOf = (e: EndpointConfig): SeriesLabels => {
    let s = seriesLabels.get(e);
    if (!s) {
      const base = { endpoint: e.name, group: e.group, type: e.kind, ...extraLabels(e, extra) };
      s = {
        base,
        success: { ...base, result: 'success' },
        failure: { ...base, result: 'failure' },
        phases: PHASES.map((phase) => ({ ...base, phase })),
        conditions: new Map(e.conditions.map((c) => [c.text, { ...base, condition: c.text }])),
      };
      seriesLabels.set(e, s);
    }
    return s;
  };
  const labelsOf = (e: EndpointConfig): Record<string, string> => seriesOf(e).base;
  const conditionLabels = (e: EndpointConfig, condition: string): Record<string, string> =>
    seriesOf(e).conditions.get(condition) ?? { ...seriesOf(e).base, condition };

  /** Deletes condition series not in keepConditions; with `removed`, every series of the endpoint. */
  const removeSeries = (e: EndpointConfig, keepConditions: ReadonlySet<string>, removed: boolean): void => {
    const labels = labelsOf(e);
    const seen = seenConditions.get(e.key) ?? new Set<string>();
    for (const text of [...seen]) {
      if (keepConditions.has(text)) continue;
      metrics.condition.remove({ ...labels, condition: text });
      seen.delete(text);
    }
    if (!removed) return;
    seenConditions.delete(e.key);
    upState.delete(e.key);
    for (const m of [metrics.up, metrics.success, metrics.duration, metrics.status, metrics.certificate, metrics.domain, metrics.skipped]) m.remove(labels);
    for (const phase of PHASES) metrics.phase.remove({ ...labels, phase });
    for (const result of ['success', 'failure']) metrics.probes.remove({ ...labels, result });
    metrics.info.remove({ ...labels, url: redactUrlLabel(e.url, e.redactor) });
  };

  return {
    setEndpoints(endpoints) {
      const names = extraLabelNames(endpoints);
      if (names.join('\0') !== extra.join('\0')) {
        // Label names changed: rebuild every metric (series start over, none left frozen).
        for (const name of METRIC_NAMES) registry.removeSingleMetric(name);
        extra = names;
        metrics = build(registry, extra, options);
        seriesLabels = new WeakMap();
        seenConditions.clear();
      } else {
        const next = new Map(endpoints.map((e) => [e.key, e]));
        for (const [key, old] of current) {
          const now = next.get(key);
          if (!now || now.name !== old.name || now.group !== old.group || now.kind !== old.kind || now.url !== old.url) {
            removeSeries(old, new Set(), true);
          } else {
            removeSeries(old, new Set(now.conditions.map((c) => c.text)), false);
          }
        }
      }
      current = new Map(endpoints.map((e) => [e.key, e]));
      for (const e of endpoints) metrics.info.set({ ...labelsOf(e), url: redactUrlLabel(e.url, e.redactor) }, 1);
    },
    skipped(endpoint) {
      metrics.skipped.inc(labelsOf(endpoint));
    },
    observe(check: CheckResult) {
      const e = check.endpoint;
      const labels = labelsOf(e);
      const r = check.result;
      metrics.success.set(labels, check.success ? 1 : 0);
      // Thresholds of the endpoint's first enabled alert, else Gatus' defaults (3 failures, 2 successes).
      const rule = e.alerts.find((a) => a.enabled) ?? { failureThreshold: DEFAULT_FAILURE_THRESHOLD, successThreshold: DEFAULT_SUCCESS_THRESHOLD };
      const next = step(upState.get(e.key) ?? initialAlertState, check.success, rule, check.timestamp).state;
      upState.set(e.key, next);
      metrics.up.set(labels, next.triggered ? 0 : 1);
      metrics.duration.observe(labels, r.responseTimeMs / 1000);
      const series = seriesOf(e);
      metrics.probes.inc(check.success ? series.success : series.failure);
      if (options.phaseMetrics) PHASES.forEach((phase, i) => metrics.phase.set(series.phases[i] as Record<string, string>, (r.phasesMs[phase] ?? 0) / 1000));
      if (e.kind === 'http') metrics.status.set(labels, r.status ?? 0);
      let seen = seenConditions.get(e.key);
      if (!seen) seenConditions.set(e.key, (seen = new Set()));
      for (const c of check.conditionResults) {
        seen.add(c.condition);
        metrics.condition.set(conditionLabels(e, c.condition), c.success ? 1 : 0);
      }
      if (r.certificateNotAfterMs !== undefined) metrics.certificate.set(labels, r.certificateNotAfterMs / 1000);
      if (r.domainExpirationMs !== undefined) metrics.domain.set(labels, (check.timestamp + r.domainExpirationMs) / 1000);
    },
  };
}
