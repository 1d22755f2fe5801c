import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createGatusMetrics } from '../../src/metrics/gatus-metrics.js';
import { externalAsEndpoint } from '../../src/web/external.js';
import { makeCheck, makeEndpoint, makeExternal } from '../helpers/fixtures.js';

async function configWith(lines: string[]) {
  const file = join(await mkdtemp(join(tmpdir(), 'vigil-gatus-metrics-')), 'config.yaml');
  await writeFile(file, [...lines, 'endpoints:', '  - name: a', '    url: http://127.0.0.1:1/', '    conditions: ["[STATUS] == 200"]'].join('\n'));
  return loadConfig(file, { env: {} });
}

describe('Gatus metrics, as Gatus exports them', () => {
  it('Gatus `metrics: true` turns gatus_results_* on; vigil.gatus-metrics overrides either way', async () => {
    expect((await configWith(['metrics: true'])).vigil.gatusMetrics).toBe(true);
    expect((await configWith([])).vigil.gatusMetrics).toBe(false);
    expect((await configWith(['metrics: true', 'vigil: { gatus-metrics: false }'])).vigil.gatusMetrics).toBe(false);
    expect((await configWith(['vigil: { gatus-metrics: true }'])).vigil.gatusMetrics).toBe(true);
  });

  it('carries the extra labels (empty where an endpoint lacks one), domain expiration, and Gatus type names', async () => {
    const registry = new Registry();
    const metrics = createGatusMetrics(registry);
    const web = makeEndpoint({ name: 'web', group: 'core', labels: { team: 'edge', env: 'prod' } });
    const ws = makeEndpoint({ name: 'stream', group: 'core', kind: 'websocket', url: 'wss://ws.example.org/' });
    metrics.setEndpoints([web, ws]);
    metrics.observe(makeCheck(web, { result: { domainExpirationMs: 30 * 86_400_000 } }));
    metrics.observe(makeCheck(ws, { result: { status: undefined } }));
    const ext = externalAsEndpoint(makeExternal({ name: 'backup', group: 'jobs' }));
    metrics.observe(makeCheck(ext, { result: { status: undefined } }));
    const text = await registry.metrics();
    expect(text).toContain('gatus_results_domain_expiration_seconds{key="core_web",group="core",name="web",type="HTTP",env="prod",team="edge"} 2592000');
    expect(text).toContain('gatus_results_endpoint_success{key="core_stream",group="core",name="stream",type="WEBSOCKET",env="",team=""} 1');
    expect(text).toContain('gatus_results_endpoint_success{key="jobs_backup",group="jobs",name="backup",type="UNKNOWN",env="",team=""} 1');
    expect(text).toContain('gatus_results_total{key="core_web",group="core",name="web",type="HTTP",env="prod",team="edge",success="true"} 1');
  });

  it('rebuilds the families when the extra label names change on reload (no frozen series)', async () => {
    const registry = new Registry();
    const metrics = createGatusMetrics(registry);
    const before = makeEndpoint({ name: 'web', labels: { team: 'edge' } });
    metrics.setEndpoints([before]);
    metrics.observe(makeCheck(before));
    const after = makeEndpoint({ name: 'web', labels: { owner: 'sre' } });
    metrics.setEndpoints([after]);
    metrics.observe(makeCheck(after));
    const text = await registry.metrics();
    expect(text).not.toContain('team=');
    expect(text).toContain('gatus_results_endpoint_success{key="core_web",group="core",name="web",type="HTTP",owner="sre"} 1');
  });
});
