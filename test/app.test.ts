import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { parseFlags, type Flags } from '../src/flags.js';
import { createLogger } from '../src/log.js';
import { startDnsServer } from './helpers/dns-server.js';
import { listen } from './helpers/listen.js';

let dir: string;
let app: RunningApp | undefined;
const closers: Array<() => Promise<void>> = [];
const logs: string[] = [];
const logger = createLogger({ write: (line) => logs.push(line) });

async function target(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(handler);
  const { port, close } = await listen(server);
  closers.push(close);
  return port;
}

function flagsFor(file: string): Flags {
  const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s', '--web.enable-lifecycle']);
  if (cmd.kind !== 'run') throw new Error('expected run');
  return cmd.flags;
}

async function metrics(a: RunningApp): Promise<string> {
  return (await fetch(`${a.url}/metrics`)).text();
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-app-'));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  while (closers.length) await closers.pop()?.();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('app', () => {
  it('probes endpoints, exposes metrics and the statuses API, and reloads good and bad configs', async () => {
    const ok = await target((_req, res) => res.end('ok'));
    const file = join(dir, 'reload.yaml');
    const endpoint = (name: string, port: number) => `  - name: ${name}\n    url: http://127.0.0.1:${port}/\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n`;
    await writeFile(file, `endpoints:\n${endpoint('one', ok)}${endpoint('two', ok)}`);
    app = await startApp(flagsFor(file), logger);
    const running = app;
    await until(async () => (await metrics(running)).includes('vigil_probe_success{endpoint="two",group="",type="http"} 1'));
    const statuses = (await (await fetch(`${app.url}/api/v1/endpoints/statuses`)).json()) as Array<{ name: string }>;
    expect(statuses.map((s) => s.name).sort()).toEqual(['one', 'two']);

    // A bad config is rejected with every error (logged; not echoed to this unauthenticated caller), and the old config keeps running.
    await writeFile(file, `endpoints:\n  - name: one\n    url: http://127.0.0.1:${ok}/\n    intreval: 1s\n    conditions: ["[STATU] == 200"]\n`);
    const reloadOverHttp = () => fetch(`${app?.url}/-/reload`, { method: 'POST', headers: { 'X-Requested-With': 'test' } });
    const bad = await reloadOverHttp();
    expect(bad.status).toBe(500);
    expect(await bad.text()).not.toContain('reload.yaml');
    const failures = logs.join('\n');
    expect(failures).toMatch(/reload\.yaml:4:5 endpoints\[0\]\.intreval: unknown key/);
    expect(failures).toMatch(/reload\.yaml:5:\d+ endpoints\[0\]\.conditions\[0\]: unknown placeholder \[STATU\]/);
    let text = await metrics(app);
    expect(text).toContain('vigil_config_last_reload_successful 0');
    expect(text).toContain('endpoint="two"');

    // A good config applies: removed endpoints' series disappear.
    await writeFile(file, `endpoints:\n${endpoint('one', ok)}`);
    expect((await reloadOverHttp()).status).toBe(200);
    text = await metrics(app);
    expect(text).toContain('vigil_config_last_reload_successful 1');
    expect(text).not.toContain('endpoint="two"');
  });

  it('keeps probing a healthy endpoint on schedule while others hang, reset, stream forever or redirect forever', async () => {
    const ok = await target((_req, res) => res.end('ok'));
    const hang = await target(() => undefined);
    const reset = await target((req) => req.socket.destroy());
    const huge = await target((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = (): void => {
        while (res.write(chunk)) {
          /* fill the socket buffer */
        }
        res.once('drain', pump);
      };
      pump();
    });
    const loop = await target((req, res) => {
      res.writeHead(302, { location: `${req.url ?? '/'}x` });
      res.end();
    });
    const file = join(dir, 'hostile.yaml');
    const ep = (name: string, port: number, timeout = '3s') =>
      `  - name: ${name}\n    url: http://127.0.0.1:${port}/\n    interval: 1s\n    client: { timeout: ${timeout} }\n    conditions: ["[STATUS] == 200"]\n`;
    await writeFile(file, `endpoints:\n${ep('good', ok)}${ep('hang', hang, '30s')}${ep('reset', reset)}${ep('huge', huge)}${ep('loop', loop)}`);
    app = await startApp(flagsFor(file), logger);
    const running = app;
    const count = async (name: string, result: string) => {
      const m = new RegExp(`vigil_probes_total\\{endpoint="${name}",group="",type="http",result="${result}"\\} (\\d+)`).exec(await metrics(running));
      return Number(m?.[1] ?? 0);
    };
    await until(async () => (await count('good', 'success')) >= 5, 15_000);
    expect(await count('reset', 'failure')).toBeGreaterThan(0);
    expect(await count('loop', 'failure')).toBeGreaterThan(0);
    // an endless body is cut at the body cap: the probe completes (status 200 holds)
    expect(await count('huge', 'success')).toBeGreaterThan(0);
    const text = await metrics(running);
    // the hanging target is still in flight: its later ticks are counted as skipped, not queued
    expect(text).toMatch(/vigil_probes_skipped_total\{endpoint="hang",group="",type="http"\} [1-9]/);
  }, 30_000);

  it('applies a changed security.basic password on reload', async () => {
    const ok = await target((_req, res) => res.end('ok'));
    const file = join(dir, 'auth.yaml');
    const withPassword = (password: string) =>
      `security:\n  basic:\n    username: admin\n    password-bcrypt-base64: ${Buffer.from(bcrypt.hashSync(password, 4)).toString('base64')}\n` +
      `endpoints:\n  - name: one\n    url: http://127.0.0.1:${ok}/\n    conditions: ["[STATUS] == 200"]\n`;
    await writeFile(file, withPassword('first-secret'));
    app = await startApp(flagsFor(file), logger);
    const statuses = (password: string) =>
      fetch(`${app?.url}/api/v1/endpoints/statuses`, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } });
    expect((await fetch(`${app.url}/api/v1/endpoints/statuses`)).status).toBe(401);
    expect((await statuses('first-secret')).status).toBe(200);
    await writeFile(file, withPassword('second-secret'));
    expect((await app.reload()).ok).toBe(true);
    expect((await statuses('first-secret')).status).toBe(401);
    expect((await statuses('second-secret')).status).toBe(200);
  });

  it('evaluates [DOMAIN_EXPIRATION] from the configured RDAP service and exports the expiry', async () => {
    const expiresAt = Date.parse('2031-02-03T04:05:06Z');
    const rdapRequests: string[] = [];
    const rdap = await target((req, res) => {
      rdapRequests.push(req.url ?? '');
      res.setHeader('content-type', 'application/rdap+json');
      res.end(JSON.stringify({ ldhName: 'vigil.test', events: [{ eventAction: 'expiration', eventDate: new Date(expiresAt).toISOString() }] }));
    });
    const site = await target((_req, res) => res.end('ok'));
    const dns = await startDnsServer({ 'www.vigil.test': [{ type: 'A', name: 'www.vigil.test', ttl: 60, data: '127.0.0.1' }] });
    closers.push(() => dns.close());
    const file = join(dir, 'domain.yaml');
    await writeFile(
      file,
      `vigil:\n  rdap-base-url: http://127.0.0.1:${rdap}\n` +
        `endpoints:\n  - name: site\n    url: http://www.vigil.test:${site}/\n    interval: 5m\n` +
        `    client: { dns-resolver: "udp://127.0.0.1:${dns.port}" }\n` +
        `    conditions: ["[STATUS] == 200", "[DOMAIN_EXPIRATION] > 720h"]\n`,
    );
    app = await startApp(flagsFor(file), logger);
    const running = app;
    await until(async () => (await metrics(running)).includes('vigil_domain_expiry_timestamp_seconds{endpoint="site"'));
    const text = await metrics(running);
    const exported = Number(/vigil_domain_expiry_timestamp_seconds\{endpoint="site"[^}]*\} (\S+)/.exec(text)?.[1]);
    expect(Math.abs(exported - expiresAt / 1000)).toBeLessThan(2);
    expect(text).toContain('vigil_condition_success{endpoint="site",group="",type="http",condition="[DOMAIN_EXPIRATION] > 720h"} 1');
    expect(rdapRequests).toEqual(['/domain/vigil.test']);
  });
});
