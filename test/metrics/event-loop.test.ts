import { describe, expect, it } from 'vitest';
import { EVENT_LOOP_METRIC_NAMES, EVENT_LOOP_SAMPLE_MS } from '../../src/metrics/event-loop.js';
import { createRegistry } from '../../src/metrics/registry.js';

const valueOf = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} missing from:\n${text}`);
  return Number(line.split(' ')[1]);
};

const block = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a synchronous stall, as a slow handler would cause
  }
};

describe('nodejs_eventloop_lag_*_seconds', () => {
  it('reports the delay beyond the sampling period: a stalled loop shows in max, and the window starts again at each scrape', async () => {
    const registry = createRegistry();
    // samples on a free loop first: nearly on time (prom-client's values never go below its 10 ms period)
    await new Promise((resolve) => setTimeout(resolve, EVENT_LOOP_SAMPLE_MS * 8));
    expect(valueOf(await registry.metrics(), 'nodejs_eventloop_lag_min_seconds')).toBeLessThan(0.01);
    // a reset also forgets when the last sample ran: the stalled interval must begin after one
    await new Promise((resolve) => setTimeout(resolve, EVENT_LOOP_SAMPLE_MS * 3));
    block(300);
    // let the monitor take the late sample (and a few more)
    await new Promise((resolve) => setTimeout(resolve, EVENT_LOOP_SAMPLE_MS * 4));
    const stalled = await registry.metrics();
    expect(valueOf(stalled, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.2);
    for (const name of EVENT_LOOP_METRIC_NAMES) expect(valueOf(stalled, name)).toBeGreaterThanOrEqual(0);
    // prom-client's setImmediate lag stays
    expect(stalled).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    await new Promise((resolve) => setTimeout(resolve, EVENT_LOOP_SAMPLE_MS * 4));
    expect(valueOf(await registry.metrics(), 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.2);
  });

  it('reports 0, not a sentinel, for a window with no sample yet', async () => {
    const registry = createRegistry();
    const text = await registry.metrics();
    for (const name of EVENT_LOOP_METRIC_NAMES) expect(valueOf(text, name)).toBe(0);
  });
});
