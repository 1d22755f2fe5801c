import { Counter, Gauge, type Registry } from 'prom-client';
import type { CheckResult } from '../check/types.js';
import type { EndpointConfig } from '../config/schema.js';
import type { ProbeKind } from '../probe/types.js';
import type { ProbeMetrics } from './probe-metrics.js';

/** Gatus' endpoint type names, as its `type` label shows them. */
const GATUS_TYPE: Record<ProbeKind, string> = {
  http: 'HTTP',
  tcp: 'TCP',
  tls: 'TLS',
  dns: 'DNS',
  icmp: 'ICMP',
  websocket: 'WS',
  grpc: 'GRPC',
  ssh: 'SSH',
  starttls: 'STARTTLS',
  udp: 'UDP',
};

const LABELS = ['key', 'group', 'name', 'type'];

/**
 * Optional Gatus metric names (`gatus_results_*`, same labels as Gatus) so existing Gatus
 * dashboards keep working. Enabled with `vigil.gatus-metrics: true`.
 */
export function createGatusMetrics(registry: Registry): ProbeMetrics {
  const registers = [registry];
  const total = new Counter({ name: 'gatus_results_total', help: 'Number of results per endpoint (Gatus-compatible).', labelNames: [...LABELS, 'success'], registers });
  const duration = new Gauge({ name: 'gatus_results_duration_seconds', help: 'Duration of the request in seconds (Gatus-compatible).', labelNames: LABELS, registers });
  const connected = new Counter({ name: 'gatus_results_connected_total', help: 'Results in which a connection was established (Gatus-compatible).', labelNames: LABELS, registers });
  const code = new Counter({ name: 'gatus_results_code_total', help: 'Results by HTTP status or DNS rcode (Gatus-compatible).', labelNames: [...LABELS, 'code'], registers });
  const certificate = new Gauge({ name: 'gatus_results_certificate_expiration_seconds', help: 'Seconds until the certificate expires (Gatus-compatible).', labelNames: LABELS, registers });
  const success = new Gauge({ name: 'gatus_results_endpoint_success', help: 'Whether the endpoint was a success (Gatus-compatible).', labelNames: LABELS, registers });
  const codes = new Map<string, Set<string>>();
  let current: readonly EndpointConfig[] = [];

  const labelsOf = (e: EndpointConfig) => ({ key: e.key, group: e.group, name: e.name, type: GATUS_TYPE[e.kind] });

  return {
    setEndpoints(endpoints) {
      const keep = new Set(endpoints.map((e) => `${e.key}\0${e.kind}`));
      for (const old of current) {
        if (keep.has(`${old.key}\0${old.kind}`)) continue;
        const labels = labelsOf(old);
        for (const m of [duration, connected, certificate, success]) m.remove(labels);
        for (const s of ['true', 'false']) total.remove({ ...labels, success: s });
        for (const c of codes.get(old.key) ?? []) code.remove({ ...labels, code: c });
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
      total.inc({ ...labels, success: String(check.success) });
      duration.set(labels, r.responseTimeMs / 1000);
      if (r.connected) connected.inc(labels);
      for (const c of [r.dnsRcode, r.status ? String(r.status) : undefined]) {
        if (!c) continue;
        code.inc({ ...labels, code: c });
        const seen = codes.get(check.endpoint.key) ?? new Set<string>();
        codes.set(check.endpoint.key, seen.add(c));
      }
      if (r.certificateExpirationMs) certificate.set(labels, r.certificateExpirationMs / 1000);
      success.set(labels, check.success ? 1 : 0);
    },
  };
}
