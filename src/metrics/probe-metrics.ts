import type { Registry } from 'prom-client';
import type { CheckResult, CheckSink } from '../check/types.js';
import { initialAlertState, step, type AlertState } from '../alerting/state.js';
import { DEFAULT_FAILURE_THRESHOLD, DEFAULT_SUCCESS_THRESHOLD, type EndpointConfig } from '../config/schema.js';
import type { ProbePhase } from '../probe/types.js';
import { redactUrlLabel } from '../redact.js';
import { extraLabelNames, extraLabels, isPushed, withLabel } from './labels.js';
import { CounterFamily, GaugeFamily, HistogramFamily, type HistogramSeries, type Labels, type Series } from './series.js';

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

const DEFAULT_RULE = { failureThreshold: DEFAULT_FAILURE_THRESHOLD, successThreshold: DEFAULT_SUCCESS_THRESHOLD };

/** Per-endpoint metrics: a CheckSink that also deletes the series of endpoints removed on reload. */
export interface ProbeMetrics extends CheckSink {
  skipped(endpoint: EndpointConfig): void;
  /** Declares the current endpoints: sets vigil_endpoint_info and deletes series of removed ones. */
  setEndpoints(endpoints: readonly EndpointConfig[]): void;
}

function build(registry: Registry, options: ProbeMetricsOptions) {
  return {
    up: new GaugeFamily(registry, {
      name: 'vigil_endpoint_up',
      help: 'Debounced endpoint state: 0 after failure-threshold consecutive failed probes, 1 again after success-threshold successes.',
    }),
    success: new GaugeFamily(registry, { name: 'vigil_probe_success', help: 'Whether the last probe of the endpoint succeeded (all conditions held).' }),
    duration: new HistogramFamily(registry, { name: 'vigil_probe_duration_seconds', help: 'Duration of probes, from start to the last byte.', buckets: options.durationHistogram ? DURATION_BUCKETS_SECONDS : [] }),
    phase: new GaugeFamily(registry, { name: 'vigil_probe_phase_duration_seconds', help: 'Duration of each phase of the last probe.' }),
    status: new GaugeFamily(registry, { name: 'vigil_probe_http_status_code', help: 'HTTP status code of the last probe (0 when no response).' }),
    condition: new GaugeFamily(registry, { name: 'vigil_condition_success', help: 'Whether each condition held on the last probe.' }),
    certificate: new GaugeFamily(registry, { name: 'vigil_certificate_expiry_timestamp_seconds', help: 'Expiry time of the earliest certificate presented by the endpoint, as a Unix timestamp.' }),
    domain: new GaugeFamily(registry, { name: 'vigil_domain_expiry_timestamp_seconds', help: 'Registration expiry of the endpoint domain (RDAP), as a Unix timestamp.' }),
    probes: new CounterFamily(registry, { name: 'vigil_probes_total', help: 'Probes run, by result.' }),
    skipped: new CounterFamily(registry, { name: 'vigil_probes_skipped_total', help: 'Scheduled probes skipped because the previous probe of the endpoint was still running.' }),
    info: new GaugeFamily(registry, { name: 'vigil_endpoint_info', help: 'Constant 1 per configured endpoint, with its (redacted) URL, for joins.' }),
  };
}

type Metrics = ReturnType<typeof build>;

/** One endpoint's series, created when first set and kept (as handles) until the endpoint goes. */
interface Row {
  endpoint: EndpointConfig;
  base: Labels;
  alert: AlertState;
  up?: Series;
  success?: Series;
  duration?: HistogramSeries;
  status?: Series;
  certificate?: Series;
  domain?: Series;
  skipped?: Series;
  info?: Series;
  probes: { success?: Series; failure?: Series };
  phases?: Series[];
  conditions: Map<string, Series>;
}

