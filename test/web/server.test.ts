import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { createApp, listen, parseListenAddress, type RunningServer } from '../../src/web/server.js';

describe('parseListenAddress', () => {
  it.each([
    [':8080', { host: undefined, port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
  ])('%s', (input, expected) => {
    expect(parseListenAddress(input)).toEqual(expected);
  });

  it.each(['8080', 'localhost', ':99999', 'a:b'])('rejects %s', (input) => {
    expect(() => parseListenAddress(input)).toThrow(/invalid listen address/);
  });
});

describe('operational routes', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  async function start(ready: boolean, reloadOk: boolean) {
    let reloads = 0;
    const app = createApp({
      registry: createRegistry(),
      logger: silentLogger,
      lifecycle: true,
      ready: () => ready,
      reload: async () => {
        reloads++;
        return reloadOk ? { ok: true, errors: [] } : { ok: false, errors: ['config.yaml:3:5 endpoints[0].url: missing'] };
      },
    });
    server = await listen(app, '127.0.0.1:0');
    return { base: `http://127.0.0.1:${server.port}`, reloads: () => reloads };
  }

  it('serves /-/healthy, /-/ready and /metrics in the Prometheus text format', async () => {
    const { base } = await start(true, true);
    expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${base}/-/ready`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(await metrics.text()).toContain('vigil_build_info');
  });

  it('answers 503 on /-/ready until ready', async () => {
    const { base } = await start(false, true);
    expect((await fetch(`${base}/-/ready`)).status).toBe(503);
  });

  it('reloads on POST /-/reload and reports a failed reload without echoing its errors to an unauthenticated caller', async () => {
    const good = await start(true, true);
    const res = await fetch(`${good.base}/-/reload`, { method: 'POST', headers: { 'X-Requested-With': 'test' } });
    expect(res.status).toBe(200);
    expect(good.reloads()).toBe(1);
    await server?.close();
    const bad = await start(true, false);
    const failed = await fetch(`${bad.base}/-/reload`, { method: 'POST', headers: { 'X-Requested-With': 'test' } });
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(text).toBe('failed to reload config; the errors are in the log\n');
    expect(text).not.toContain('config.yaml');
  });

  it('does not reload on GET and answers unknown paths with 404 JSON', async () => {
    const { base, reloads } = await start(true, true);
    expect((await fetch(`${base}/-/reload`)).status).toBe(404);
    expect(reloads()).toBe(0);
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
