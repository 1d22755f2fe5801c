/**
 * One `/probe` request, independent of express: module lookup, timeout, target planning,
 * allowlist, the probe itself, and a FRESH registry holding that probe's metrics only —
 * blackbox_exporter's prober/handler.go, with vigil's probers.
 */
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { REDACTED, redactText, redactUrl } from '../redact.js';
import type { ProbeKind, ProbeResult, Prober } from '../probe/types.js';
import type { Allowlist } from './allowlist.js';
import { createProbeGauges, recordProbeResult } from './metrics.js';
import type { BlackboxConfig, BlackboxModule } from './module.js';
import { BlackboxTargetError, planProbe } from './target.js';
import { DEFAULT_TIMEOUT_OFFSET_SECONDS, probeTimeoutMs } from './timeout.js';

export interface ProbeRequest {
  /** `module` parameter; blackbox defaults to http_2xx. */
  module: string | undefined;
  target: string | undefined;
  /** `X-Prometheus-Scrape-Timeout-Seconds`. */
  scrapeTimeoutHeader: string | undefined;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** `vigil.probe-max-concurrent` and `vigil.probe-max-timeout`. */
export interface ProbeLimits {
  /** Probes in flight at once; past it a request gets 429. */
  maxConcurrent: number;
  /** Upper bound of the scrape timeout a caller may ask for (X-Prometheus-Scrape-Timeout-Seconds). */
  maxTimeoutMs: number;
}

export interface ProbeHandlerDeps {
  config: () => BlackboxConfig;
  allowlist: () => Allowlist;
  /** Default: no limit (blackbox_exporter's behaviour). */
  limits?: () => ProbeLimits;
  probers: Readonly<Record<ProbeKind, Prober>>;
  timeoutOffsetSeconds?: number;
  now?: () => number;
}

export type ProbeResponse =
  | { kind: 'metrics'; registry: Registry; success: boolean; module: BlackboxModule; logs: string[] }
  | { kind: 'error'; status: number; message: string };

/** blackbox_exporter prints every secret of a module's config as this. */
export const SECRET_MASK = '<secret>';

/** Headers whose values are never credentials; every other header value is masked in debug output. */
const PLAIN_HEADERS = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'cache-control', 'connection', 'content-type',
  'host', 'pragma', 'user-agent',
]);

/**
 * Every secret a module holds: header values (basic_auth, bearer_token and authorization end up
 * in Authorization), the decoded basic-auth pair and the proxy password.
 */
export function moduleSecrets(module: BlackboxModule): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(module.http.headers)) {
    if (PLAIN_HEADERS.has(name.toLowerCase())) continue;
    out.push(value);
    const basic = /^Basic\s+(\S+)$/i.exec(value)?.[1];
    if (basic) {
      const pair = Buffer.from(basic, 'base64').toString('utf8');
      out.push(pair, pair.slice(pair.indexOf(':') + 1));
    }
    const scheme = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (scheme) out.push(scheme);
  }
  if (module.http.proxyUrl && URL.canParse(module.http.proxyUrl)) {
    const password = new URL(module.http.proxyUrl).password;
    if (password) out.push(password, decodeURIComponent(password));
  }
  return out.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

function moduleYaml(module: BlackboxModule): string {
  const plain = JSON.parse(
    JSON.stringify(module, (_key, value: unknown) => (value instanceof RegExp ? value.source : value)),
  ) as Record<string, unknown> & { http: { headers: Record<string, string>; proxyUrl?: string } };
  const { name: _name, ...rest } = plain;
  const headers = rest.http.headers;
  for (const name of Object.keys(headers)) if (!PLAIN_HEADERS.has(name.toLowerCase())) headers[name] = SECRET_MASK;
  if (rest.http.proxyUrl) rest.http.proxyUrl = redactUrl(rest.http.proxyUrl).replaceAll(REDACTED, SECRET_MASK);
  return stringify(rest);
}

