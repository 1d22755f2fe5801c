import { readFileSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAppJs } from '../../src/web/ui/assets.js';
import type { BarsResponse, Detail, Overview } from '../../src/web/ui/client/types.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { startApp, type TestApp } from './app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const CLIENT_DIR = join(import.meta.dirname, '..', '..', 'src', 'web', 'ui', 'client');

describe('status page assets', () => {
  it('app.js parses and holds no bundler artefacts', () => {
    const js = buildAppJs();
    expect(() => new Function(js)).not.toThrow();
    expect(js).not.toMatch(/__vite|__name\(|import_\d|require\(/);
    expect(js).toMatch(/\nboot\(\);\n/);
  });

  it('client modules only hold exported function declarations (they are serialised one by one)', () => {
    for (const file of readdirSync(CLIENT_DIR).filter((f) => f.endsWith('.ts') && f !== 'types.ts')) {
      const source = readFileSync(join(CLIENT_DIR, file), 'utf8');
      expect(source, file).not.toMatch(/^(async\s+)?function\s/m);
      expect(source, file).not.toMatch(/^(const|let|var|class)\s/m);
      expect(source, file).not.toMatch(/^import\s+(?!type\b)/m);
      expect(source, file).not.toMatch(/\.innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    }
  });

  it('serves the shell without inline script, and JS/CSS with ETags', async () => {
    app = await startApp(makeConfig({ ui: { ...makeConfig().ui, title: '<b>T</b>', header: 'Status "x"', description: 'd', link: '', darkMode: true } }));
    const res = await fetch(`${app.base}/`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>&#60;b&#62;T&#60;/b&#62;</title>');
    expect(html).toContain('data-dark="1"');
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="/);
    expect(html).not.toMatch(/ on[a-z]+=|style=/i);
    const js = await fetch(`${app.base}/ui/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const etag = js.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await fetch(`${app.base}/ui/assets/app.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${app.base}/ui/assets/app.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${app.base}/ui/assets/nope.js`)).status).toBe(404);
  });

  it('escapes the endpoint key in the detail shell and answers 404 for an unknown key', async () => {
    const xss = makeEndpoint({ name: '"><script>alert(1)</script>' });
    app = await startApp(makeConfig({ endpoints: [xss] }));
    const res = await fetch(`${app.base}/endpoints/${encodeURIComponent(xss.key)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('data-key="core_&#34;&#62;&#60;script&#62;alert(1)&#60;-script&#62;"');
    expect((await fetch(`${app.base}/endpoints/nope`)).status).toBe(404);
  });
});

describe('status page data', () => {
  it('overview summarises each endpoint: state, last 40 results, uptimes, average response time', async () => {
    const a = makeEndpoint({ name: 'a' });
    const b = makeEndpoint({ name: 'b', ui: { hideConditions: true } });
    app = await startApp(makeConfig({ endpoints: [a, b] }));
    const now = app.clock.now();
    for (let i = 0; i < 50; i += 1) {
      app.store.observe(makeCheck(a, { timestamp: now - (50 - i) * 1000, result: { responseTimeMs: 10 } }));
      app.store.observe(makeCheck(b, { timestamp: now - (50 - i) * 1000, success: false }));
    }
    const body = (await (await fetch(`${app.base}/ui/api/overview`)).json()) as Overview;
    expect(body.site.header).toBe('Health Status');
    const [sa, sb] = body.endpoints;
    expect(sa).toMatchObject({ key: 'core_a', state: 'up', avgResponseTimeMs24h: 10, uptime: { '24h': 1, '7d': 1, '30d': 1 } });
    expect(sa?.results).toEqual([]);
    expect(sa?.lastT).toBe(now - 1000);
    expect(sb?.state).toBe('down');
    const bars = (await (
      await fetch(`${app.base}/ui/api/bars`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keys: ['core_a', 'core_b', 'nope'] }) })
    ).json()) as BarsResponse;
    expect(Object.keys(bars.bars)).toEqual(['core_a', 'core_b']);
    expect(bars.bars.core_a).toHaveLength(40);
    expect(bars.bars.core_a?.[39]?.t).toBe(now - 1000);
    expect(bars.bars.core_b?.[0]?.failed).toBeUndefined();
    const tooMany = await fetch(`${app.base}/ui/api/bars`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keys: Array(501).fill('core_a') }) });
    expect(tooMany.status).toBe(400);
    const detail = (await (await fetch(`${app.base}/ui/api/endpoints/core_a`)).json()) as Detail;
    expect(detail.recent[0]?.t).toBe(now - 1000);
    expect(detail.recent[0]?.conditions).toEqual([{ text: '[STATUS] == 200', ok: true }]);
    expect(detail.hourly.length).toBeGreaterThan(0);
    expect((await fetch(`${app.base}/ui/api/endpoints/nope`)).status).toBe(404);
  });

  it('gzips a large overview for clients that accept it', async () => {
    const endpoints = Array.from({ length: 200 }, (_, i) => makeEndpoint({ name: `e${i}` }));
    app = await startApp(makeConfig({ endpoints }));
    for (const e of endpoints) for (let i = 0; i < 40; i += 1) app.store.observe(makeCheck(e, { timestamp: i * 1000 }));
    const raw = await new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
      get(`${(app as TestApp).base}/ui/api/overview`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
      }).on('error', reject);
    });
    expect(raw.encoding).toBe('gzip');
    const plain = await (await fetch(`${app.base}/ui/api/overview`)).text();
    expect(raw.bytes).toBeLessThan(plain.length / 5);
    expect((JSON.parse(plain) as Overview).endpoints).toHaveLength(200);
  });
});
