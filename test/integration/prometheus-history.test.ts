/**
 * `--history.prometheus-url` against real processes: two vigil replicas (dist/cli.js) probe the same
 * endpoint `core/api`, one seeing a fast 200, the other a slow 500; a real Prometheus scrapes both
 * every second. A third vigil, not scraped, probes its own always-fast-200 copy of `core/api` and reads
 * its history from that Prometheus: its badges and page JSON must show the merged replicas' numbers
 * (50 % up, ~150 ms mean), not its own (100 %, ~1 ms).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { listen } from '../helpers/listen.js';
import { eventually, queryVector, startPrometheus, vigilScrapeConfig, type PrometheusServer } from '../helpers/prometheus.js';
import { ensureBuilt, ReplicaTracker, startVigil, type VigilReplica } from '../helpers/vigil-process.js';
import { responseTimeQuery, uptimeQuery } from '../../src/store/prometheus-history.js';

const prometheusBinary = requireBinary('prometheus');
const KEY = 'core_api';
const SLOW_MS = 300;
const WAIT_MS = 60_000;

/** Answers `status` after `delayMs`. */
async function startTarget(status: number, delayMs: number) {
  const server = createServer((_request, response) => {
    setTimeout(() => response.writeHead(status, { 'content-type': 'text/plain' }).end(String(status)), delayMs);
  });
  const { port, close } = await listen(server);
  return { url: `http://127.0.0.1:${port}/health`, close };
}

const endpointYaml = (url: string) =>
  ['endpoints:', '  - name: api', '    group: core', `    url: ${url}`, '    interval: 1s', '    conditions:', '      - "[STATUS] == 200"', ''].join('\n');

