/**
 * The shipped Prometheus setup against real processes: 2 vigil replicas (dist/cli.js) probe a good
 * (200), a bad (500) and an HTTPS target whose certificate expires in 10 days; a real Prometheus runs
 * examples/prometheus/prometheus.yml (targets rewritten to this test's ports, 1 s intervals) with
 * examples/prometheus/rules.yml. Everything is checked through Prometheus' HTTP API, including every
 * PromQL query of examples/grafana/vigil.json.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { requireBinary } from '../helpers/binaries.js';
import { listen } from '../helpers/listen.js';
import {
  api,
  dashboardQueries,
  dashboardVariableQueries,
  eventually,
  labelValues,
  queryVector,
  startPrometheus,
  substituteVariables,
} from '../helpers/prometheus.js';
import type { PrometheusServer, Sample } from '../helpers/prometheus.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import { ensureBuilt, ReplicaTracker, ROOT, startTarget, startVigil } from '../helpers/vigil-process.js';
import type { StatusTarget, VigilReplica } from '../helpers/vigil-process.js';

const prometheusBinary = requireBinary('prometheus');
const EXAMPLE_CONFIG = join(ROOT, 'examples/prometheus/prometheus.yml');
const DASHBOARD = join(ROOT, 'examples/grafana/vigil.json');
const DAY_S = 86_400;
const CERTIFICATE_DAYS = 10;
const WAIT_MS = 30_000;
/** Dashboard queries with no data here: no domain has an RDAP expiry, no quorum alert fires yet (`for: 1m`). */
const EXPECTED_EMPTY = ['annotation "Quorum down"', 'panel 21 "Domain registration expires in (days)" target A'];

/** A stand-in Alertmanager: accepts POST /api/v2/alerts and keeps the alerts. */
async function startAlertSink() {
  const received: { labels: Record<string, string> }[] = [];
  const server = createHttpServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/api/v2/alerts') {
        received.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { labels: Record<string, string> }[]));
        response.writeHead(200, { 'content-type': 'application/json' }).end('');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  const { port, close } = await listen(server);
  return { url: `http://127.0.0.1:${port}`, address: `127.0.0.1:${port}`, received, close };
}

/** An HTTPS target whose certificate expires in CERTIFICATE_DAYS days. */
async function startTlsTarget() {
  const certificate = await makeCertificate({ notAfter: new Date(Date.now() + CERTIFICATE_DAYS * DAY_S * 1000) });
  const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const { port, close } = await listen(server);
  return { url: `https://127.0.0.1:${port}/`, notAfterS: certificate.notAfter.getTime() / 1000, close };
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  relabel_configs?: { source_labels?: string[]; target_label?: string; replacement?: string }[];
  params?: Record<string, string[]>;
  metrics_path?: string;
}

interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: ScrapeConfig[];
}

/**
 * examples/prometheus/prometheus.yml for this test: 1 s intervals, absolute rule file paths, the
 * replicas' ports, the /probe job pointed at replica 1 and probing `probeTarget`, alerts to the sink.
 */
function testPrometheusConfig(replicas: readonly VigilReplica[], probeTarget: string, alertmanager: string): string {
  const config = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as PrometheusConfig;
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' };
  config.rule_files = config.rule_files.map((file) => resolve(dirname(EXAMPLE_CONFIG), file));
  expect(config.alerting.alertmanagers).toHaveLength(1);
  config.alerting.alertmanagers[0]!.static_configs = [{ targets: [alertmanager] }];

  const vigil = config.scrape_configs.find((job) => job.job_name === 'vigil');
  expect(vigil?.static_configs).toHaveLength(1);
  vigil!.static_configs = [{ targets: replicas.map((r) => `127.0.0.1:${r.port}`) }];

  // The blackbox-style job: rewrite only its targets and the exporter address, keep its relabeling.
  const probe = config.scrape_configs.find((job) => job.metrics_path === '/probe');
  expect(probe?.params).toEqual({ module: ['http_2xx'] });
  const address = probe!.relabel_configs?.find((r) => r.target_label === '__address__' && r.source_labels === undefined);
  expect(address?.replacement).toBeDefined();
  address!.replacement = `127.0.0.1:${replicas[0]!.port}`;
  probe!.static_configs = [{ targets: [probeTarget] }];
  return stringify(config);
}

