import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { BADGE_COLORS } from '../../src/web/badges.js';
import type { GatusStatus } from '../../src/web/view.js';
import { makeCheck, makeConfig, makeEndpoint, makeExternal } from '../helpers/fixtures.js';
import { startApp, type TestApp } from './app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const up = makeEndpoint({ name: 'My API', group: 'core' });
const down = makeEndpoint({ name: 'db', group: 'core' });
const ext = makeExternal({ name: 'nightly backup', group: 'jobs', token: 'good-token-1234' });

async function json(res: Response): Promise<unknown> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json();
}

function fill(a: TestApp, count = 30): void {
  const now = a.clock.now();
  for (let i = 0; i < count; i += 1) {
    a.store.observe(makeCheck(up, { timestamp: now - (count - i) * 60_000, result: { responseTimeMs: 20 + i } }));
    a.store.observe(makeCheck(down, { timestamp: now - (count - i) * 60_000, success: false, errors: ['connection refused'] }));
  }
}

function isSvg(text: string): boolean {
  return text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && text.trimEnd().endsWith('</svg>') && !/<script/i.test(text);
}

describe('GET /api/v1/endpoints/statuses', () => {
  it('lists every endpoint in Gatus shape, page 1 = up to the 50 most recent results, oldest first', async () => {
    app = await startApp(makeConfig({ endpoints: [up, down], externalEndpoints: [ext] }));
    fill(app);
    const body = (await json(await fetch(`${app.base}/api/v1/endpoints/statuses`))) as GatusStatus[];
    expect(body.map((s) => s.key)).toEqual(['core_my-api', 'core_db', 'jobs_nightly-backup']);
    const first = body[0];
    expect(first?.name).toBe('My API');
    expect(first?.group).toBe('core');
    expect(first?.results).toHaveLength(30);
    const r = first?.results[29];
    expect(r).toEqual({
      status: 200,
      hostname: 'myapi.example.com',
      duration: 49 * 1e6,
      conditionResults: [{ condition: '[STATUS] == 200', success: true }],
      success: true,
      timestamp: new Date(app.clock.now() - 60_000).toISOString(),
      errors: [],
    });
    expect(body[1]?.results[0]?.errors).toEqual(['connection refused']);
    expect(body[1]?.results[0]?.conditionResults[0]).toEqual({ condition: '[STATUS] (500) == 200', success: false });
    expect(body[2]?.results).toEqual([]);
  });

  it('paginates results with page and pageSize', async () => {
    app = await startApp(makeConfig({ endpoints: [up] }));
    fill(app, 30);
    const p2 = (await json(await fetch(`${app.base}/api/v1/endpoints/statuses?page=2&pageSize=12`))) as GatusStatus[];
    expect(p2[0]?.results.map((r) => r.duration / 1e6)).toEqual([26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37]);
    const p3 = (await json(await fetch(`${app.base}/api/v1/endpoints/statuses?page=3&pageSize=12`))) as GatusStatus[];
    expect(p3[0]?.results).toHaveLength(6);
    const big = (await json(await fetch(`${app.base}/api/v1/endpoints/statuses?pageSize=5000`))) as GatusStatus[];
    expect(big[0]?.results).toHaveLength(30);
  });

  it.each(['page=0', 'page=abc', 'pageSize=-1', 'pageSize=1.5', 'page=1&page=2', 'pageSize=0'])(
    'falls back to the defaults (page 1, pageSize 50) for %s, as Gatus does',
    async (q) => {
      app = await startApp(makeConfig({ endpoints: [up] }));
      fill(app, 60);
      const res = await fetch(`${app.base}/api/v1/endpoints/statuses?${q}`);
      expect(res.status).toBe(200);
      const body = (await json(res)) as GatusStatus[];
      expect(body[0]?.results.map((r) => r.duration / 1e6)).toEqual(Array.from({ length: 50 }, (_, i) => 30 + i));
    },
  );
});

describe('GET /api/v1/endpoints/{key}/statuses', () => {
  it('finds an endpoint by its sanitised Gatus key', async () => {
    app = await startApp(makeConfig({ endpoints: [up, down] }));
    fill(app, 3);
    const body = (await json(await fetch(`${app.base}/api/v1/endpoints/core_my-api/statuses?pageSize=2`))) as GatusStatus;
    expect(body.key).toBe('core_my-api');
    expect(body.results).toHaveLength(2);
  });

  it('answers 404 JSON for an unknown key and 400 for a control character', async () => {
    app = await startApp(makeConfig({ endpoints: [up] }));
    const res = await fetch(`${app.base}/api/v1/endpoints/core_My%20API/statuses`);
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: 'not_found', message: 'no endpoint with this key' });
    const bad = await fetch(`${app.base}/api/v1/endpoints/a%00b/statuses`);
    expect(bad.status).toBe(400);
    expect(((await json(bad)) as { message: string }).message).toMatch(/control/);
    const bogus = await fetch(`${app.base}/api/v1/endpoints/%E0%A4%A/statuses`);
    expect(bogus.status).toBe(400);
    await json(bogus);
  });
});