describe.skipIf(!prometheusBinary)('history from Prometheus (--history.prometheus-url)', () => {
  const tracker = new ReplicaTracker();
  const closers: (() => Promise<unknown>)[] = [];
  let dir: string;
  let prometheus: PrometheusServer;
  let reader: VigilReplica;

  const startedAt = Date.now();

  beforeAll(async () => {
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'vigil-history-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const fastUp = await startTarget(200, 0);
    const slowDown = await startTarget(500, SLOW_MS);
    const local = await startTarget(200, 0);
    closers.push(fastUp.close, slowDown.close, local.close);
    const files = { a: join(dir, 'a.yaml'), b: join(dir, 'b.yaml'), reader: join(dir, 'reader.yaml') };
    await writeFile(files.a, endpointYaml(fastUp.url));
    await writeFile(files.b, endpointYaml(slowDown.url));
    await writeFile(files.reader, endpointYaml(local.url));

    const a = await startVigil(tracker, { name: 'a', configFile: files.a });
    const b = await startVigil(tracker, { name: 'b', configFile: files.b });
    closers.push(() => a.stop(), () => b.stop());
    prometheus = await startPrometheus({
      binary: prometheusBinary!,
      config: vigilScrapeConfig([a.port, b.port]),
    });
    closers.push(() => prometheus.stop());

    // both replicas' series, with enough samples for rate() over 1h
    // rate() needs two samples of each replica's series: with only one replica's, the mean is its alone
    await eventually('both replicas scraped with probe results', WAIT_MS, async () => {
      const rates = await queryVector(prometheus.url, 'count(rate(vigil_probe_duration_seconds_count[1h]) > 0)');
      const up = await queryVector(prometheus.url, 'count by (endpoint, group) (vigil_probe_success)');
      return rates[0]?.value[1] === '2' && up[0]?.value[1] === '2' ? true : undefined;
    });

    reader = await startVigil(tracker, {
      name: 'reader',
      configFile: files.reader,
      args: [`--history.prometheus-url=${prometheus.url}`, '--history.incident-step=1s'],
    });
    closers.push(() => reader.stop());
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    tracker.dispose();
  });

  const badge = async (path: string): Promise<string> => {
    const response = await fetch(`${reader.url}/api/v1/endpoints/${KEY}/${path}`);
    expect(response.status).toBe(200);
    const svg = await response.text();
    return /<title>[^:]*: ([^<]*)<\/title>/.exec(svg)?.[1] ?? svg;
  };

  it('shows the uptime Prometheus computes across replicas on the badge, not its own', async () => {
    const value = await eventually('a Prometheus-derived 1h uptime badge', WAIT_MS, async () => {
      const text = await badge('uptimes/1h/badge.svg');
      return text === '50%' ? text : undefined;
    });
    expect(value).toBe('50%');
    const [sample] = await queryVector(prometheus.url, uptimeQuery('1h'));
    expect(sample?.metric).toEqual({ endpoint: 'api', group: 'core' });
    expect(Number(sample?.value[1])).toBe(0.5);
    expect(await badge('uptimes/24h/badge.svg')).toBe('50%');
    expect(await badge('uptimes/30d/badge.svg')).toBe('50%');
    // its own probes all succeed: health comes from its latest local result (first probe within 5 s)
    expect(await eventually('the reader probed its own target', WAIT_MS, async () => ((await badge('health/badge.svg')) === 'up' ? 'up' : undefined))).toBe('up');
  });

  it('serves the merged uptime, mean response time and hourly buckets in the page JSON', async () => {
    type Detail = {
      uptime1h: number;
      endpoint: { uptime: Record<string, number>; results: { ok: boolean }[] };
      avgResponseTimeMs: Record<string, number>;
      hourly: { t: number; ms: number; total: number; ok: number }[];
    };
    // Each query falls back to local numbers until a refresh (every 30 s) gets an answer from
    // Prometheus: under load the first refresh can miss one, so wait for a Prometheus-derived mean
    // and hourly bucket (if Prometheus never answers, this times out and the test fails).
    const detail = await eventually('a Prometheus-derived 1h mean response time', WAIT_MS, async () => {
      const response = await fetch(`${reader.url}/ui/api/endpoints/${KEY}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Detail;
      const fromPrometheus = (body.avgResponseTimeMs['1h'] ?? 0) > SLOW_MS / 4 && (body.hourly.at(-1)?.ms ?? 0) > SLOW_MS / 4;
      return fromPrometheus ? body : undefined;
    });
    expect(detail.uptime1h).toBe(0.5);
    expect(detail.endpoint.uptime['7d']).toBe(0.5);
    // the mean over both replicas' probes: ~0 ms and ~SLOW_MS, about equally many
    expect(detail.avgResponseTimeMs['1h']).toBeGreaterThan(SLOW_MS / 4);
    expect(detail.avgResponseTimeMs['1h']).toBeLessThan(SLOW_MS);
    const [mean] = await queryVector(prometheus.url, responseTimeQuery('1h'));
    expect(Math.abs(Number(mean?.value[1]) * 1000 - detail.avgResponseTimeMs['1h']!)).toBeLessThan(SLOW_MS / 3);
    // hourly buckets from query_range: both replicas' probes, half of them failed
    const current = detail.hourly.at(-1);
    expect(current).toBeDefined();
    expect(current!.t).toBe(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    expect(current!.total).toBeGreaterThan(0);
    expect(Math.abs(current!.ok - current!.total / 2)).toBeLessThanOrEqual(Math.max(1, current!.total * 0.1));
    expect(current!.ms).toBeGreaterThan(SLOW_MS / 4);
    // raw results stay the reader's own: every one succeeded
    expect(detail.endpoint.results.length).toBeGreaterThan(0);
    expect(detail.endpoint.results.every((r) => r.ok)).toBe(true);
  });

  it('shows the incident Prometheus sees across replicas and its daily counts, not its own all-up history', async () => {
    type Detail = {
      incidents: { start: number; end?: number }[];
      incidentsFrom: string;
      incidentsSince?: number;
      daily: { t: number; total: number; ok: number }[];
    };
    // replica b has seen core/api down since it was first scraped: down for the replicas together
    const detail = await eventually('incidents from Prometheus', WAIT_MS, async () => {
      const body = (await (await fetch(`${reader.url}/ui/api/endpoints/${KEY}`)).json()) as Detail;
      return body.incidentsFrom === 'prometheus' ? body : undefined;
    });
    expect(detail.incidents).toHaveLength(1);
    expect(detail.incidents[0]!.end).toBeUndefined(); // still open
    expect(detail.incidents[0]!.start).toBeGreaterThan(startedAt - 1_000);
    expect(detail.incidentsSince).toBeLessThan(detail.incidents[0]!.start);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const [day] = detail.daily.filter((d) => d.t === today);
    expect(day!.total).toBeGreaterThan(0);
    expect(Math.abs(day!.ok - day!.total / 2)).toBeLessThanOrEqual(Math.max(1, day!.total * 0.1));
    const page = (await (await fetch(`${reader.url}/ui/api/overview`)).json()) as { incidentsFrom?: string; incidents: { key?: string; end?: number }[] };
    expect(page.incidentsFrom).toBe('prometheus');
    expect(page.incidents.map((i) => [i.key, i.end])).toEqual([[KEY, undefined]]);
    // its own event log, with every probe a success, has no incident
    const gatus = (await (await fetch(`${reader.url}/api/v1/endpoints/${KEY}/statuses`)).json()) as { events?: { type: string }[] };
    expect((gatus.events ?? []).map((e) => e.type)).not.toContain('UNHEALTHY');
  });

  it('logs that it reads its history from Prometheus', () => {
    expect(reader.logs()).toContain('history: reading uptime and response times from Prometheus');
  });
});
