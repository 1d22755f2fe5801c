import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createGatusMetrics } from '../../src/metrics/gatus-metrics.js';
import { makeCheck, makeEndpoint } from '../helpers/fixtures.js';

describe('Gatus-compatible metrics', () => {
  it('publishes gatus_results_* with Gatus labels and type names', async () => {
    const registry = new Registry();
    const metrics = createGatusMetrics(registry);
    const api = makeEndpoint({ name: 'API v2', group: 'core' });
    metrics.setEndpoints([api]);
    metrics.observe(makeCheck(api, { success: true, result: { connected: true, status: 200, responseTimeMs: 250, certificateExpirationMs: 86_400_000 } }));
    const text = await registry.metrics();
    expect(text).toContain('gatus_results_total{key="core_api-v2",group="core",name="API v2",type="HTTP",success="true"} 1');
    expect(text).toContain('gatus_results_code_total{key="core_api-v2",group="core",name="API v2",type="HTTP",code="200"} 1');
    expect(text).toContain('gatus_results_connected_total{key="core_api-v2",group="core",name="API v2",type="HTTP"} 1');
    expect(text).toContain('gatus_results_duration_seconds{key="core_api-v2",group="core",name="API v2",type="HTTP"} 0.25');
    expect(text).toContain('gatus_results_certificate_expiration_seconds{key="core_api-v2",group="core",name="API v2",type="HTTP"} 86400');
    expect(text).toContain('gatus_results_endpoint_success{key="core_api-v2",group="core",name="API v2",type="HTTP"} 1');
  });

  it('deletes the series of endpoints removed on reload', async () => {
    const registry = new Registry();
    const metrics = createGatusMetrics(registry);
    const a = makeEndpoint({ name: 'a' });
    const b = makeEndpoint({ name: 'b' });
    metrics.setEndpoints([a, b]);
    metrics.observe(makeCheck(a, { result: { status: 503 } }));
    metrics.observe(makeCheck(b, { result: { status: 200 } }));
    metrics.setEndpoints([b]);
    const text = await registry.metrics();
    expect(text).not.toContain('name="a"');
    expect(text).toContain('name="b"');
  });
});
