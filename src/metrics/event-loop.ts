/**
 * nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds from a delay monitor that samples
 * every EVENT_LOOP_SAMPLE_MS and reports how late each sample ran beyond that period, over the time
 * since the previous scrape. prom-client's own monitor samples every 10 ms and reports the whole
 * interval: it wakes an idle replica 100 times a second (~5 CPU-ms/s, 0.05 ms per probe at
 * 100 probes/s) and its values never fall below 10 ms.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

export const EVENT_LOOP_SAMPLE_MS = 50;
/**
 * The period given to prom-client's monitor, which collectDefaultMetrics always starts: one it
 * never reaches (~24 days). prom-client's nodejs_eventloop_lag_seconds (setImmediate at scrape time) stays.
 */
export const PROM_CLIENT_MONITOR_MS = 2 ** 31 - 1;

type Stat = (h: IntervalHistogram) => number;
const STATS: ReadonlyArray<readonly [name: string, help: string, stat: Stat]> = [
  ['min', 'The minimum recorded event loop delay', (h) => h.min],
  ['max', 'The maximum recorded event loop delay', (h) => h.max],
  ['mean', 'The mean of the recorded event loop delays', (h) => h.mean],
  ['stddev', 'The standard deviation of the recorded event loop delays', (h) => h.stddev],
  ['p50', 'The 50th percentile of the recorded event loop delays', (h) => h.percentile(50)],
  ['p90', 'The 90th percentile of the recorded event loop delays', (h) => h.percentile(90)],
  ['p99', 'The 99th percentile of the recorded event loop delays', (h) => h.percentile(99)],
];

export const EVENT_LOOP_METRIC_NAMES = STATS.map(([stat]) => `nodejs_eventloop_lag_${stat}_seconds`);

/** Registers the seven gauges in `registry` (after removing prom-client's of the same names). */
export function registerEventLoopDelay(registry: Registry): void {
  for (const name of EVENT_LOOP_METRIC_NAMES) registry.removeSingleMetric(name);
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
  histogram.enable();
  const periodNs = EVENT_LOOP_SAMPLE_MS * 1e6;
  // The first gauge's collect() (the exposition asks the families in order) sets all seven, then starts a new window.
  const collect = (): void => {
    const sampled = histogram.count > 0;
    STATS.forEach(([stat, , value], i) => {
      const ns = sampled ? value(histogram) : 0;
      gauges[i]?.set(stat === 'stddev' ? ns / 1e9 : Math.max(0, ns - periodNs) / 1e9);
    });
    histogram.reset();
  };
  const gauges: Gauge[] = STATS.map(([, help], i) => {
    const name = EVENT_LOOP_METRIC_NAMES[i] as string;
    return new Gauge({ name, help: `${help} beyond its ${EVENT_LOOP_SAMPLE_MS} ms sampling period.`, registers: [registry], ...(i === 0 ? { collect } : {}) });
  });
}
