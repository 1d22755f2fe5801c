import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllowlist } from '../../src/blackbox/allowlist.js';
import { parseBlackboxConfig } from '../../src/blackbox/config.js';
import type { ProbeLimits } from '../../src/blackbox/handler.js';
import { loadConfig } from '../../src/config/load.js';
import type { RunningServer } from '../../src/web/server.js';
import { listen } from '../helpers/listen.js';
import { parseExposition, valueOf } from './exposition.js';
import { startProbeApp } from './probe-app.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/blackbox/${name}`, import.meta.url));

describe('probe-allowlist host globs', () => {
  it('match one DNS label per *, never across dots', () => {
    const list = createAllowlist(['*.example.com', 'db-*']);
    expect(list.allows('api.example.com')).toBe(true);
    expect(list.allows('API.Example.com.')).toBe(true);
    expect(list.allows('a.b.example.com')).toBe(false);
    expect(list.allows('evil.org.example.com')).toBe(false);
    expect(list.allows('example.com')).toBe(false);
    expect(list.allows('db-1')).toBe(true);
    expect(list.allows('db-1.evil.org')).toBe(false);
  });
});

describe('/probe against SSRF', () => {
  let target: { port: number; close: () => Promise<void> };
  let internal: Server;
  let internalPort = 0;
  let internalHits = 0;
  let app: RunningServer;
  let base = '';
  let hanging = 0;
  const limits: ProbeLimits = { maxConcurrent: 2, maxTimeoutMs: 60_000 };
  const config = parseBlackboxConfig('modules.yml', 'modules:\n  http_2xx:\n    prober: http\n').config;

  beforeAll(async () => {
    // an "internal" service on another loopback address, not in the allowlist
    internal = createServer((_req, res) => {
      internalHits++;
      res.writeHead(200).end('internal secrets\n');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.2', resolve));
    internalPort = (internal.address() as AddressInfo).port;
    target = await listen(
      createServer((req, res) => {
        if (req.url === '/hang') {
          hanging++;
          req.on('close', () => hanging--);
          return;
        }
        if (req.url === '/to-internal') return res.writeHead(302, { location: `http://127.0.0.2:${internalPort}/admin` }).end();
        if (req.url === '/to-self') return res.writeHead(302, { location: '/ok' }).end();
        res.writeHead(200).end('ok\n');
      }),
    );
    ({ app, base } = await startProbeApp({ config: () => config, allowlist: () => createAllowlist(['127.0.0.1']), limits: () => limits }));
  });

  afterAll(async () => {
    await app.close();
    await target.close();
    internal.closeAllConnections();
    await new Promise((resolve) => internal.close(resolve));
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/probe?module=http_2xx&target=${encodeURIComponent(`http://127.0.0.1:${target.port}${path}`)}`, { headers });

  it('checks every redirect hop against the allowlist: a redirect to a host outside it is not followed', async () => {
    const denied = await get('/to-internal');
    expect(denied.status).toBe(200);
    expect(valueOf(parseExposition(await denied.text()), 'probe_success')).toBe(0);
    expect(internalHits).toBe(0);
    const debug = await (await fetch(`${base}/probe?module=http_2xx&debug=true&target=http://127.0.0.1:${target.port}/to-internal`)).text();
    expect(debug).toMatch(/redirect to host ["']127\.0\.0\.2["'] is not in vigil\.probe-allowlist/);
    const allowed = await get('/to-self');
    expect(valueOf(parseExposition(await allowed.text()), 'probe_success')).toBe(1);
  });

  it('answers 429 past vigil.probe-max-concurrent probes in flight, and serves again once they end', async () => {
    const slow = [0, 1].map(() => get('/hang', { 'X-Prometheus-Scrape-Timeout-Seconds': '3' }));
    await expect.poll(() => hanging, { timeout: 5_000 }).toBe(2);
    const refused = await get('/');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/^too many concurrent \/probe requests \(vigil\.probe-max-concurrent: 2\)\n$/);
    await Promise.all((await Promise.all(slow)).map((r) => r.text()));
    expect((await get('/')).status).toBe(200);
  });

  it('caps the caller\'s X-Prometheus-Scrape-Timeout-Seconds at vigil.probe-max-timeout', { timeout: 15_000 }, async () => {
    limits.maxTimeoutMs = 1_500;
    try {
      const started = performance.now();
      const text = await (await get('/hang', { 'X-Prometheus-Scrape-Timeout-Seconds': '3600' })).text();
      const elapsedMs = performance.now() - started;
      expect(valueOf(parseExposition(text), 'probe_success')).toBe(0);
      expect(elapsedMs).toBeLessThan(10_000);
      expect(valueOf(parseExposition(text), 'probe_duration_seconds')).toBeLessThan(1.5);
    } finally {
      limits.maxTimeoutMs = 60_000;
    }
  });
});

describe('vigil.probe-max-concurrent and vigil.probe-max-timeout', () => {
  it('default to 100 probes and 60 s, and are read from the vigil section', async () => {
    const defaults = await loadConfig(fixture('vigil-no-allowlist.yaml'));
    expect(defaults.vigil.probeMaxConcurrent).toBe(100);
    expect(defaults.vigil.probeMaxTimeoutMs).toBe(60_000);
    const set = await loadConfig(fixture('vigil-allowlist.yaml'));
    expect(set.vigil.probeMaxConcurrent).toBe(8);
    expect(set.vigil.probeMaxTimeoutMs).toBe(15_000);
  });
});
