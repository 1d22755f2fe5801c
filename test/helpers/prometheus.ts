/**
 * A real Prometheus for integration tests (fresh TSDB per start, free loopback port, always killed),
 * its HTTP API, and the PromQL found in a Grafana dashboard.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './alertmanager-cluster.js';
import { keepLastLines, waitUntilReady } from './spawned.js';

const READY_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface PrometheusServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The directory holding prometheus.yml and the TSDB (removed by stop()). */
  dir: string;
  /** SIGTERM (SIGKILL after 5 s), then removes the directory. */
  stop(): Promise<void>;
  logs(): string;
}

export interface StartPrometheusOptions {
  binary: string;
  /** prometheus.yml text; relative rule_files resolve against `dir`, so give absolute paths. */
  config: string;
}

const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const child of running) child.kill('SIGKILL');
};

/** prometheus.yml scraping vigil replicas on loopback `ports` every second (job "vigil"). */
export function vigilScrapeConfig(ports: readonly number[]): string {
  const targets = ports.map((port) => `"127.0.0.1:${port}"`).join(', ');
  return ['global: { scrape_interval: 1s, evaluation_interval: 1s }', 'scrape_configs:', '  - job_name: vigil', `    static_configs: [{ targets: [${targets}] }]`, ''].join('\n');
}

/** Starts Prometheus on a free port with a fresh TSDB and resolves once /-/ready answers 200. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    options.binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (running.size === 0) process.once('exit', killRunning);
  running.add(child);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running.delete(child);
      if (running.size === 0) process.removeListener('exit', killRunning);
      done();
    }),
  );
  const server: PrometheusServer = {
    url,
    dir,
    logs: keepLastLines(child, 100),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };

  await waitUntilReady(url, { name: 'prometheus', child, timeoutMs: READY_TIMEOUT_MS, logs: server.logs, giveUp: server.stop });
  return server;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** GET an API path; throws with Prometheus' own error message when status is not "success". */
export async function api<T>(baseUrl: string, path: string, params: Record<string, string | string[]> = {}): Promise<T> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  const response = await fetch(`${baseUrl}${path}?${search}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as ApiResponse<T>;
  if (body.status !== 'success') {
    throw new Error(`${path} ${JSON.stringify(params)}: ${body.errorType ?? response.status}: ${body.error ?? 'unknown error'}`);
  }
  return body.data;
}

/** An instant vector query (throws on a query error or a non-vector result). */
export async function queryVector(baseUrl: string, expr: string): Promise<Sample[]> {
  const data = await api<{ resultType: string; result: Sample[] }>(baseUrl, '/api/v1/query', { query: expr });
  if (data.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got ${data.resultType}`);
  return data.result;
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(500);
  }
}

// ---- Grafana dashboards

export interface DashboardQuery {
  /** Where it was found, e.g. `panel 7 "Probe duration p95" target B`. */
  where: string;
  expr: string;
}

export interface DashboardVariableQuery {
  name: string;
  /** The variable's query, e.g. `label_values(vigil_probe_success{group=~"$group"}, endpoint)`. */
  query: string;
}

interface PanelLike {
  id?: number;
  title?: string;
  type?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: PanelLike[];
}

interface DashboardLike {
  panels?: PanelLike[];
  annotations?: { list?: { name?: string; expr?: string }[] };
  templating?: { list?: { name: string; type: string; query?: unknown; definition?: string }[] };
}

/** Every PromQL expression in panels (rows included), their targets and annotations. */
export function dashboardQueries(dashboard: DashboardLike): DashboardQuery[] {
  const found: DashboardQuery[] = [];
  const visit = (panels: PanelLike[] | undefined) => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr === 'string' && target.expr.trim() !== '') {
          found.push({ where: `panel ${panel.id} "${panel.title}" target ${target.refId}`, expr: target.expr });
        }
      }
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (typeof annotation.expr === 'string') found.push({ where: `annotation "${annotation.name}"`, expr: annotation.expr });
  }
  return found;
}

/** The queries of the dashboard's `query` template variables. */
export function dashboardVariableQueries(dashboard: DashboardLike): DashboardVariableQuery[] {
  return (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query')
    .map((v) => {
      const q = v.query;
      const query = typeof q === 'string' ? q : typeof q === 'object' && q !== null && 'query' in q ? String((q as { query: unknown }).query) : (v.definition ?? '');
      return { name: v.name, query };
    });
}

/** Grafana's interval variables, with values a test Prometheus (scraping every second) can answer. */
export const BUILTIN_VARIABLES: Readonly<Record<string, string>> = {
  __range: '5m',
  __range_s: '300',
  __range_ms: '300000',
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
};

/** Replaces `$name`, `${name}` and `${name:format}` with the given values; unknown names throw. */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = values[name] ?? BUILTIN_VARIABLES[name];
    if (value === undefined) throw new Error(`no value for variable $${name} in ${expr}`);
    return value;
  });
}

/** Parses Grafana's `label_values(selector, label)` (or `label_values(label)`). */
export function parseLabelValues(query: string): { match?: string; label: string } {
  const m = /^\s*label_values\(\s*(?:(.*)\s*,\s*)?(\w+)\s*\)\s*$/s.exec(query);
  if (!m) throw new Error(`not a label_values() query: ${query}`);
  return m[1] ? { match: m[1].trim(), label: m[2]! } : { label: m[2]! };
}

/** Runs a `label_values()` variable query against Prometheus the way Grafana does. */
export async function labelValues(baseUrl: string, query: string): Promise<string[]> {
  const { match, label } = parseLabelValues(query);
  return api<string[]>(baseUrl, `/api/v1/label/${encodeURIComponent(label)}/values`, match ? { 'match[]': match } : {});
}
