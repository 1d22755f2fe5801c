import { Counter, Gauge, type Registry } from 'prom-client';
import type { CheckResult } from '../check/types.js';
import type { EndpointConfig } from '../config/schema.js';
import type { ProbeKind } from '../probe/types.js';
import { extraLabelNames, extraLabels, isPushed } from './labels.js';
import type { ProbeMetrics } from './probe-metrics.js';

/** Gatus' endpoint type names, as its `type` label shows them (Gatus `endpoint.Type`). */
const GATUS_TYPE: Record<ProbeKind, string> = {
  http: 'HTTP',
  tcp: 'TCP',
  tls: 'TLS',
  dns: 'DNS',
  icmp: 'ICMP',
  websocket: 'WEBSOCKET',
  grpc: 'GRPC',
  ssh: 'SSH',
  starttls: 'STARTTLS',
  udp: 'UDP',
};

/** External endpoints have no URL in Gatus, so their type is UNKNOWN there too. */
function gatusType(e: EndpointConfig): string {
  return isPushed(e) ? 'UNKNOWN' : GATUS_TYPE[e.kind];
}

const LABELS = ['key', 'group', 'name', 'type'];
const NAMES = [
  'gatus_results_total',
  'gatus_results_duration_seconds',
  'gatus_results_connected_total',
  'gatus_results_code_total',
  'gatus_results_certificate_expiration_seconds',
  'gatus_results_domain_expiration_seconds',
  'gatus_results_endpoint_success',
];

function build(registry: Registry, extra: readonly string[]) {
  const registers = [registry];
  const labelNames = [...LABELS, ...extra];
  return {
    total: new Counter({ name: 'gatus_results_total', help: 'Number of results per endpoint (Gatus-compatible).', labelNames: [...labelNames, 'success'], registers }),
    duration: new Gauge({ name: 'gatus_results_duration_seconds', help: 'Duration of the request in seconds (Gatus-compatible).', labelNames, registers }),
    connected: new Counter({ name: 'gatus_results_connected_total', help: 'Results in which a connection was established (Gatus-compatible).', labelNames, registers }),
    code: new Counter({ name: 'gatus_results_code_total', help: 'Results by HTTP status or DNS rcode (Gatus-compatible).', labelNames: [...labelNames, 'code'], registers }),
    certificate: new Gauge({ name: 'gatus_results_certificate_expiration_seconds', help: 'Seconds until the certificate expires (Gatus-compatible).', labelNames, registers }),
    domain: new Gauge({ name: 'gatus_results_domain_expiration_seconds', help: 'Seconds until the domain expires (Gatus-compatible).', labelNames, registers }),
    success: new Gauge({ name: 'gatus_results_endpoint_success', help: 'Whether the endpoint was a success (Gatus-compatible).', labelNames, registers }),
  };
}

/**
 * Gatus metric names (`gatus_results_*`, Gatus' labels `key`, `group`, `name`, `type` plus the
 * endpoints' extra labels) so existing Gatus dashboards keep working. On with Gatus' `metrics: true`
 * (or `vigil.gatus-metrics: true`).
 */
export function createGatusMetrics(registry: Registry): ProbeMetrics {
  let extra: string[] = [];
  let m = build(registry, extra);
  const codes = new Map<string, Set<string>>();
  let current: readonly EndpointConfig[] = [];

  const labelsOf = (e: EndpointConfig) => ({ key: e.key, group: e.group, name: e.name, type: gatusType(e), ...extraLabels(e, extra) });

  return {
    setEndpoints(endpoints) {
      const names = extraLabelNames(endpoints);
      if (names.join('\0') !== extra.join('\0')) {
        // Label names changed: every family starts over with the new names.
        for (const name of NAMES) registry.removeSingleMetric(name);
        extra = names;
        m = build(registry, extra);
        codes.clear();
        current = endpoints;
        return;
      }
      const keep = new Set(endpoints.map((e) => JSON.stringify(labelsOf(e))));
      for (const old of current) {
        const labels = labelsOf(old);
        if (keep.has(JSON.stringify(labels))) continue;
        for (const g of [m.duration, m.connected, m.certificate, m.domain, m.success]) g.remove(labels);
        for (const s of ['true', 'false']) m.total.remove({ ...labels, success: s });
        for (const c of codes.get(old.key) ?? []) m.code.remove({ ...labels, code: c });
        codes.delete(old.key);
      }
      current = endpoints;
    },
    skipped() {
      // Gatus has no such metric.
    },
    observe(check: CheckResult) {
      const labels = labelsOf(check.endpoint);
      const r = check.result;
      m.total.inc({ ...labels, success: String(check.success) });
      m.duration.set(labels, r.responseTimeMs / 1000);
      if (r.connected) m.connected.inc(labels);
      for (const c of [r.dnsRcode, r.status ? String(r.status) : undefined]) {
        if (!c) continue;
        m.code.inc({ ...labels, code: c });
        const seen = codes.get(check.endpoint.key) ?? new Set<string>();
        codes.set(check.endpoint.key, seen.add(c));
      }
      if (r.certificateExpirationMs) m.certificate.set(labels, r.certificateExpirationMs / 1000);
      if (r.domainExpirationMs) m.domain.set(labels, r.domainExpirationMs / 1000);
      m.success.set(labels, check.success ? 1 : 0);
    },
  };
}
