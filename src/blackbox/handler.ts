/**
 * One `/probe` request, independent of express: module lookup, timeout, target planning,
 * allowlist, the probe itself, and a FRESH registry holding that probe's metrics only —
 * blackbox_exporter's prober/handler.go, with vigil's probers.
 */
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
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

export interface ProbeHandlerDeps {
  config: () => BlackboxConfig;
  allowlist: () => Allowlist;
  probers: Readonly<Record<ProbeKind, Prober>>;
  timeoutOffsetSeconds?: number;
  now?: () => number;
}

export type ProbeResponse =
  | { kind: 'metrics'; registry: Registry; success: boolean; module: BlackboxModule; logs: string[] }
  | { kind: 'error'; status: number; message: string };

function moduleYaml(module: BlackboxModule): string {
  const plain = JSON.parse(
    JSON.stringify(module, (_key, value: unknown) => (value instanceof RegExp ? value.source : value)),
  ) as Record<string, unknown>;
  const { name: _name, ...rest } = plain;
  return stringify(rest);
}

/** blackbox's ?debug=true text: logs, the metrics, the module. */
export async function debugOutput(response: Extract<ProbeResponse, { kind: 'metrics' }>): Promise<string> {
  return [
    'Logs for the probe:',
    ...response.logs,
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

export function createProbeHandler(deps: ProbeHandlerDeps): (request: ProbeRequest) => Promise<ProbeResponse> {
  const now = deps.now ?? (() => performance.now());
  return async (request) => {
    const moduleName = request.module || 'http_2xx';
    const module = deps.config().modules.get(moduleName);
    if (module === undefined) return { kind: 'error', status: 400, message: `Unknown module ${JSON.stringify(moduleName)}` };
    const timeoutMs = probeTimeoutMs(request.scrapeTimeoutHeader, module.timeoutMs, deps.timeoutOffsetSeconds ?? DEFAULT_TIMEOUT_OFFSET_SECONDS);
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
    if (!deps.allowlist().allows(plan.host)) {
      return { kind: 'error', status: 403, message: `Target host ${JSON.stringify(plan.host)} is not in vigil.probe-allowlist` };
    }

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
