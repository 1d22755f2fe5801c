import { createServer } from 'node:http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllowlist } from '../../src/blackbox/allowlist.js';
import { parseBlackboxConfig } from '../../src/blackbox/config.js';
import type { BlackboxConfig } from '../../src/blackbox/module.js';
import { silentLogger } from '../../src/log.js';
import { probers } from '../../src/probe/index.js';
import { createProbeRouter } from '../../src/web/probe-route.js';
import { createApp, listen as listenApp, type RunningServer } from '../../src/web/server.js';
import { listen } from '../helpers/listen.js';
import { parseExposition, valueOf } from './exposition.js';

const MODULES = `
modules:
  http_2xx:
    prober: http
    timeout: 5s
  http_slow:
    prober: http
    timeout: 30s
  tcp_connect:
    prober: tcp
    timeout: 2s
  pop3s_banner:
    prober: tcp
    tcp:
      query_response:
        - expect: "^+OK"
`;

describe('GET /probe', () => {
  let target: { port: number; close: () => Promise<void> };
  let app: RunningServer;
  let base = '';
  let allow: string[] | undefined;
  const config: BlackboxConfig = parseBlackboxConfig('modules.yml', MODULES).config;

  beforeAll(async () => {
    target = await listen(
      createServer((req, res) => {
        if (req.url === '/hang') return; // never answers
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      }),
    );
    const router = createProbeRouter({ config: () => config, allowlist: () => createAllowlist(allow), probers, logger: silentLogger });
    app = await listenApp(
      createApp({ registry: new Registry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), open: [router] }),
      '127.0.0.1:0',
    );
    base = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app.close();
    await target.close();
  });

  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${base}/probe?${query}`, { headers });

  it('answers with a fresh registry per request: only probe_* families of that probe', async () => {
    const first = await get(`target=http://127.0.0.1:${target.port}/&module=http_2xx`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const http = parseExposition(await first.text());
    expect(valueOf(http, 'probe_success')).toBe(1);
    expect(valueOf(http, 'probe_http_status_code')).toBe(200);
    const tcp = parseExposition(await (await get(`target=127.0.0.1:${target.port}&module=tcp_connect`)).text());
    expect(valueOf(tcp, 'probe_success')).toBe(1);
    expect([...tcp.keys()].sort()).toEqual([
      'probe_dns_lookup_time_seconds', 'probe_duration_seconds', 'probe_failed_due_to_regex', 'probe_ip_addr_hash', 'probe_ip_protocol', 'probe_success',
    ]);
  });

  it('defaults the module to http_2xx and prepends http:// to host:port targets', async () => {
    const families = parseExposition(await (await get(`target=127.0.0.1:${target.port}`)).text());
    expect(valueOf(families, 'probe_success')).toBe(1);
  });

  it.each([
    ['module=http_2xx', 400, 'Target parameter is missing\n'],
    ['module=nope&target=x', 400, 'Unknown module "nope"\n'],
    ['module=tcp_connect&target=127.0.0.1', 400, 'address 127.0.0.1: missing port in address\n'],
    ['module=tcp_connect&target=127.0.0.1:99999', 400, 'address 127.0.0.1:99999: invalid port\n'],
    ['module=http_2xx&target=http://%5B::1', 400, 'Could not parse target URL "http://[::1"\n'],
  ])('rejects %s with %i and a one-line reason', async (query, status, body) => {
    const response = await get(query);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(body);
  });

  it('rejects a bad X-Prometheus-Scrape-Timeout-Seconds header like blackbox (500)', async () => {
    const response = await get(`target=127.0.0.1:${target.port}`, { 'X-Prometheus-Scrape-Timeout-Seconds': 'soon' });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^Failed to parse timeout from Prometheus header/);
  });

  it('takes min(module timeout, scrape timeout − 0.5 s): a 1 s scrape timeout ends a hanging probe in ~0.5 s', async () => {
    const started = performance.now();
    const families = parseExposition(
      await (await get(`target=http://127.0.0.1:${target.port}/hang&module=http_slow`, { 'X-Prometheus-Scrape-Timeout-Seconds': '1' })).text(),
    );
    const elapsed = performance.now() - started;
    expect(valueOf(families, 'probe_success')).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a hanging target does not stall a fast probe running at the same time', async () => {
    const hanging = get(`target=http://127.0.0.1:${target.port}/hang&module=http_2xx`, { 'X-Prometheus-Scrape-Timeout-Seconds': '3.5' });
    const started = performance.now();
    const fast = parseExposition(await (await get(`target=http://127.0.0.1:${target.port}/&module=http_2xx`)).text());
    const fastMs = performance.now() - started;
    expect(valueOf(fast, 'probe_success')).toBe(1);
    expect(fastMs).toBeLessThan(1000);
    const slow = parseExposition(await (await hanging).text());
    expect(valueOf(slow, 'probe_success')).toBe(0);
    expect(valueOf(slow, 'probe_duration_seconds')).toBeGreaterThanOrEqual(2.9);
  });

  it('fails modules using settings vigil does not implement, and says why in ?debug=true', async () => {
    const response = await get(`target=127.0.0.1:${target.port}&module=pop3s_banner&debug=true`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^Logs for the probe:\n/);
    expect(text).toContain('settings="modules.pop3s_banner.tcp.query_response"');
    expect(text).toContain('Metrics that would have been returned:\n');
    expect(text).toContain('probe_success 0');
    expect(text).toContain('Module configuration:\nprober: tcp');
  });

  it('only probes allowlisted targets once vigil.probe-allowlist is set', async () => {
    allow = ['10.0.0.0/8', '*.example.test'];
    try {
      const denied = await get(`target=http://127.0.0.1:${target.port}/&module=http_2xx`);
      expect(denied.status).toBe(403);
      expect(await denied.text()).toBe('Target host "127.0.0.1" is not in vigil.probe-allowlist\n');
      allow = ['127.0.0.0/8'];
      expect((await get(`target=http://127.0.0.1:${target.port}/&module=http_2xx`)).status).toBe(200);
      allow = [];
      expect((await get(`target=127.0.0.1:${target.port}&module=tcp_connect`)).status).toBe(403);
    } finally {
      allow = undefined;
    }
  });
});