describe('badges', () => {
  it('uptime badges are SVG with Gatus colours', async () => {
    app = await startApp(makeConfig({ endpoints: [up, down] }));
    fill(app, 10);
    const good = await fetch(`${app.base}/api/v1/endpoints/core_my-api/uptimes/24h/badge.svg`);
    expect(good.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const goodSvg = await good.text();
    expect(isSvg(goodSvg)).toBe(true);
    expect(goodSvg).toContain(BADGE_COLORS.awesome);
    expect(goodSvg).toContain('uptime 24h');
    expect(goodSvg).toContain('100%');
    const badSvg = await (await fetch(`${app.base}/api/v1/endpoints/core_db/uptimes/7d/badge.svg`)).text();
    expect(badSvg).toContain(BADGE_COLORS.veryBad);
    expect(badSvg).toContain('0%');
    for (const w of ['1h', '30d']) {
      expect((await fetch(`${app.base}/api/v1/endpoints/core_db/uptimes/${w}/badge.svg`)).status).toBe(200);
    }
    const wrong = await fetch(`${app.base}/api/v1/endpoints/core_db/uptimes/2h/badge.svg`);
    expect(wrong.status).toBe(400);
    await json(wrong);
    expect((await fetch(`${app.base}/api/v1/endpoints/nope/uptimes/1h/badge.svg`)).status).toBe(404);
  });

  it('health badge and shields JSON reflect the latest result', async () => {
    app = await startApp(makeConfig({ endpoints: [up, down], externalEndpoints: [ext] }));
    fill(app, 2);
    const upSvg = await (await fetch(`${app.base}/api/v1/endpoints/core_my-api/health/badge.svg`)).text();
    expect(isSvg(upSvg)).toBe(true);
    expect(upSvg).toContain(BADGE_COLORS.awesome);
    expect(upSvg).toMatch(/>up</);
    const downSvg = await (await fetch(`${app.base}/api/v1/endpoints/core_db/health/badge.svg`)).text();
    expect(downSvg).toContain(BADGE_COLORS.veryBad);
    const unknownSvg = await (await fetch(`${app.base}/api/v1/endpoints/jobs_nightly-backup/health/badge.svg`)).text();
    expect(unknownSvg).toContain(BADGE_COLORS.passable);
    expect(await json(await fetch(`${app.base}/api/v1/endpoints/core_db/health/badge.shields`))).toEqual({
      schemaVersion: 1,
      label: 'vigil',
      message: 'down',
      color: 'red',
    });
    expect(await json(await fetch(`${app.base}/api/v1/endpoints/core_my-api/health/badge.shields`))).toMatchObject({ message: 'up', color: 'brightgreen' });
  });

  it('response-time badge and chart are SVG', async () => {
    app = await startApp(makeConfig({ endpoints: [up] }));
    fill(app, 10); // 20..29 ms
    const badge = await (await fetch(`${app.base}/api/v1/endpoints/core_my-api/response-times/1h/badge.svg`)).text();
    expect(isSvg(badge)).toBe(true);
    expect(badge).toContain('25ms');
    expect(badge).toContain(BADGE_COLORS.awesome);
    for (const w of ['1h', '24h', '7d', '30d']) {
      const chart = await fetch(`${app.base}/api/v1/endpoints/core_my-api/response-times/${w}/chart.svg`);
      expect(chart.status).toBe(200);
      const svg = await chart.text();
      expect(isSvg(svg)).toBe(true);
      // 1h: a line through 10 results; the longer windows hold one hourly point, drawn as a dot
      expect(svg).toMatch(w === '1h' ? /<path d="M[\d.]+,[\d.]+ L/ : /<circle cx="[\d.]+" cy="[\d.]+"/);
    }
  });
});

describe('POST /api/v1/endpoints/{key}/external', () => {
  const url = (a: TestApp, q: string) => `${a.base}/api/v1/endpoints/jobs_nightly-backup/external?${q}`;

  it('stores a result pushed with the right bearer token', async () => {
    app = await startApp(makeConfig({ externalEndpoints: [ext] }));
    const res = await fetch(url(app, 'success=false&error=disk%20full&duration=1m30s'), {
      method: 'POST',
      headers: { Authorization: 'Bearer good-token-1234' },
    });
    expect(res.status).toBe(200);
    expect(app.external).toHaveLength(1);
    const check = app.external[0];
    expect(check?.success).toBe(false);
    expect(check?.errors).toEqual(['disk full']);
    expect(check?.result.responseTimeMs).toBe(90_000);
    expect(check?.endpoint.key).toBe('jobs_nightly-backup');
    expect(check?.timestamp).toBe(app.clock.now());
    const status = (await json(await fetch(`${app.base}/api/v1/endpoints/jobs_nightly-backup/statuses`))) as GatusStatus;
    expect(status.results[0]).toMatchObject({ success: false, errors: ['disk full'], duration: 90e9 });
    expect(JSON.stringify(status)).not.toContain('good-token-1234');
  });

  it('rejects a bad or missing token, or an unknown key, with 401 and bad parameters with 400', async () => {
    app = await startApp(makeConfig({ externalEndpoints: [ext] }));
    const post = (q: string, auth?: string) =>
      fetch(url(app as TestApp, q), { method: 'POST', headers: auth ? { Authorization: auth } : {} });
    expect((await post('success=true', 'Bearer wrong-token-1234')).status).toBe(401);
    expect((await post('success=true', 'Bearer good-token-12345')).status).toBe(401);
    expect((await post('success=true')).status).toBe(401);
    expect((await post('success=true', 'Basic Zm9vOmJhcg==')).status).toBe(401);
    expect((await post('success=yes', 'Bearer good-token-1234')).status).toBe(400);
    expect((await post('success=true&duration=5 parsecs', 'Bearer good-token-1234')).status).toBe(400);
    const notFound = await fetch(`${app.base}/api/v1/endpoints/jobs_other/external?success=true`, {
      method: 'POST',
      headers: { Authorization: 'Bearer good-token-1234' },
    });
    expect(notFound.status).toBe(401);
    expect(app.external).toHaveLength(0);
  });
});

describe('GET /api/v1/alerts', () => {
  it('returns the alerts provider output, or [] without one', async () => {
    const alerts = [{ labels: { alertname: 'EndpointDown', endpoint: 'db' }, fingerprint: '9574ec6f190fe4e8' }];
    app = await startApp(makeConfig(), { alerts: () => alerts });
    expect(await json(await fetch(`${app.base}/api/v1/alerts`))).toEqual(alerts);
    await app.close();
    app = await startApp(makeConfig());
    expect(await json(await fetch(`${app.base}/api/v1/alerts`))).toEqual([]);
  });
});

describe('security', () => {
  const hash = bcrypt.hashSync('s3cret pass', 4);
  const security = { basic: { username: 'admin', passwordBcryptBase64: Buffer.from(hash).toString('base64') } };
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('without security.basic everything is open and security headers are set', async () => {
    app = await startApp(makeConfig({ endpoints: [up] }));
    const res = await fetch(`${app.base}/api/v1/endpoints/statuses`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('with security.basic requires the bcrypt password, but leaves badges and pushes open', async () => {
    app = await startApp(makeConfig({ endpoints: [up], externalEndpoints: [ext], security }));
    const none = await fetch(`${app.base}/api/v1/endpoints/statuses`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${app.base}/api/v1/endpoints/statuses`, { headers: { Authorization: basic('admin', 'wrong') } })).status).toBe(401);
    expect((await fetch(`${app.base}/api/v1/endpoints/statuses`, { headers: { Authorization: basic('root', 's3cret pass') } })).status).toBe(401);
    expect((await fetch(`${app.base}/api/v1/endpoints/statuses`, { headers: { Authorization: basic('admin', 's3cret pass') } })).status).toBe(200);
    // cached acceptance still answers correctly
    expect((await fetch(`${app.base}/api/v1/endpoints/statuses`, { headers: { Authorization: basic('admin', 's3cret pass') } })).status).toBe(200);
    expect((await fetch(`${app.base}/`)).status).toBe(401);
    expect((await fetch(`${app.base}/api/v1/endpoints/core_my-api/health/badge.svg`)).status).toBe(200);
    const push = await fetch(`${app.base}/api/v1/endpoints/jobs_nightly-backup/external?success=true`, {
      method: 'POST',
      headers: { Authorization: 'Bearer good-token-1234' },
    });
    expect(push.status).toBe(200);
  });
});