const byLabel = (samples: Sample[], label: string) =>
  Object.fromEntries(samples.map((s) => [s.metric[label] ?? '', Number(s.value[1])]));

interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

async function prometheusAlerts(url: string): Promise<PrometheusAlert[]> {
  return (await api<{ alerts: PrometheusAlert[] }>(url, '/api/v1/alerts')).alerts;
}

describe.skipIf(!prometheusBinary)('Prometheus with examples/prometheus and examples/grafana', () => {
  const tracker = new ReplicaTracker();
  let dir = '';
  let good: StatusTarget;
  let bad: StatusTarget;
  let secure: Awaited<ReturnType<typeof startTlsTarget>>;
  let sink: Awaited<ReturnType<typeof startAlertSink>>;
  let replicas: VigilReplica[] = [];
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'vigil-prometheus-test-'));
    [good, bad, secure, sink] = await Promise.all([startTarget(200), startTarget(500), startTlsTarget(), startAlertSink()]);
    const configFile = join(dir, 'vigil.yaml');
    await writeFile(
      configFile,
      stringify({
        // the dashboard's p95 and phase panels read the opt-in series (README: vigil: section)
        vigil: { 'resend-interval': '2s', 'duration-histogram': true, 'phase-metrics': true },
        endpoints: [
          { name: 'good', group: 'core', url: good.url, interval: '1s', conditions: ['[STATUS] == 200'] },
          {
            name: 'bad',
            group: 'core',
            url: bad.url,
            interval: '1s',
            conditions: ['[STATUS] == 200'],
            alerts: [{ type: 'slack', 'failure-threshold': 1 }],
          },
          {
            name: 'secure',
            group: 'edge',
            url: secure.url,
            interval: '1s',
            client: { insecure: true },
            conditions: ['[STATUS] == 200', '[CERTIFICATE_EXPIRATION] > 48h'],
          },
        ],
      }),
    );
    replicas = await Promise.all(
      ['vigil-1', 'vigil-2'].map((name) => startVigil(tracker, { name, configFile, alertmanagerUrls: [sink.url] })),
    );
    prometheus = await startPrometheus({
      binary: prometheusBinary!,
      config: testPrometheusConfig(replicas, good.url, sink.address),
    });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    tracker.dispose();
    await Promise.all([good?.close(), bad?.close(), secure?.close(), sink?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const instances = () => replicas.map((r) => `127.0.0.1:${r.port}`).sort();

  it('scrapes both replicas: vigil_probe_success per replica with endpoint, group, type labels (1 good, 0 bad)', async () => {
    const url = prometheus!.url;
    const samples = await eventually('6 vigil_probe_success series', WAIT_MS, async () => {
      const result = await queryVector(url, 'vigil_probe_success{job="vigil"}');
      return result.length === 6 ? result : undefined;
    });
    const rows = samples
      .map((s): Record<string, string | number> => ({ ...s.metric, value: Number(s.value[1]) }))
      .sort((a, b) => `${a.endpoint}${a.instance}`.localeCompare(`${b.endpoint}${b.instance}`));
    const [i1, i2] = instances();
    const row = (endpoint: string, group: string, instance: string | undefined, value: number) => ({
      __name__: 'vigil_probe_success',
      job: 'vigil',
      instance,
      endpoint,
      group,
      type: 'http',
      value,
    });
    expect(rows).toEqual([
      row('bad', 'core', i1, 0),
      row('bad', 'core', i2, 0),
      row('good', 'core', i1, 1),
      row('good', 'core', i2, 1),
      row('secure', 'edge', i1, 1),
      row('secure', 'edge', i2, 1),
    ]);
    expect(byLabel(await queryVector(url, 'up{job="vigil"}'), 'instance')).toEqual({ [i1!]: 1, [i2!]: 1 });
    // the certificate expiry every replica reports is the certificate's notAfter
    const certificate = await queryVector(url, 'vigil_certificate_expiry_timestamp_seconds{endpoint="secure"}');
    expect(certificate.map((s) => Number(s.value[1]))).toEqual([secure.notAfterS, secure.notAfterS]);
  });

  it('evaluates the quorum recording rules: bad is down on 2 of 2 replicas, good and secure are up', async () => {
    const url = prometheus!.url;
    // Rules are evaluated on their own schedule: wait until an evaluation saw both replicas' series.
    const quorum = await eventually('the quorum rule over both replicas', WAIT_MS, async () => {
      const counted = byLabel(await queryVector(url, 'vigil:endpoint_replicas:count'), 'endpoint');
      if (counted.bad !== 2 || counted.good !== 2 || counted.secure !== 2) return undefined;
      const result = await queryVector(url, 'vigil:endpoint_success:quorum');
      return result.length === 3 ? result : undefined;
    });
    expect(byLabel(quorum, 'endpoint')).toEqual({ bad: 0, good: 1, secure: 1 });
    // aggregated without instance: the endpoint's own labels survive, the replica's do not
    expect(quorum.find((s) => s.metric.endpoint === 'bad')?.metric).toEqual({
      __name__: 'vigil:endpoint_success:quorum',
      job: 'vigil',
      endpoint: 'bad',
      group: 'core',
      type: 'http',
    });
    expect(byLabel(await queryVector(url, 'vigil:endpoint_failing_replicas:count'), 'endpoint')).toEqual({ bad: 2, good: 0, secure: 0 });
    expect(byLabel(await queryVector(url, 'vigil:endpoint_replicas:count'), 'endpoint')).toEqual({ bad: 2, good: 2, secure: 2 });
    expect(byLabel(await queryVector(url, 'vigil:endpoint_success:ratio'), 'endpoint')).toEqual({ bad: 0, good: 1, secure: 1 });
  });

  it('puts EndpointDownQuorum (bad only) and the certificate warning (secure only) in pending, fires Watchdog', async () => {
    const url = prometheus!.url;
    const alerts = await eventually('EndpointDownQuorum and EndpointCertificateExpiringSoon', WAIT_MS, async () => {
      const all = await prometheusAlerts(url);
      const names = new Set(all.map((a) => a.labels.alertname));
      return names.has('EndpointDownQuorum') && names.has('EndpointCertificateExpiringSoon') ? all : undefined;
    });
    const quorum = alerts.filter((a) => a.labels.alertname === 'EndpointDownQuorum');
    expect(quorum).toHaveLength(1);
    expect(quorum[0]!.labels).toEqual({ alertname: 'EndpointDownQuorum', severity: 'critical', job: 'vigil', endpoint: 'bad', group: 'core', type: 'http' });
    expect(Number(quorum[0]!.value)).toBe(2);
    // `for: 1m`: pending until it has been active for a minute (which this test does not wait for).
    // Near the minute the state depends on when the last evaluation ran: either is right there.
    const activeForMs = Date.now() - Date.parse(quorum[0]!.activeAt);
    const expected = activeForMs < 55_000 ? ['pending'] : activeForMs > 65_000 ? ['firing'] : ['pending', 'firing'];
    expect(expected).toContain(quorum[0]!.state);

    const certificate = alerts.filter((a) => a.labels.alertname === 'EndpointCertificateExpiringSoon');
    expect(certificate.map((a) => [a.labels.endpoint, a.state])).toEqual([['secure', 'pending']]);
    expect(Number(certificate[0]!.value) / DAY_S).toBeCloseTo(CERTIFICATE_DAYS, 0);
    expect(alerts.filter((a) => a.labels.alertname === 'EndpointCertificateExpiryCritical')).toEqual([]);

    expect(alerts.find((a) => a.labels.alertname === 'Watchdog')?.state).toBe('firing');
    for (const name of ['VigilAllReplicasDown', 'VigilReplicaDown', 'VigilConfigReloadFailed', 'VigilNoAlertmanagers', 'VigilNotificationsDropped']) {
      expect(alerts.filter((a) => a.labels.alertname === name), name).toEqual([]);
    }
  });

  it('sends alerts to the Alertmanager of the example config: Watchdog from Prometheus, EndpointDown from vigil', async () => {
    await eventually('Watchdog and EndpointDown at the sink', WAIT_MS, async () => {
      const names = new Set(sink.received.map((a) => a.labels.alertname));
      return names.has('Watchdog') && names.has('EndpointDown') ? true : undefined;
    });
    expect(sink.received.find((a) => a.labels.alertname === 'EndpointDown')?.labels).toMatchObject({ endpoint: 'bad', group: 'core' });
  });

  it('scrapes the blackbox-style job at /probe?module=http_2xx&target=… with the target as instance', async () => {
    const url = prometheus!.url;
    const target = await eventually('the /probe target', WAIT_MS, async () => {
      const { activeTargets } = await api<{
        activeTargets: { scrapePool: string; scrapeUrl: string; labels: Record<string, string>; health: string }[];
      }>(url, '/api/v1/targets', { state: 'active' });
      return activeTargets.find((t) => t.scrapeUrl.includes('/probe'));
    });
    const scrape = new URL(target.scrapeUrl);
    expect(scrape.host).toBe(`127.0.0.1:${replicas[0]!.port}`);
    expect(scrape.pathname).toBe('/probe');
    expect(scrape.searchParams.get('module')).toBe('http_2xx');
    expect(scrape.searchParams.get('target')).toBe(good.url);
    expect(target.labels).toMatchObject({ job: 'vigil-probe', instance: good.url });
    // and vigil answers it like blackbox_exporter
    const probed = await eventually('probe_success from /probe', WAIT_MS, async () => {
      const result = await queryVector(url, 'probe_success{job="vigil-probe"}');
      return result.length > 0 ? result : undefined;
    });
    expect(probed.map((s) => [s.metric.instance, Number(s.value[1])])).toEqual([[good.url, 1]]);
    expect(byLabel(await queryVector(url, 'up{job="vigil-probe"}'), 'instance')).toEqual({ [good.url]: 1 });
  });

  it('answers every query of the Grafana dashboard (panels, annotations, variables) without error', async () => {
    const url = prometheus!.url;
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Parameters<typeof dashboardQueries>[0];
    // rate() over [1m] needs two scrapes in the window
    await eventually('rate() data', WAIT_MS, async () =>
      (await queryVector(url, 'rate(vigil_probes_total{job="vigil"}[1m])')).length > 0 ? true : undefined,
    );

    // the variables, as Grafana resolves them, return values that exist; pick some
    const variables = dashboardVariableQueries(dashboard);
    expect(variables.map((v) => v.name).sort()).toEqual(['endpoint', 'group']);
    const groupQuery = variables.find((v) => v.name === 'group')!.query;
    const endpointQuery = variables.find((v) => v.name === 'endpoint')!.query;
    expect((await labelValues(url, groupQuery)).sort()).toEqual(['core', 'edge']);
    expect((await labelValues(url, substituteVariables(endpointQuery, { group: 'core' }))).sort()).toEqual(['bad', 'good']);
    expect((await labelValues(url, substituteVariables(endpointQuery, { group: '.*' }))).sort()).toEqual(['bad', 'good', 'secure']);

    const selections: Record<string, string>[] = [
      { group: 'core', endpoint: 'bad' }, // one of each
      { group: '(core|edge)', endpoint: '(good|secure)' }, // Grafana's multi-value regex format
      { group: '.*', endpoint: '.*' }, // All
    ];
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(20);
    // a query error is an API error (the check below would see it)
    await expect(api(url, '/api/v1/query', { query: 'sum(rate(vigil_probes_total[1m])' })).rejects.toThrow(/bad_data/);
    const now = Date.now() / 1000;
    const errors: string[] = [];
    const empty = new Set<string>();
    for (const values of selections) {
      for (const { where, expr } of queries) {
        const promql = substituteVariables(expr, values);
        try {
          const result = await api<{ result: unknown[] }>(url, '/api/v1/query', { query: promql });
          await api(url, '/api/v1/query_range', { query: promql, start: String(now - 120), end: String(now), step: '5' });
          if (values.group === '.*' && result.result.length === 0) empty.add(where);
        } catch (error) {
          errors.push(`${where}: ${String(error)}`);
        }
      }
    }
    expect(errors).toEqual([]);
    // With everything selected, only panels about problems this setup does not have may be empty.
    expect([...empty].sort()).toEqual(EXPECTED_EMPTY);
  });
});
