/** --history.prometheus-url with sharding: endpoints probed by other shards show Prometheus' latest state. */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createStore } from '../../src/store/index.js';
import { createPrometheusHistory, LATEST_QUERIES, type PrometheusHistoryOptions } from '../../src/store/prometheus-history.js';
import { makeCheck, makeClock, makeEndpoint } from '../helpers/fixtures.js';
import { listen } from '../helpers/listen.js';

const mine = makeEndpoint({ name: 'mine', group: 'core' });
const theirs = makeEndpoint({ name: 'theirs', group: 'core' });
const never = makeEndpoint({ name: 'never', group: 'core' });
const NOW = Date.UTC(2024, 0, 1, 12, 30, 0);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Prometheus API that knows the latest state of `mine` (up) and `theirs` (down, 120 ms, scraped at NOW - 7 s). */
async function fakePrometheus(failing = false): Promise<{ url: string; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    const sample = (endpoint: string, value: string) => ({ metric: { endpoint, group: 'core' }, value: [NOW / 1000, value] });
    let result: unknown[] = [];
    if (query === LATEST_QUERIES.success) result = [sample('mine', '1'), sample('theirs', '0')];
    if (query === LATEST_QUERIES.timestampSeconds) result = [sample('mine', String(NOW / 1000 - 3)), sample('theirs', String(NOW / 1000 - 7))];
    if (query === LATEST_QUERIES.durationSeconds) result = [sample('theirs', '0.12')];
    const resultType = url.pathname.endsWith('query_range') ? 'matrix' : 'vector';
    const body = failing ? { status: 'error', error: 'down for maintenance' } : { status: 'success', data: { resultType, result } };
    res.writeHead(failing ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const { port, close } = await listen(server);
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}`, queries };
}

async function history(url: string, overrides: Partial<PrometheusHistoryOptions> = {}) {
  const clock = makeClock(NOW);
  const local = createStore({ historySize: 10, clock });
  local.observe(makeCheck(mine, { timestamp: NOW - 1_000, success: false }));
  const byKey = new Map([mine, theirs, never].map((e) => [e.key, e]));
  const h = createPrometheusHistory({
    local,
    url,
    fetch: (u, init) => fetch(u, init),
    clock,
    logger: createLogger({ write: () => undefined }),
    endpointFor: (key) => byKey.get(key),
    ...overrides,
  });
  cleanups.push(() => h.stop());
  await h.refresh();
  return h;
}

describe('latest state of other shards\' endpoints from Prometheus', () => {
  it('gives an endpoint without local results its latest result across replicas', async () => {
    const prometheus = await fakePrometheus();
    const h = await history(prometheus.url);
    const latest = h.latest(theirs.key);
    expect(latest).toMatchObject({ success: false, timestamp: NOW - 7_000, result: { connected: false, responseTimeMs: 120 } });
    expect(latest?.endpoint.key).toBe(theirs.key);
    expect(h.history(theirs.key)).toEqual([latest]);
    expect(h.history(theirs.key, 2)).toEqual([]);
    expect(h.has(theirs.key)).toBe(true);
    expect(h.count(theirs.key)).toBe(1);
    expect(h.keys().sort()).toEqual([mine.key, theirs.key].sort());
    // Prometheus has nothing for it: still no data
    expect(h.latest(never.key)).toBeUndefined();
    expect(h.history(never.key)).toEqual([]);
  });

  it('keeps this replica\'s own results for the endpoints it probes', async () => {
    const prometheus = await fakePrometheus();
    const h = await history(prometheus.url);
    expect(h.latest(mine.key)).toMatchObject({ success: false, timestamp: NOW - 1_000 });
    expect(h.history(mine.key)).toHaveLength(1);
  });

  it('shows no remote state while Prometheus fails, and asks nothing without endpointFor', async () => {
    const down = await fakePrometheus(true);
    expect((await history(down.url)).latest(theirs.key)).toBeUndefined();
    const up = await fakePrometheus();
    const h = await history(up.url, { endpointFor: undefined });
    expect(h.latest(theirs.key)).toBeUndefined();
    expect(up.queries).not.toContain(LATEST_QUERIES.timestampSeconds); // (success is also the incidents' state at their window start)
  });
});
