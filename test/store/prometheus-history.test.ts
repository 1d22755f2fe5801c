import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogFields } from '../../src/log.js';
import { createStore, HOUR_MS, type Store } from '../../src/store/index.js';
import {
  createPrometheusHistory,
  HOURLY_QUERIES,
  responseTimeQuery,
  uptimeQuery,
  type PrometheusHistory,
  type PrometheusHistoryOptions,
} from '../../src/store/prometheus-history.js';
import { STATE_QUERY } from '../../src/store/prometheus-timeline.js';
import { listen } from '../helpers/listen.js';
import { makeCheck, makeClock, makeEndpoint } from '../helpers/fixtures.js';

// ---- a fake Prometheus HTTP API: /api/v1/query and /api/v1/query_range with canned JSON

interface FakeRequest {
  path: string;
  params: Record<string, string>;
}
type Reply = { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;
type Handler = (request: FakeRequest) => Reply;

interface FakePrometheus {
  url: string;
  requests: FakeRequest[];
  handler: Handler;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

const vector = (samples: { metric: Record<string, string>; value: string }[], t: number) => ({
  status: 200,
  body: { status: 'success', data: { resultType: 'vector', result: samples.map((s) => ({ metric: s.metric, value: [t, s.value] })) } },
});
const matrix = (series: { metric: Record<string, string>; values: [number, string][] }[]) => ({
  status: 200,
  body: { status: 'success', data: { resultType: 'matrix', result: series } },
});
const empty = (request: FakeRequest) => (request.path === '/api/v1/query_range' ? matrix([]) : vector([], Number(request.params.time)));

async function startFakePrometheus(handler: Handler = empty): Promise<FakePrometheus> {
  const waiters: { count: number; done: () => void }[] = [];
  const fake: FakePrometheus = {
    url: '',
    requests: [],
    handler,
    waitForRequests: (count) =>
      new Promise<void>((done) => {
        if (fake.requests.length >= count) done();
        else waiters.push({ count, done });
      }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = { path: url.pathname, params: Object.fromEntries(url.searchParams) };
    fake.requests.push(request);
    for (const w of [...waiters]) {
      if (fake.requests.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
    void Promise.resolve(fake.handler(request)).then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  const { port, close } = await listen(server);
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = close;
  return fake;
}

// ---- fixtures

const api = makeEndpoint({ name: 'api', group: 'core' });
const web = makeEndpoint({ name: 'Web Site', group: '' });
const NOW = Date.UTC(2024, 0, 1, 12, 30, 0);
const QUERIES_PER_FULL_REFRESH = 8 + 3 + 2 + 2; // uptime and response time × 4 windows, 3 hourly range queries, incidents, daily

interface Harness {
  local: Store;
  history: PrometheusHistory;
  clock: ReturnType<typeof makeClock>;
  logs: LogFields[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(fake: FakePrometheus, overrides: Partial<PrometheusHistoryOptions> = {}): Promise<Harness> {
  const clock = makeClock(NOW);
  const logs: LogFields[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as LogFields) });
  const local = createStore({ historySize: 50, clock });
  // local: api always up at 42 ms, web always down
  for (let i = 0; i < 10; i += 1) {
    local.observe(makeCheck(api, { timestamp: NOW - i * 60_000, success: true }));
    local.observe(makeCheck(web, { timestamp: NOW - i * 60_000, success: false }));
  }
  const history = createPrometheusHistory({ local, url: fake.url, fetch: (url, init) => fetch(url, init), clock, logger, ...overrides });
  cleanups.push(() => history.stop());
  return { local, history, clock, logs };
}

/** Prometheus answers: api 75 % up at 200 ms mean, web 50 % at 1.5 s, in every window. */
function cannedAnswers(request: FakeRequest): Reply {
  const t = Number(request.params.time);
  const q = request.params.query ?? '';
  if (request.path === '/api/v1/query' && q.startsWith('avg by (endpoint, group) (avg_over_time(vigil_probe_success[')) {
    return vector([{ metric: { endpoint: 'api', group: 'core' }, value: '0.75' }, { metric: { endpoint: 'Web Site' }, value: '0.5' }], t);
  }
  if (request.path === '/api/v1/query' && q.includes('vigil_probe_duration_seconds_sum')) {
    return vector([{ metric: { endpoint: 'api', group: 'core' }, value: '0.2' }, { metric: { endpoint: 'Web Site' }, value: '1.5' }], t);
  }
  return empty(request);
}

describe('prometheus history', () => {
  it('answers uptime and mean response time from Prometheus, keyed by the endpoint and group labels', async () => {
    const fake = await startFakePrometheus(cannedAnswers);
    cleanups.push(fake.close);
    const { history } = await harness(fake);
    await history.refresh();
    expect(history.available).toBe(true);
    for (const window of ['1h', '24h', '7d', '30d'] as const) {
      expect(history.uptime(api.key, window)).toBe(0.75);
      expect(history.uptime(web.key, window)).toBe(0.5);
      expect(history.averageResponseTimeMs(api.key, window)).toBeCloseTo(200);
      expect(history.averageResponseTimeMs(web.key, window)).toBeCloseTo(1500);
    }
    // one batched query per window and kind, evaluated at the clock's time
    const instant = fake.requests.filter((r) => r.path === '/api/v1/query' && r.params.query !== STATE_QUERY);
    expect(instant.map((r) => r.params.query).sort()).toEqual(
      (['1h', '24h', '7d', '30d'] as const).flatMap((w) => [uptimeQuery(w), responseTimeQuery(w)]).sort(),
    );
    expect(new Set(instant.map((r) => r.params.time))).toEqual(new Set([String(NOW / 1000)]));
    expect(uptimeQuery('24h')).toBe('avg by (endpoint, group) (avg_over_time(vigil_probe_success[24h]))');
  });

  it('keeps latest and history local', async () => {
    const fake = await startFakePrometheus(cannedAnswers);
    cleanups.push(fake.close);
    const { history, local } = await harness(fake);
    await history.refresh();
    expect(history.latest(api.key)).toBe(local.latest(api.key));
    expect(history.history(api.key, 1, 5)).toEqual(local.history(api.key, 1, 5));
    expect(history.count(web.key)).toBe(10);
    expect(history.keys().sort()).toEqual([api.key, web.key].sort());
    history.observe(makeCheck(api, { timestamp: NOW, success: false }));
    expect(local.latest(api.key)?.success).toBe(false);
  });

  it('builds hourly buckets from range queries with a 1h step, the point at H+1h describing hour H', async () => {
    const hour = Math.floor(NOW / HOUR_MS) * HOUR_MS; // 12:00
    const at = (h: number) => (hour + h * HOUR_MS) / 1000;
    const fake = await startFakePrometheus((request) => {
      if (request.path !== '/api/v1/query_range') return empty(request);
      const metric = { endpoint: 'api', group: 'core' };
      switch (request.params.query) {
        case HOURLY_QUERIES.total:
          // 11:00-12:00 saw 120.4 probes (extrapolated), 12:00-now 30; 3 days ago 60
          return matrix([{ metric, values: [[at(-71), '60'], [at(0), '120.4'], [at(1), '30']] }]);
        case HOURLY_QUERIES.durationSumSeconds:
          return matrix([{ metric, values: [[at(-71), '6'], [at(0), '12.04'], [at(1), '9']] }]);
        case HOURLY_QUERIES.successRatio:
          return matrix([{ metric, values: [[at(-71), '1'], [at(0), '0.5'], [at(1), '0.9']] }]);
        default:
          return matrix([]);
      }
    });
    cleanups.push(fake.close);
    const { history, local } = await harness(fake);
    await history.refresh();

    const range = fake.requests.filter((r) => r.path === '/api/v1/query_range' && r.params.step === '3600');
    expect(range).toHaveLength(3);
    for (const r of range) {
      expect(r.params.step).toBe('3600');
      expect(r.params.end).toBe(String(at(1))); // the current hour's point
      expect(Number(r.params.start)).toBe(Math.floor((NOW - 30 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS / 1000 + 3600);
    }
    expect(history.hourly(api.key, '24h')).toEqual([
      { hourStartMs: hour - HOUR_MS, total: 120, successes: 60, responseTimeSumMs: 12_000 },
      { hourStartMs: hour, total: 30, successes: 27, responseTimeSumMs: 9_000 },
    ]);
    expect(history.hourly(api.key, '7d').map((b) => b.hourStartMs)).toEqual([hour - 72 * HOUR_MS, hour - HOUR_MS, hour]);
    // no hourly series in Prometheus for web: its own buckets
    expect(history.hourly(web.key, '24h')).toEqual(local.hourly(web.key, '24h'));
  });

  it('falls back to the local numbers for an endpoint Prometheus has no series (or no finite value) for', async () => {
    const fake = await startFakePrometheus((request) => {
      const t = Number(request.params.time);
      if (request.path === '/api/v1/query' && request.params.query?.includes('vigil_probe_success')) {
        return vector([{ metric: { endpoint: 'api', group: 'core' }, value: '0.9' }], t);
      }
      if (request.path === '/api/v1/query') return vector([{ metric: { endpoint: 'api', group: 'core' }, value: 'NaN' }], t); // 0/0
      return empty(request);
    });
    cleanups.push(fake.close);
    const { history, local } = await harness(fake);
    await history.refresh();
    expect(history.available).toBe(true);
    expect(history.uptime(api.key, '24h')).toBe(0.9);
    expect(history.uptime(web.key, '24h')).toBe(0);
    expect(history.averageResponseTimeMs(api.key, '1h')).toBe(local.averageResponseTimeMs(api.key, '1h'));
    expect(history.averageResponseTimeMs(api.key, '1h')).toBe(42);
  });

  it('uses the local numbers while Prometheus is unreachable and logs once per state change', async () => {
    let up = false;
    const fake = await startFakePrometheus((request) =>
      up ? cannedAnswers(request) : { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'starting up' } },
    );
    cleanups.push(fake.close);
    const { history, logs, clock } = await harness(fake);
    const states = () => logs.filter((l) => String(l.msg).startsWith('history:')).map((l) => l.level);

    await history.refresh();
    await history.refresh();
    expect(history.available).toBe(false);
    expect(history.uptime(api.key, '24h')).toBe(1);
    expect(history.uptime(web.key, '24h')).toBe(0);
    expect(history.averageResponseTimeMs(api.key, '24h')).toBe(42);
    expect(states()).toEqual(['warn']);
    expect(JSON.stringify(logs.find((l) => l.level === 'warn'))).toContain('starting up');

    up = true;
    clock.advance(30_000);
    await history.refresh();
    await history.refresh();
    expect(history.available).toBe(true);
    expect(history.uptime(api.key, '24h')).toBe(0.75);
    expect(states()).toEqual(['warn', 'info']);

    await fake.close(); // connection refused from now on
    clock.advance(30_000);
    await history.refresh();
    expect(history.available).toBe(false);
    expect(history.uptime(api.key, '1h')).toBe(1);
    // a window whose last query succeeded keeps its (recent) Prometheus value until it is due again
    expect(history.uptime(api.key, '30d')).toBe(0.75);
    expect(states()).toEqual(['warn', 'info', 'warn']);
  });

  it('never makes a read wait for Prometheus: before the first answer the local numbers answer', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    const fake = await startFakePrometheus(async (request) => {
      await gate;
      return cannedAnswers(request);
    });
    cleanups.push(fake.close);
    const { history } = await harness(fake);
    const refreshing = history.refresh();
    await fake.waitForRequests(QUERIES_PER_FULL_REFRESH);
    expect(history.uptime(api.key, '24h')).toBe(1);
    expect(history.averageResponseTimeMs(api.key, '24h')).toBe(42);
    release();
    await refreshing;
    expect(history.uptime(api.key, '24h')).toBe(0.75);
  });

  it('re-queries 1h and 24h every refresh, 7d, 30d and the hourly series only every slow interval', async () => {
    const fake = await startFakePrometheus(cannedAnswers);
    cleanups.push(fake.close);
    const { history, clock } = await harness(fake, { refreshIntervalMs: 30_000, slowRefreshIntervalMs: 300_000 });
    await history.refresh();
    expect(fake.requests).toHaveLength(QUERIES_PER_FULL_REFRESH);
    clock.advance(30_000);
    await history.refresh();
    const second = fake.requests.slice(QUERIES_PER_FULL_REFRESH);
    expect(second.map((r) => r.params.query).sort()).toEqual([uptimeQuery('1h'), uptimeQuery('24h'), responseTimeQuery('1h'), responseTimeQuery('24h')].sort());
    clock.advance(270_000);
    await history.refresh();
    expect(fake.requests).toHaveLength(QUERIES_PER_FULL_REFRESH + 4 + QUERIES_PER_FULL_REFRESH);
  });

  it('start() refreshes at once and then every interval; stop() ends the loop', async () => {
    const fake = await startFakePrometheus(cannedAnswers);
    cleanups.push(fake.close);
    const { history } = await harness(fake, { refreshIntervalMs: 20, slowRefreshIntervalMs: 20, clock: { now: () => Date.now() } });
    history.start();
    await fake.waitForRequests(3 * QUERIES_PER_FULL_REFRESH);
    await history.stop();
    const count = fake.requests.length;
    await new Promise((done) => setTimeout(done, 150)); // several intervals: nothing more may arrive
    expect(fake.requests.length).toBe(count);
  });

  it('stop() aborts queries in flight instead of waiting for a hanging Prometheus', async () => {
    const fake = await startFakePrometheus(() => new Promise(() => undefined));
    cleanups.push(fake.close);
    const { history, logs } = await harness(fake, { queryTimeoutMs: 60_000 });
    history.start();
    await fake.waitForRequests(QUERIES_PER_FULL_REFRESH);
    const started = Date.now();
    await history.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(history.available).toBe(false);
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]); // stopping is not an outage
  });

  it('gives up on a query after queryTimeoutMs', async () => {
    const fake = await startFakePrometheus(() => new Promise(() => undefined));
    cleanups.push(fake.close);
    const { history, logs } = await harness(fake, { queryTimeoutMs: 50 });
    await history.refresh();
    expect(history.available).toBe(false);
    expect(history.uptime(api.key, '24h')).toBe(1);
    expect(logs.some((l) => l.level === 'warn')).toBe(true);
  });

  it('rejects a malformed URL at creation', () => {
    const local = createStore({ historySize: 1, clock: makeClock() });
    const logger = createLogger({ write: () => undefined });
    expect(() => createPrometheusHistory({ local, url: 'not a url', fetch, clock: makeClock(), logger })).toThrow(TypeError);
  });
});
