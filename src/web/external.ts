/** External endpoints (Gatus `external-endpoints`): results pushed over the API with a bearer token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CheckResult } from '../check/types.js';
import { DEFAULT_ENDPOINT_UI } from '../config/schema.js';
import type { EndpointConfig, ExternalEndpointConfig } from '../config/schema.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration (`150ms`, `1.5s`, `1m30s`) into milliseconds; undefined when invalid. */
export function parseGoDurationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** Constant-time string comparison (hashes both sides so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/**
 * The enabled external endpoint `key` when `token` is its token, else undefined. An unknown key
 * costs the same comparison as a known one, and callers answer both alike, so pushes cannot
 * tell which keys exist.
 */
export function authenticatePush(
  externals: readonly ExternalEndpointConfig[],
  key: string,
  token: string,
): ExternalEndpointConfig | undefined {
  const external = externals.find((e) => e.enabled && e.key === key);
  const matches = safeEqual(token, external?.token ?? '\u0000no external endpoint');
  return external !== undefined && matches ? external : undefined;
}

/**
 * The EndpointConfig an external endpoint's results carry. External endpoints are not probed;
 * `kind` is `http` only because ProbeKind has no external kind, and the target URL is
 * `external://<key>` so nothing can mistake it for a real address.
 */
export function externalAsEndpoint(external: ExternalEndpointConfig): EndpointConfig {
  return {
    name: external.name,
    group: external.group,
    key: external.key,
    enabled: external.enabled,
    kind: 'http',
    url: '',
    target: { url: new URL(`external://${encodeURIComponent(external.key)}`), method: 'GET', headers: {}, body: '' },
    client: { timeoutMs: 0, insecure: false, followRedirects: false, maxRedirects: 0, maxBodyBytes: 0, network: 'ip' },
    intervalMs: external.heartbeatIntervalMs,
    conditions: [],
    alerts: external.alerts,
    ui: { ...DEFAULT_ENDPOINT_UI },
    labels: external.labels,
    maintenanceWindows: external.maintenanceWindows,
    redactor: external.redactor,
  };
}

export function externalCheck(
  external: ExternalEndpointConfig,
  input: { timestamp: number; success: boolean; durationMs: number; error?: string },
): CheckResult {
  return {
    endpoint: externalAsEndpoint(external),
    timestamp: input.timestamp,
    success: input.success,
    result: { connected: input.success, responseTimeMs: input.durationMs, phasesMs: {} },
    conditionResults: [],
    errors: !input.success && input.error ? [external.redactor.text(input.error)] : [],
  };
}
