import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedWhileRunning, TimeSlices } from '../../src/slices.js';
import type { EndpointEvent } from '../../src/store/events.js';
import { createStore } from '../../src/store/index.js';
import type { Incident, Overview } from '../../src/web/ui/client/types.js';
import { incidentsOf, pageIncidents } from '../../src/web/ui/incidents.js';
import { overviewJson } from '../../src/web/ui/overview.js';
import { makeCheck, makeClock, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { loopTurns } from '../helpers/loop-turns.js';

/** The page's rule, written plainly: every endpoint's incidents, sorted newest (or open) first, the first `limit`. */
function plainPageIncidents(endpoints: { key: string; name: string; group: string }[], eventsOf: (key: string) => EndpointEvent[], limit: number): Incident[] {
  const all = endpoints.flatMap((e) => incidentsOf(eventsOf(e.key)).map((i) => ({ ...i, key: e.key, name: e.name, group: e.group })));
  const end = (i: Incident): number => i.end ?? Number.MAX_SAFE_INTEGER;
  return all.sort((a, b) => end(b) - end(a) || b.start - a.start).slice(0, limit);
}

describe('page incidents', () => {
  it('are the plain rule: all incidents ranked, ties in endpoint order, the first `limit`, whatever the events', async () => {
    const event = fc.record({ type: fc.constantFrom<EndpointEvent['type']>('START', 'HEALTHY', 'UNHEALTHY'), timestamp: fc.integer({ min: 0, max: 50 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { maxLength: 12 }), { maxLength: 12 }), fc.integer({ min: 0, max: 8 }), async (perEndpoint, limit) => {
        const endpoints = perEndpoint.map((_, i) => ({ key: `k${i}`, name: `n${i}`, group: 'g' }));
        const eventsOf = (key: string): EndpointEvent[] => perEndpoint[Number(key.slice(1))] ?? [];
        expect(await pageIncidents(endpoints, eventsOf, limit, new TimeSlices(0))).toEqual(plainPageIncidents(endpoints, eventsOf, limit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('overview JSON', () => {
  const endpoints = Array.from({ length: 2_000 }, (_, i) => makeEndpoint({ name: `e${i}`, group: `g${i % 7}` }));
  const config = makeConfig({ endpoints });
  const clock = makeClock();
  const store = createStore({ historySize: 10, clock });
  const now = clock.now();
  endpoints.forEach((e, i) => store.observe(makeCheck(e, { timestamp: now - 1000, success: i % 3 !== 0 })));
  // every endpoint flapped: far more incidents than the page lists
  const eventsOf = (key: string): EndpointEvent[] => {
    const i = endpoints.findIndex((e) => e.key === key);
    return [0, 1, 2, 3].map((n) => ({ type: n % 2 === 0 ? 'UNHEALTHY' : 'HEALTHY', timestamp: i * 10 + n }));
  };

  it('is built in slices that let the event loop turn, and holds every endpoint in order', async () => {
    for (const sources of [{}, { eventsOf }]) {
      const turns = loopTurns();
      await overviewJson(store, config, now, { ...sources, sliceMs: 0 });
      turns.stop();
      // with 0 ms slices every endpoint ends one, in the summaries and again in the incidents
      expect(turns.count()).toBeGreaterThanOrEqual(endpoints.length * (sources.eventsOf ? 2 : 1));
    }
    const body = JSON.parse(await overviewJson(store, config, now, { eventsOf })) as Overview;
    expect(body.endpoints.map((e) => e.key)).toEqual(endpoints.map((e) => e.key));
    expect(body.endpoints[0]).toMatchObject({ state: 'down', lastT: now - 1000, uptime: { '24h': 0 }, url: endpoints[0]?.url });
    expect(body.endpoints[1]).toMatchObject({ state: 'up', uptime: { '24h': 1 } });
    expect(body.incidents).toEqual(plainPageIncidents(endpoints, eventsOf, 30));
    expect(body.incidents[0]).toMatchObject({ key: endpoints[1_999]?.key, end: 1_999 * 10 + 3 });
    expect(body).toMatchObject({ generatedAt: now, maintenance: false, notices: [], site: { header: 'Health Status' } });
  });

  it('public view leaves out URL, kind and response time', async () => {
    const body = JSON.parse(await overviewJson(store, config, now, { publicView: true })) as Overview;
    expect(body.endpoints).toHaveLength(endpoints.length);
    for (const e of body.endpoints) {
      expect(e.url).toBeUndefined();
      expect(e.kind).toBe('');
      expect(e.avgResponseTimeMs24h).toBeUndefined();
    }
    // each view keeps its own serialized summaries
    const own = JSON.parse(await overviewJson(store, config, now)) as Overview;
    expect(own.endpoints[0]?.url).toBe(endpoints[0]?.url);
  });
});

describe('sharedWhileRunning', () => {
  it('gives callers during a run that run, and starts a new one after it settles, also after a failure', async () => {
    let runs = 0;
    let fail = false;
    const shared = sharedWhileRunning(async () => {
      runs++;
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error('broken');
      return runs;
    });
    const [a, b] = await Promise.all([shared(), shared()]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await shared()).toBe(2);
    fail = true;
    await expect(Promise.all([shared(), shared()])).rejects.toThrow('broken');
    expect(runs).toBe(3);
    fail = false;
    expect(await shared()).toBe(4);
  });
});