/** blackbox's ?debug=true text: logs, the metrics, the module. */
export async function debugOutput(response: Extract<ProbeResponse, { kind: 'metrics' }>): Promise<string> {
  const secrets = moduleSecrets(response.module);
  return [
    'Logs for the probe:',
    ...response.logs.map((line) => redactText(line, secrets).replaceAll(REDACTED, SECRET_MASK)),
    '',
    '',
    '',
    'Metrics that would have been returned:',
    await response.registry.metrics(),
    '',
    '',
    'Module configuration:',
    moduleYaml(response.module),
  ].join('\n');
}

const UNLIMITED: ProbeLimits = { maxConcurrent: Number.POSITIVE_INFINITY, maxTimeoutMs: Number.POSITIVE_INFINITY };

function notAllowed(host: string): string {
  return `host ${JSON.stringify(host)} is not in vigil.probe-allowlist`;
}

export function createProbeHandler(deps: ProbeHandlerDeps): (request: ProbeRequest) => Promise<ProbeResponse> {
  let inFlight = 0;
  const probe = createProbe(deps);
  return async (request) => {
    const { maxConcurrent } = (deps.limits ?? (() => UNLIMITED))();
    if (inFlight >= maxConcurrent) {
      return { kind: 'error', status: 429, message: `too many concurrent /probe requests (vigil.probe-max-concurrent: ${maxConcurrent})` };
    }
    inFlight++;
    try {
      return await probe(request);
    } finally {
      inFlight--;
    }
  };
}

function createProbe(deps: ProbeHandlerDeps): (request: ProbeRequest) => Promise<ProbeResponse> {
  const now = deps.now ?? (() => performance.now());
  return async (request) => {
    const moduleName = request.module || 'http_2xx';
    const module = deps.config().modules.get(moduleName);
    if (module === undefined) return { kind: 'error', status: 400, message: `Unknown module ${JSON.stringify(moduleName)}` };
    const limits = (deps.limits ?? (() => UNLIMITED))();
    const offsetSeconds = deps.timeoutOffsetSeconds ?? DEFAULT_TIMEOUT_OFFSET_SECONDS;
    const timeoutMs = probeTimeoutMs(request.scrapeTimeoutHeader, module.timeoutMs, offsetSeconds, limits.maxTimeoutMs / 1000);
    if (typeof timeoutMs === 'string') {
      return { kind: 'error', status: 500, message: `Failed to parse timeout from Prometheus header: ${timeoutMs}` };
    }
    const target = request.target ?? '';
    if (target === '') return { kind: 'error', status: 400, message: 'Target parameter is missing' };
    let plan;
    try {
      plan = planProbe(module, target, timeoutMs);
    } catch (error) {
      if (error instanceof BlackboxTargetError) return { kind: 'error', status: 400, message: error.message };
      throw error;
    }
    const allowlist = deps.allowlist();
    if (!allowlist.allows(plan.host)) return { kind: 'error', status: 403, message: `Target ${notAllowed(plan.host)}` };
    // every redirect hop is checked too, so an allowed target cannot bounce the probe elsewhere
    plan.options.redirectGuard = (url) => {
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      return allowlist.allows(host) ? undefined : `redirect to ${notAllowed(host)}`;
    };

    const logs: string[] = [];
    const log = (line: string) => logs.push(line);
    const registry = new Registry();
    const gauges = createProbeGauges(registry);
    log(`msg="Beginning probe" probe=${module.prober} timeout_seconds=${timeoutMs / 1000}`);
    const start = now();
    let success = false;
    if (module.unsupported.length > 0) {
      log(`msg="Module uses settings vigil does not implement" settings="${module.unsupported.join(', ')}"`);
    } else {
      const result: ProbeResult = await deps.probers[plan.kind](plan.target, plan.options, request.signal);
      success = recordProbeResult(registry, module, plan, result, log);
    }
    const durationSeconds = (now() - start) / 1000;
    gauges.duration.set(durationSeconds);
    gauges.success.set(success ? 1 : 0);
    log(success ? `msg="Probe succeeded" duration_seconds=${durationSeconds}` : `msg="Probe failed" duration_seconds=${durationSeconds}`);
    return { kind: 'metrics', registry, success, module, logs };
  };
}
