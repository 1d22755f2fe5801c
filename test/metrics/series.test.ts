import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createExposition, type ExpositionSink } from '../../src/metrics/exposition.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { CounterFamily, GaugeFamily, HistogramFamily, type Labels } from '../../src/metrics/series.js';

/** One operation on a series: set a gauge, add to a counter, observe into a histogram. */
interface Op {
  series: number;
  value: number;
}

const LABEL_NAMES = ['endpoint', 'group'];
const labelValue = fc.string({ maxLength: 6 }).map((s) => s.replace(/\u0000/g, ''));
const labelSets = fc.uniqueArray(fc.tuple(labelValue, labelValue), { minLength: 1, maxLength: 6, selector: ([a, b]) => `${a}\u0000${b}` });
const ops = fc.array(fc.record({ series: fc.nat({ max: 5 }), value: fc.double({ min: 0, max: 100, noNaN: true }) }), { maxLength: 30 });
const buckets = fc.uniqueArray(fc.double({ min: 0.001, max: 50, noNaN: true }), { maxLength: 5 }).map((b) => [...b].sort((x, y) => x - y));

async function exposed(registry: Registry): Promise<string> {
  const chunks: string[] = [];
  const sink: ExpositionSink = { destroyed: false, write: (c) => chunks.push(c) > 0, once: () => undefined, removeListener: () => undefined };
  await createExposition(registry, 0)(sink);
  return chunks.join('');
}

/** Both registries, with or without a default label (--location, as createRegistry sets it). */
function registries(location: boolean): [Registry, Registry] {
  const make = (): Registry => (location ? createRegistry({ location: 'eu' }) : new Registry());
  return [make(), make()];
}

/** The families named g, c_total and h_seconds (createRegistry adds process metrics, whose values move). */
const ours = (text: string): string =>
  text
    .split('\n\n')
    .filter((block) => /^# HELP (g|c_total|h_seconds) /.test(block))
    .join('\n\n')
    .trimEnd();

describe('series families', () => {
  it('print exactly what prom-client prints for the same gauges, counters and histograms', async () => {
    await fc.assert(
      fc.asyncProperty(labelSets, ops, buckets, fc.boolean(), async (sets, operations, bounds, location) => {
        const [reference, mine] = registries(location);
        const gauge = new Gauge({ name: 'g', help: 'a gauge', labelNames: LABEL_NAMES, registers: [reference] });
        const counter = new Counter({ name: 'c_total', help: 'a counter', labelNames: LABEL_NAMES, registers: [reference] });
        const histogram = new Histogram({ name: 'h_seconds', help: 'a histogram', labelNames: LABEL_NAMES, buckets: bounds, registers: [reference] });
        const g = new GaugeFamily(mine, { name: 'g', help: 'a gauge' });
        const c = new CounterFamily(mine, { name: 'c_total', help: 'a counter' });
        const h = new HistogramFamily(mine, { name: 'h_seconds', help: 'a histogram', buckets: bounds });
        const labels: Labels[] = sets.map(([endpoint, group]) => ({ endpoint, group }));
        const gs = new Map<number, ReturnType<GaugeFamily['add']>>();
        const cs = new Map<number, ReturnType<CounterFamily['add']>>();
        const hs = new Map<number, ReturnType<HistogramFamily['add']>>();
        for (const op of operations as Op[]) {
          const i = op.series % labels.length;
          const l = labels[i] as Labels;
          gauge.set(l, op.value);
          counter.inc(l, op.value);
          histogram.observe(l, op.value);
          if (!gs.has(i)) gs.set(i, g.add(l));
          if (!cs.has(i)) cs.set(i, c.add(l));
          if (!hs.has(i)) hs.set(i, h.add(l));
          (gs.get(i) as { value: number }).value = op.value;
          (cs.get(i) as { value: number }).value += op.value;
          h.observe(hs.get(i) as ReturnType<HistogramFamily['add']>, op.value);
        }
        const expected = ours(await reference.metrics());
        expect(expected).toContain('# TYPE h_seconds histogram');
        expect(ours(await mine.metrics())).toBe(expected);
        expect(ours(await exposed(mine))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('drops a removed series and every series on reset, as prom-client does', async () => {
    const registry = new Registry();
    const g = new GaugeFamily(registry, { name: 'g', help: 'h' });
    const a = g.add({ endpoint: 'a' });
    const b = g.add({ endpoint: 'b' });
    a.value = 1;
    b.value = 2;
    g.remove(a);
    expect(await registry.metrics()).toBe('# HELP g h\n# TYPE g gauge\ng{endpoint="b"} 2\n');
    registry.resetMetrics();
    expect(g.size).toBe(0);
    expect(registry.getSingleMetric('g')).toBe(g);
  });
});