export function createProbeMetrics(registry: Registry, options: ProbeMetricsOptions = DEFAULT_PROBE_METRICS_OPTIONS): ProbeMetrics {
  let extra: string[] = [];
  const metrics: Metrics = build(registry, options);
  const rows = new Map<string, Row>();
  /**
   * Keys a reload removed (until one brings them back): a probe of such an endpoint that finishes
   * late adds nothing. Pushed (external) endpoints are not declared: their rows stay as they are.
   */
  const removed = new Set<string>();

  const labelsFor = (e: EndpointConfig): Labels => Object.assign({ endpoint: e.name, group: e.group, type: e.kind }, extraLabels(e, extra));
  const sameSeries = (a: EndpointConfig, b: EndpointConfig): boolean => a.name === b.name && a.group === b.group && a.kind === b.kind && a.url === b.url;

  const dropRow = (row: Row): void => {
    const m = metrics;
    m.up.remove(row.up);
    m.success.remove(row.success);
    m.duration.remove(row.duration);
    m.status.remove(row.status);
    m.certificate.remove(row.certificate);
    m.domain.remove(row.domain);
    m.skipped.remove(row.skipped);
    m.info.remove(row.info);
    m.probes.remove(row.probes.success);
    m.probes.remove(row.probes.failure);
    for (const p of row.phases ?? []) m.phase.remove(p);
    for (const c of row.conditions.values()) m.condition.remove(c);
    rows.delete(row.endpoint.key);
  };

  /** The endpoint's row; undefined for a probe that started before a reload changed its series. */
  const rowOf = (e: EndpointConfig): Row | undefined => {
    const row = rows.get(e.key);
    if (row) return row.endpoint === e || sameSeries(row.endpoint, e) ? row : undefined;
    if (removed.has(e.key)) return undefined;
    const created: Row = { endpoint: e, base: labelsFor(e), alert: initialAlertState, probes: {}, conditions: new Map() };
    rows.set(e.key, created);
    return created;
  };
  const gauge = (family: GaugeFamily, series: Series | undefined, labels: Labels, value: number): Series => {
    const s = series ?? family.add(labels);
    s.value = value;
    return s;
  };

  return {
    setEndpoints(endpoints) {
      const names = extraLabelNames(endpoints);
      const next = new Map(endpoints.map((e) => [e.key, e]));
      for (const [key, row] of rows) if (!next.has(key) && !isPushed(row.endpoint)) removed.add(key);
      for (const key of next.keys()) removed.delete(key);
      if (names.join('\0') !== extra.join('\0')) {
        // Label names changed: every series starts over with the new names (none left frozen).
        for (const family of Object.values(metrics)) family.reset();
        rows.clear();
        extra = names;
      }
      for (const row of [...rows.values()]) {
        if (isPushed(row.endpoint)) continue;
        const now = next.get(row.endpoint.key);
        if (!now || !sameSeries(now, row.endpoint)) {
          dropRow(row);
          continue;
        }
        const keep = new Set(now.conditions.map((c) => c.text));
        for (const [text, series] of row.conditions) {
          if (keep.has(text)) continue;
          metrics.condition.remove(series);
          row.conditions.delete(text);
        }
        row.endpoint = now;
      }
      for (const e of endpoints) {
        const row = rowOf(e) as Row;
        row.info ??= metrics.info.add(withLabel(row.base, 'url', redactUrlLabel(e.url, e.redactor)));
        row.info.value = 1;
      }
    },
    skipped(endpoint) {
      const row = rowOf(endpoint);
      if (!row) return;
      row.skipped ??= metrics.skipped.add(row.base);
      row.skipped.value += 1;
    },
    observe(check: CheckResult) {
      const e = check.endpoint;
      const row = rowOf(e);
      if (!row) return;
      const m = metrics;
      const r = check.result;
      row.success = gauge(m.success, row.success, row.base, check.success ? 1 : 0);
      // Thresholds of the endpoint's first enabled alert, else Gatus' defaults (3 failures, 2 successes).
      const rule = e.alerts.find((a) => a.enabled) ?? DEFAULT_RULE;
      row.alert = step(row.alert, check.success, rule, check.timestamp).state;
      row.up = gauge(m.up, row.up, row.base, row.alert.triggered ? 0 : 1);
      row.duration ??= m.duration.add(row.base);
      m.duration.observe(row.duration, r.responseTimeMs / 1000);
      const result = check.success ? 'success' : 'failure';
      const probes = (row.probes[result] ??= m.probes.add(withLabel(row.base, 'result', result)));
      probes.value += 1;
      if (options.phaseMetrics) {
        row.phases ??= PHASES.map((phase) => m.phase.add(withLabel(row.base, 'phase', phase)));
        PHASES.forEach((phase, i) => ((row.phases as Series[])[i] as Series).value = (r.phasesMs[phase] ?? 0) / 1000);
      }
      if (e.kind === 'http') row.status = gauge(m.status, row.status, row.base, r.status ?? 0);
      for (const c of check.conditionResults) {
        let series = row.conditions.get(c.condition);
        if (!series) row.conditions.set(c.condition, (series = m.condition.add(withLabel(row.base, 'condition', c.condition))));
        series.value = c.success ? 1 : 0;
      }
      if (r.certificateNotAfterMs !== undefined) row.certificate = gauge(m.certificate, row.certificate, row.base, r.certificateNotAfterMs / 1000);
      if (r.domainExpirationMs !== undefined) row.domain = gauge(m.domain, row.domain, row.base, (check.timestamp + r.domainExpirationMs) / 1000);
    },
  };
}
