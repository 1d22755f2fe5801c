import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMaintenanceMetrics } from '../../src/maintenance/metrics.js';
import { createExposition, type ExpositionSink } from '../../src/metrics/exposition.js';
import type { SampleSource } from '../../src/metrics/series.js';
import { makeClock, makeConfig, makeEndpoint, makeExternal } from '../helpers/fixtures.js';

const NAME = 'vigil_endpoint_in_maintenance';
// 12:00–13:00 UTC every day
const NOON = { startMinutes: 12 * 60, durationMs: 3_600_000, timezone: 'UTC', every: [] };

async function scrape(registry: Registry): Promise<string[]> {
  const chunks: string[] = [];
  const sink: ExpositionSink = { destroyed: false, write: (c) => chunks.push(c) > 0, once: () => undefined, removeListener: () => undefined };
  await createExposition(registry)(sink);
  return chunks.join('').split('\n').filter((l) => l.startsWith(NAME));
}

describe('vigil_endpoint_in_maintenance', () => {
  it('is computed when scraped, from the clock: 1 inside a window, 0 after it; disabled endpoints have no series', async () => {
    const registry = new Registry();
    const clock = makeClock(Date.UTC(2024, 0, 1, 12, 30, 0));
    const metrics = createMaintenanceMetrics(registry, clock);
    metrics.update(
      makeConfig({
        endpoints: [makeEndpoint({ name: 'quiet', maintenanceWindows: [NOON], labels: { team: 'a' } }), makeEndpoint({ name: 'loud', labels: { team: 'b' } }), makeEndpoint({ name: 'off', enabled: false })],
        externalEndpoints: [makeExternal({ name: 'pushed' })],
      }),
    );
    const at1230 = await scrape(registry);
    expect(at1230).toEqual([
      `${NAME}{endpoint="quiet",group="core",type="http",team="a"} 1`,
      `${NAME}{endpoint="loud",group="core",type="http",team="b"} 0`,
      `${NAME}{endpoint="pushed",group="jobs",type="external",team=""} 0`,
    ]);
    clock.set(Date.UTC(2024, 0, 1, 13, 30, 0));
    expect((await scrape(registry))[0]).toBe(`${NAME}{endpoint="quiet",group="core",type="http",team="a"} 0`);
    // the text is the same as prom-client's own rendering of the registry
    expect((await registry.metrics()).split('\n').filter((l) => l.startsWith(NAME))).toEqual(await scrape(registry));
  });

  it('is written series by series, like the probe metrics: never collected for every endpoint on one tick', () => {
    const registry = new Registry();
    const metrics = createMaintenanceMetrics(registry, makeClock());
    metrics.update(makeConfig({ endpoints: Array.from({ length: 3 }, (_, i) => makeEndpoint({ name: `ep-${i}` })) }));
    const family = registry.getSingleMetric(NAME) as unknown as Partial<SampleSource>;
    expect(typeof family.list).toBe('function');
    expect(typeof family.visit).toBe('function');
    expect(family.list?.()).toHaveLength(3);
  });
});
