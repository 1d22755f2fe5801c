import { describe, expect, it } from 'vitest';
import { createProbeMetrics } from '../../src/metrics/probe-metrics.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { REDACTED, redactUrlLabel, URL_REDACTOR } from '../../src/redact.js';
import { makeEndpoint } from '../helpers/fixtures.js';

describe('vigil_endpoint_info{url}', () => {
  it.each([
    ['https://alice@api.example.com/health', `https://${REDACTED}@api.example.com/health`],
    ['https://alice:pw@api.example.com/health', `https://${REDACTED}:${REDACTED}@api.example.com/health`],
    ['https://api.example.com/v1/health?page=2', 'https://api.example.com/v1/health?page=2'],
    ['https://api.example.com/status/2024-01-31/summary', 'https://api.example.com/status/2024-01-31/summary'],
    ['https://api.example.com/hook/a1b2c3d4e5f6a7b8c9d0/ping', `https://api.example.com/hook/${REDACTED}/ping`],
    ['https://api.example.com/t/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA/x', `https://api.example.com/t/${REDACTED}/x`],
    ['https://healthchecks.example/ping/123e4567-e89b-12d3-a456-426614174000', `https://healthchecks.example/ping/${REDACTED}`],
    ['tcp://db:5432', 'tcp://db:5432'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrlLabel(url, URL_REDACTOR)).toBe(expected);
  });

  it('redacts the username, path tokens and the endpoint\'s own secrets in the exported series', async () => {
    const registry = createRegistry();
    const metrics = createProbeMetrics(registry, { durationHistogram: false, phaseMetrics: false });
    const url = 'https://svc-user:pw-1234@api.example.com/push/9f8e7d6c5b4a39281706f5e4/ok?key=k-5678';
    metrics.setEndpoints([makeEndpoint({ name: 'api', url, target: { url: new URL(url), method: 'GET', headers: {}, body: '' } })]);
    const text = await registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith('vigil_endpoint_info{')) ?? '';
    expect(line).toContain('api.example.com/push/');
    for (const leak of ['svc-user', 'pw-1234', '9f8e7d6c5b4a39281706f5e4', 'k-5678']) expect(line).not.toContain(leak);
  });
});
