import { createServer } from 'node:http';
import bcrypt from 'bcryptjs';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecurityMiddleware, isPublicPath } from '../../src/web/security.js';
import { listen } from '../helpers/listen.js';

describe('isPublicPath', () => {
  it.each([
    '/api/v1/endpoints/core_api/health/badge.svg',
    '/api/v1/endpoints/core_api/health/badge.shields',
    '/api/v1/endpoints/core_api/uptimes/7d/badge.svg',
    '/api/v1/endpoints/core_api/response-times/24h/badge.svg',
    '/api/v1/endpoints/core_api/response-times/24h/chart.svg',
    '/api/v1/endpoints/jobs_backup/external',
  ])('leaves %s open like Gatus', (path) => expect(isPublicPath(path)).toBe(true));

  it.each(['/', '/endpoints/core_api', '/api/v1/endpoints/statuses', '/api/v1/endpoints/core_api/statuses', '/api/v1/alerts', '/ui/api/overview', '/api/v1/endpoints/a/b/health/badge.svg'])(
    'protects %s',
    (path) => expect(isPublicPath(path)).toBe(false),
  );
});

describe('basic auth middleware', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  const hash = Buffer.from(bcrypt.hashSync('pa:ss word', 4)).toString('base64');
  const header = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

  async function start(now: () => number): Promise<string> {
    const app = express();
    app.use(createSecurityMiddleware({ basic: { username: 'admin', passwordBcryptBase64: hash } }, { now, cacheTtlMs: 1000 }));
    app.get('/x', (_req, res) => res.send('ok'));
    const server = await listen(createServer(app));
    close = server.close;
    return `http://127.0.0.1:${server.port}`;
  }

  it('accepts a password containing a colon; a cached acceptance never admits another password', async () => {
    let t = 0;
    const base = await start(() => t);
    expect((await fetch(`${base}/x`, { headers: header('admin', 'pa:ss word') })).status).toBe(200);
    t = 500;
    expect((await fetch(`${base}/x`, { headers: header('admin', 'pa:ss word') })).status).toBe(200);
    t = 5000;
    expect((await fetch(`${base}/x`, { headers: header('admin', 'pa:ss word') })).status).toBe(200);
    expect((await fetch(`${base}/x`, { headers: header('admin', 'pa:ss') })).status).toBe(401);
  });

  it('answers 401 JSON with WWW-Authenticate for malformed headers', async () => {
    const base = await start(() => 0);
    for (const auth of ['Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, 'Bearer abc']) {
      const res = await fetch(`${base}/x`, { headers: { Authorization: auth } });
      expect(res.status, auth).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="vigil", charset="UTF-8"');
      expect(await res.json()).toEqual({ error: 'unauthorized', message: 'authentication required' });
    }
  });

  it('is a pass-through without security.basic', async () => {
    const app = express();
    app.use(createSecurityMiddleware({}));
    app.get('/x', (_req, res) => res.send('ok'));
    const server = await listen(createServer(app));
    close = server.close;
    expect((await fetch(`http://127.0.0.1:${server.port}/x`)).status).toBe(200);
  });
});
