import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ConditionEntry } from '../../src/config/schema.js';
import { createProbeMetrics } from '../../src/metrics/probe-metrics.js';
import { createConfigMetrics, createRegistry } from '../../src/metrics/registry.js';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeEndpoint, makeExternal } from '../helpers/fixtures.js';
import { externalAsEndpoint } from '../../src/web/external.js';

function condition(text: string): ConditionEntry {
  return { text, compiled: { text, placeholders: [], evaluate: () => ({ success: true, rendered: text }) } };
}

function setup() {
  const registry = createRegistry();
  const metrics = createProbeMetrics(registry, { durationHistogram: true, phaseMetrics: true });
  const api = makeEndpoint({ name: 'api', group: 'core', url: 'https://user:hunter2@api.example.com/health?token=abc', conditions: [condition('[STATUS] == 200'), condition('[BODY].status == "UP"')], labels: { team: 'payments' } });
  const db = makeEndpoint({ name: 'db', group: 'core', kind: 'tcp', url: 'tcp://db:5432' });
  metrics.setEndpoints([api, db]);
  metrics.observe(
    makeCheck(api, {
      success: false,
      result: { status: 500, responseTimeMs: 123, phasesMs: { resolve: 1, connect: 2, tls: 3, processing: 100, transfer: 17 }, certificateNotAfterMs: 1_900_000_000_000 },
      conditionResults: [
        { condition: '[STATUS] == 200', success: false, rendered: '[STATUS] (500) == 200' },
        { condition: '[BODY].status == "UP"', success: true, rendered: '[BODY].status == "UP"' },
      ],
    }),
  );
  metrics.observe(makeCheck(db, { success: true, result: { connected: true, responseTimeMs: 4, phasesMs: { connect: 4 } } }));
  metrics.skipped(db);
  return { registry, metrics, api, db };
}

describe('probe metrics', () => {
  it('exposes success, duration histogram, phases, status code, conditions and certificate expiry per endpoint', async () => {
    const { registry } = setup();
    const text = await registry.metrics();
    expect(text).toContain('vigil_probe_success{endpoint="api",group="core",type="http",team="payments"} 0');
    expect(text).toContain('vigil_probe_success{endpoint="db",group="core",type="tcp",team=""} 1');
    expect(text).toContain('vigil_probe_duration_seconds_bucket{le="0.25",endpoint="api",group="core",type="http",team="payments"} 1');
    expect(text).toContain('vigil_probe_phase_duration_seconds{endpoint="api",group="core",type="http",team="payments",phase="processing"} 0.1');
    expect(text).toContain('vigil_probe_http_status_code{endpoint="api",group="core",type="http",team="payments"} 500');
    expect(text).toContain('vigil_condition_success{endpoint="api",group="core",type="http",team="payments",condition="[STATUS] == 200"} 0');
    expect(text).toContain('vigil_condition_success{endpoint="api",group="core",type="http",team="payments",condition="[BODY].status == \\"UP\\""} 1');
    expect(text).toContain('vigil_certificate_expiry_timestamp_seconds{endpoint="api",group="core",type="http",team="payments"} 1900000000');
    expect(text).toContain('vigil_probes_skipped_total{endpoint="db",group="core",type="tcp",team=""} 1');
    expect(text).toMatch(/vigil_build_info\{version="[^"]+",revision="[^"]+",nodejs="v\d+/);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('redacts credentials in vigil_endpoint_info', async () => {
    const { registry } = setup();
    const text = await registry.metrics();
    expect(text).toMatch(/vigil_endpoint_info\{[^}]*url="https:\/\/<redacted>:<redacted>@api.example.com\/health\?token=<redacted>"\} 1/);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('token=abc');
  });

  it('deletes the series of removed endpoints and removed conditions on reload, not leaving them frozen', async () => {
    const { registry, metrics, api } = setup();
    metrics.setEndpoints([{ ...api, conditions: [condition('[STATUS] == 200')] }]);
    const text = await registry.metrics();
    expect(text).not.toContain('endpoint="db"');
    expect(text).not.toContain('[BODY].status');
    expect(text).toContain('condition="[STATUS] == 200"');
  });

  it('adds nothing for a probe that finishes after a reload removed or changed its endpoint', async () => {
    const { registry, metrics, api, db } = setup();
    metrics.setEndpoints([{ ...api, kind: 'tcp', url: 'tcp://api:443' }]);
    metrics.observe(makeCheck(db, { success: true, result: { connected: true, responseTimeMs: 4, phasesMs: {} } }));
    metrics.observe(makeCheck(api, { success: true, result: { status: 200, responseTimeMs: 4, phasesMs: {} } }));
    const text = await registry.metrics();
    expect(text).not.toContain('endpoint="db"');
    expect(text).not.toContain('type="http"');
    expect(text).toContain('vigil_endpoint_info{endpoint="api",group="core",type="tcp",team="payments",url="tcp://api:443"} 1');
  });

  it('keeps the series of pushed (external) endpoints, which are never declared, across reloads', async () => {
    const { registry, metrics, api } = setup();
    const pushed = externalAsEndpoint(makeExternal({ name: 'backup', group: 'jobs' }));
    metrics.observe(makeCheck(pushed, { success: true, result: { connected: true, responseTimeMs: 4, phasesMs: {} } }));
    metrics.setEndpoints([api]);
    metrics.observe(makeCheck(externalAsEndpoint(makeExternal({ name: 'backup', group: 'jobs' })), { success: false }));
    const text = await registry.metrics();
    expect(text).toContain('vigil_probes_total{endpoint="backup",group="jobs",type="http",team="",result="success"} 1');
    expect(text).toContain('vigil_probes_total{endpoint="backup",group="jobs",type="http",team="",result="failure"} 1');
  });

  it('rebuilds the metrics when the set of extra label names changes', async () => {
    const { registry, metrics, db } = setup();
    metrics.setEndpoints([{ ...db, labels: { region: 'eu' } }]);
    const text = await registry.metrics();
    expect(text).toContain('vigil_endpoint_info{endpoint="db",group="core",type="tcp",region="eu",url="tcp://db:5432"} 1');
    expect(text).not.toContain('team=');
  });

  it('debounces vigil_endpoint_up: down after 3 failures in a row, up after 2 successes (Gatus defaults)', async () => {
    const registry = createRegistry();
    const metrics = createProbeMetrics(registry);
    const web = makeEndpoint({ name: 'web' });
    metrics.setEndpoints([web]);
    const upAfter = async (success: boolean) => {
      metrics.observe(makeCheck(web, { success }));
      const m = /vigil_endpoint_up\{endpoint="web",group="core",type="http"\} (\d)/.exec(await registry.metrics());
      return Number(m?.[1]);
    };
    const seen = [];
    for (const success of [false, false, false, true, true, false]) seen.push(await upAfter(success));
    expect(seen).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('reports config reload status and the last success time', async () => {
    const registry = createRegistry();
    const config = createConfigMetrics(registry);
    config.reloaded(true, 1_700_000_000_000);
    config.reloaded(false, 1_700_000_100_000);
    const text = await registry.metrics();
    expect(text).toContain('vigil_config_last_reload_successful 0');
    expect(text).toContain('vigil_config_last_reload_success_timestamp_seconds 1700000000');
  });

  const promtool = requireBinary('promtool');
  it.skipIf(!promtool)('passes `promtool check metrics` with no findings', async () => {
    const { registry } = setup();
    const text = await registry.metrics();
    const out = spawnSync(promtool ?? 'promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
