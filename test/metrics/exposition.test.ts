import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/types.js';
import type { ConditionEntry, EndpointConfig } from '../../src/config/schema.js';
import { createExposition, type ExpositionSink } from '../../src/metrics/exposition.js';
import { createGatusMetrics } from '../../src/metrics/gatus-metrics.js';
import { createProbeMetrics, type ProbeMetricsOptions } from '../../src/metrics/probe-metrics.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeEndpoint } from '../helpers/fixtures.js';
import { loopTurns } from '../helpers/loop-turns.js';

function condition(text: string): ConditionEntry {
  return { text, compiled: { text, placeholders: [], evaluate: () => ({ success: true, rendered: text }) } };
}

function collect(): { sink: ExpositionSink; chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, sink: { destroyed: false, write: (c) => chunks.push(c) > 0, once: () => undefined, removeListener: () => undefined } };
}

function observeAll(metrics: { observe(c: CheckResult): void }, endpoints: EndpointConfig[], success = true): void {
  for (const e of endpoints) {
    metrics.observe(
      makeCheck(e, {
        success,
        result: { responseTimeMs: 12, phasesMs: { resolve: 1, connect: 2, tls: 3, processing: 4, transfer: 2 }, certificateNotAfterMs: 1_900_000_000_000 },
        conditionResults: e.conditions.map((c) => ({ condition: c.text, success, rendered: c.text })),
      }),
    );
  }
}

const endpoints = (count: number, conditions = ['[STATUS] == 200']) =>
  Array.from({ length: count }, (_, i) => makeEndpoint({ name: `ep-${i}`, url: `https://ep${i}.example.com/health`, conditions: conditions.map(condition), labels: { team: 'a"b\\c\nd' } }));

const FULL: ProbeMetricsOptions = { durationHistogram: true, phaseMetrics: true };

/** A registry with the probe metrics of `count` endpoints, each observed once. */
function populated(count: number, options?: ProbeMetricsOptions, registry = new Registry()): Registry {
  const metrics = createProbeMetrics(registry, options);
  const list = endpoints(count);
  metrics.setEndpoints(list);
  observeAll(metrics, list);
  return registry;
}

describe('/metrics exposition', () => {
  it('writes the same text as prom-client, histograms and label escaping included', async () => {
    const registry = new Registry();
    const metrics = createProbeMetrics(registry, FULL);
    const gatus = createGatusMetrics(registry);
    const list = endpoints(3, ['[STATUS] == 200', '[BODY].msg == "a\\b"']);
    metrics.setEndpoints(list);
    gatus.setEndpoints(list);
    observeAll(metrics, list);
    observeAll(gatus, list, false);
    const { sink, chunks } = collect();
    await createExposition(registry)(sink);
    expect(chunks.join('')).toBe(await registry.metrics());
  });

  it('puts the registry default labels (--location) on every series, after its own, as prom-client does', async () => {
    const registry = populated(2, FULL, createRegistry({ location: 'eu-west' }));
    const { sink, chunks } = collect();
    await createExposition(registry)(sink);
    const text = chunks.join('');
    // process_* values move between two collections: compare the rest line by line
    const stable = (t: string): string[] => t.split('\n').filter((l) => !/^(process|nodejs)_/.test(l));
    expect(stable(text)).toEqual(stable(await registry.metrics()));
    expect(text).toMatch(/^process_start_time_seconds\{location="eu-west"\} /m);
    expect(text).toMatch(/^vigil_probe_success\{endpoint="ep-0",[^}]*,location="eu-west"\} 1$/m);
    const series = text.split('\n').filter((l) => l.startsWith('vigil_probe_duration_seconds_bucket{') && l.includes('endpoint="ep-0"'));
    expect(series.length).toBeGreaterThan(1);
    for (const line of series) expect(line).toContain('location="eu-west"');
  });

  it('writes thousands of endpoints in slices, letting other callbacks run between them', { timeout: 60_000 }, async () => {
    const registry = populated(3_000);
    const chunks: string[] = [];
    const turns = loopTurns();
    const sink: ExpositionSink = { destroyed: false, write: (c) => chunks.push(c) > 0, once: () => undefined, removeListener: () => undefined };
    await createExposition(registry, 0)(sink);
    turns.stop();
    // sliceMs 0: a slice ends after every 256 series
    expect(chunks.length).toBeGreaterThan((3_000 * 6) / 256);
    expect(turns.count()).toBeGreaterThan(chunks.length / 2);
    for (const chunk of chunks) expect(chunk.split('\n').length).toBeLessThan(600);
    expect(chunks.join('')).toBe(await registry.metrics());
  });

  it('stops writing when the client went away', async () => {
    const registry = populated(2_000);
    const chunks: string[] = [];
    const sink = { destroyed: false, write: (c: string) => chunks.push(c) > 0 && false, once: (_e: string, f: () => void) => setImmediate(() => { sink.destroyed = true; f(); }), removeListener: () => undefined };
    await createExposition(registry, 0)(sink);
    expect(chunks).toHaveLength(1);
  });

  it('has at most 12 series per endpoint with default settings (HTTPS, 2 conditions, both results, certificate)', async () => {
    const registry = new Registry();
    const metrics = createProbeMetrics(registry);
    const list = endpoints(1, ['[STATUS] == 200', '[CERTIFICATE_EXPIRATION] > 48h']);
    metrics.setEndpoints(list);
    observeAll(metrics, list, true);
    observeAll(metrics, list, false);
    const text = await registry.metrics();
    const series = text.split('\n').filter((l) => l.includes('endpoint="ep-0"'));
    expect(series.length).toBeLessThanOrEqual(12);
    // every per-endpoint name but the opt-in phase gauge has a series; the histogram keeps _sum and _count
    for (const name of ['vigil_endpoint_up', 'vigil_probe_success', 'vigil_probe_duration_seconds_sum', 'vigil_probe_duration_seconds_count', 'vigil_probe_http_status_code', 'vigil_condition_success', 'vigil_certificate_expiry_timestamp_seconds', 'vigil_probes_total', 'vigil_endpoint_info']) {
      expect(series.some((l) => l.startsWith(`${name}{`)), name).toBe(true);
    }
    expect(text).not.toContain('vigil_probe_phase_duration_seconds{');
    expect(series.filter((l) => l.startsWith('vigil_probe_duration_seconds_bucket'))).toEqual([expect.stringContaining('le="+Inf"')]);
  });

  it('with duration-histogram and phase-metrics adds 12 buckets and 5 phases per endpoint', async () => {
    const registry = populated(1, FULL);
    const text = await registry.metrics();
    expect(text.split('\n').filter((l) => l.startsWith('vigil_probe_duration_seconds_bucket{'))).toHaveLength(13);
    expect(text.split('\n').filter((l) => l.startsWith('vigil_probe_phase_duration_seconds{'))).toHaveLength(5);
  });

  const promtool = requireBinary('promtool');
  it.skipIf(!promtool)('passes `promtool check metrics` as written to /metrics', async () => {
    const registry = populated(5, undefined, createRegistry());
    const { sink, chunks } = collect();
    await createExposition(registry)(sink);
    const out = spawnSync(promtool ?? 'promtool', ['check', 'metrics'], { input: chunks.join(''), encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
