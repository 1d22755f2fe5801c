import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { createSecurityMiddleware } from '../../src/web/security.js';
import { createApp, listen, type RunningServer } from '../../src/web/server.js';

const ERROR = 'config.yaml:3:5 endpoints[0].url: missing';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('POST /-/reload (lifecycle API)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: { lifecycle?: boolean; password?: string; ok?: boolean }) {
    let reloads = 0;
    const protect = options.password
      ? createSecurityMiddleware({
          basic: { username: 'admin', passwordBcryptBase64: Buffer.from(bcrypt.hashSync(options.password, 4)).toString('base64') },
        })
      : undefined;
    const app = createApp({
      registry: createRegistry(),
      logger: silentLogger,
      ready: () => true,
      lifecycle: options.lifecycle,
      protect,
      reload: async () => {
        reloads++;
        return options.ok === false ? { ok: false, errors: [ERROR] } : { ok: true, errors: [] };
      },
    });
    server = await listen(app, '127.0.0.1:0');
    const url = `http://127.0.0.1:${server.port}/-/reload`;
    return { url, reloads: () => reloads };
  }

  it('is off unless --web.enable-lifecycle: 403 like Prometheus, nothing reloaded', async () => {
    const { url, reloads } = await start({});
    for (const method of ['POST', 'PUT']) {
      const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('Lifecycle API is not enabled.\n');
    }
    expect(reloads()).toBe(0);
  });

  it('accepts non-browser requests: no body and no headers (curl -X POST, config reloaders), a JSON content type, X-Requested-With', async () => {
    const { url, reloads } = await start({ lifecycle: true });
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } })).status).toBe(200);
    expect((await fetch(url, { method: 'PUT', headers: { 'X-Requested-With': 'curl' } })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect(reloads()).toBe(4);
  });

  it.each([
    ['a foreign Origin', { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, undefined],
    ['Origin null', { Origin: 'null', 'X-Requested-With': 'x' }, undefined],
    ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site', 'X-Requested-With': 'x' }, undefined],
    ['Sec-Fetch-Site same-site', { 'Sec-Fetch-Site': 'same-site', 'Content-Type': 'application/json' }, undefined],
    ['a form post', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1'],
    ['a text/plain body', { 'Content-Type': 'text/plain;charset=UTF-8' }, '{}'],
    ['a multipart body', { 'Content-Type': 'multipart/form-data; boundary=x' }, '--x--'],
    ['a no-cors fetch from another page (browsers send its Origin)', { Origin: 'https://evil.example' }, undefined],
    ['a body without a content type', {}, 'x'],
  ])('refuses what another site could send: %s', async (_name, headers: Record<string, string>, body) => {
    const { url, reloads } = await start({ lifecycle: true });
    const res = await fetch(url, { method: 'POST', headers, body });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/^refused: /);
    expect(reloads()).toBe(0);
  });

  it('accepts its own Origin (a same-origin page)', async () => {
    const { url, reloads } = await start({ lifecycle: true });
    const origin = new URL(url).origin;
    const res = await fetch(url, { method: 'POST', headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(reloads()).toBe(1);
  });

  it('needs basic auth when security.basic is set, and echoes config errors only to an authenticated caller', async () => {
    const { url, reloads } = await start({ lifecycle: true, password: 'reload-pw', ok: false });
    const anonymous = await fetch(url, { method: 'POST', headers: { 'X-Requested-With': 'x' } });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(url, { method: 'POST', headers: { Authorization: basic('admin', 'nope') } });
    expect(wrong.status).toBe(401);
    expect(reloads()).toBe(0);
    const good = await fetch(url, { method: 'POST', headers: { Authorization: basic('admin', 'reload-pw') } });
    expect(good.status).toBe(500);
    expect(await good.text()).toContain(ERROR);
    expect(reloads()).toBe(1);
  });

  it('does not echo config errors when no basic auth is configured (every caller is anonymous)', async () => {
    const { url } = await start({ lifecycle: true, ok: false });
    const res = await fetch(url, { method: 'POST', headers: { 'X-Requested-With': 'x' } });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('config.yaml');
  });
});
