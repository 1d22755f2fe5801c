import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { createBcryptVerifier } from '../../src/web/bcrypt-verifier.js';
import { createSecurityMiddleware } from '../../src/web/security.js';
import { createApp, listen, type RunningServer } from '../../src/web/server.js';

const FLOOD = 60;
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('basic auth under a flood of wrong passwords', () => {
  let server: RunningServer;
  let base = '';
  const verifier = createBcryptVerifier();

  beforeAll(async () => {
    // cost 10: ~50-100 ms of CPU per check in bcryptjs, as a real htpasswd -B hash costs
    const hash = Buffer.from(bcrypt.hashSync('right-password', 10)).toString('base64');
    const protect = createSecurityMiddleware({ basic: { username: 'admin', passwordBcryptBase64: hash } }, { verifier });
    const app = createApp({ registry: createRegistry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), protect });
    server = await listen(app, '127.0.0.1:0');
    base = `http://127.0.0.1:${server.port}`;
  }, 30_000);

  afterAll(async () => {
    await server.close();
    await verifier.close();
  });

  it('keeps the event loop responsive: /-/healthy and cached credentials answer at once while bcrypt is flooded', { timeout: 60_000 }, async () => {
    // log in once, so these credentials are cached
    expect((await fetch(`${base}/api/anything`, { headers: { authorization: basic('right-password') } })).status).toBe(404);

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      fetch(`${base}/api/anything`, { headers: { authorization: basic(`wrong-${i}`) } }).then((r) => r.status),
    );
    const healthMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
      expect((await fetch(`${base}/api/anything`, { headers: { authorization: basic('right-password') } })).status).toBe(404);
      healthMs.push(performance.now() - started);
    }
    const statuses = await Promise.all(flood);
    lag.disable();

    // none of the wrong passwords got in; past the queue they were turned away without hashing
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses).toContain(401);
    // generous bounds (a shared, loaded machine): bcrypt on the event loop blocks it for seconds here
    // (on the event loop, this flood delayed /-/healthy by ~9 s on an idle machine)
    expect(lag.max / 1e6, `event-loop lag max ${lag.max / 1e6} ms`).toBeLessThan(2_000);
    expect(Math.max(...healthMs), `/-/healthy + cached login took ${healthMs.map(Math.round).join(', ')} ms`).toBeLessThan(3_000);
  });

  it('still admits the right password (uncached) once the flood is over, and refuses a wrong one', async () => {
    const protect = createSecurityMiddleware(
      { basic: { username: 'admin', passwordBcryptBase64: Buffer.from(bcrypt.hashSync('other', 4)).toString('base64') } },
      { verifier },
    );
    const app = createApp({ registry: createRegistry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), protect });
    const second = await listen(app, '127.0.0.1:0');
    try {
      const url = `http://127.0.0.1:${second.port}/api/anything`;
      expect((await fetch(url, { headers: { authorization: basic('other') } })).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: basic('nope') } })).status).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('createBcryptVerifier', () => {
  it('checks in a worker and answers busy, without hashing, past maxPending checks in flight', async () => {
    const verifier = createBcryptVerifier({ maxPending: 1 });
    try {
      const hash = bcrypt.hashSync('pw', 8);
      const first = verifier.verify('pw', hash);
      expect(await verifier.verify('pw', hash)).toBe('busy');
      expect(await first).toBe('match');
      expect(await verifier.verify('nope', hash)).toBe('mismatch');
    } finally {
      await verifier.close();
    }
  });
});
