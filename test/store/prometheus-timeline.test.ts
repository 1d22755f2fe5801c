import { describe, expect, it } from 'vitest';
import type { MatrixSeries, PrometheusApi, VectorSample } from '../../src/store/prometheus-api.js';
import { DAILY_QUERIES, DAY_MS, fetchDaily, fetchIncidents, incidentWindowMs, STATE_QUERY, transitionsQuery } from '../../src/store/prometheus-timeline.js';
import { incidentsOf } from '../../src/web/ui/incidents.js';

interface Call {
  expr: string;
  atMs?: number;
  startMs?: number;
  endMs?: number;
  stepMs?: number;
}

/** A PrometheusApi answering from canned results, recording every call. */
function fakeApi(vectors: Record<string, VectorSample[]>, matrices: Record<string, MatrixSeries[]>): PrometheusApi & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    query: async (expr, atMs) => {
      calls.push({ expr, atMs });
      return vectors[expr] ?? [];
    },
    queryRange: async (expr, startMs, endMs, stepMs) => {
      calls.push({ expr, startMs, endMs, stepMs });
      return matrices[expr] ?? [];
    },
  };
}

const api = { endpoint: 'api', group: 'core' };
const web = { endpoint: 'web', group: '' };
const signal = new AbortController().signal;
const STEP = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);

describe('incidents from Prometheus', () => {
  it('asks for the steps where the across-replica state changed or first appeared', () => {
    expect(transitionsQuery(STEP)).toBe(
      '(min by (endpoint, group) (vigil_probe_success) != min by (endpoint, group) (vigil_probe_success offset 60s))' +
        ' or (min by (endpoint, group) (vigil_probe_success) unless min by (endpoint, group) (vigil_probe_success offset 60s))',
    );
    expect(incidentWindowMs(STEP)).toBe(10_000 * STEP); // 6.9 days: under Prometheus' 11 000 points
    expect(incidentWindowMs(15 * 60_000)).toBe(7 * DAY_MS);
  });

  it('turns the state at the window start and the changes into events, keyed by endpoint', async () => {
    const end = Math.floor(NOW / STEP) * STEP;
    const since = end - incidentWindowMs(STEP);
    const t = (minutesAgo: number) => (end - minutesAgo * STEP) / 1000;
    const fake = fakeApi(
      { [STATE_QUERY]: [{ labels: api, value: 0 }, { labels: web, value: 1 }] },
      {
        [transitionsQuery(STEP)]: [
          { labels: api, points: [[t(50) * 1000, 1], [t(20) * 1000, 0]] },
          { labels: web, points: [[t(10) * 1000, 0], [t(5) * 1000, 1]] },
          { labels: { endpoint: 'new', group: 'core' }, points: [[t(3) * 1000, 1]] },
          { labels: { group: 'no-endpoint-label' }, points: [[t(3) * 1000, 0]] },
        ],
      },
    );
    const { sinceMs, events } = await fetchIncidents(fake, NOW, STEP, signal);
    expect(sinceMs).toBe(since);
    expect(fake.calls).toEqual([
      { expr: STATE_QUERY, atMs: since },
      { expr: transitionsQuery(STEP), startMs: since, endMs: end, stepMs: STEP },
    ]);
    // core/api: down when the window starts, up 50 min ago, down again 20 min ago and still
    expect(incidentsOf(events.get('core_api')!)).toEqual([{ start: t(20) * 1000 }, { start: since, end: t(50) * 1000 }]);
    expect(incidentsOf(events.get('_web')!)).toEqual([{ start: t(10) * 1000, end: t(5) * 1000 }]);
    expect(incidentsOf(events.get('core_new')!)).toEqual([]); // appeared healthy: known, no incident
    expect([...events.keys()].sort()).toEqual(['_web', 'core_api', 'core_new']);
  });
});

describe('daily counts from Prometheus', () => {
  it('reads 90 UTC days with a 1d step, the point at D + 1d describing day D', async () => {
    const today = Math.floor(NOW / DAY_MS) * DAY_MS;
    const at = (days: number) => (today + days * DAY_MS) / 1000;
    const fake = fakeApi(
      {},
      {
        [DAILY_QUERIES.total]: [{ labels: api, points: [[at(-40) * 1000, 8640.4], [at(0) * 1000, 0], [at(1) * 1000, 720]] }],
        [DAILY_QUERIES.successRatio]: [{ labels: api, points: [[at(-40) * 1000, 1], [at(1) * 1000, 0.75]] }],
      },
    );
    const daily = await fetchDaily(fake, NOW, signal);
    for (const call of fake.calls) {
      expect(call.stepMs).toBe(DAY_MS);
      expect(call.endMs).toBe(today + DAY_MS); // today's point
      expect(call.startMs).toBe(today - 88 * DAY_MS); // the point of the day 89 days ago
    }
    expect(daily.get('core_api')).toEqual([
      { t: today - 41 * DAY_MS, total: 8640, ok: 8640 },
      { t: today, total: 720, ok: 540 },
    ]);
  });
});
