/** A sharded replica in-process: what it probes, what it exports, what it shows, what it rejects. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags, type Flags } from '../../src/flags.js';
import { createLogger } from '../../src/log.js';
import { assignShards } from '../../src/shard/rendezvous.js';
import { ShardSettingsError } from '../../src/shard/settings.js';
import { listen } from '../helpers/listen.js';

let dir: string;
let app: RunningApp | undefined;
let closeTarget: () => Promise<void>;
let port: number;
/** Paths the target was asked for (one per endpoint). */
const hits = new Set<string>();
const logger = createLogger({ write: () => undefined });
const NAMES = Array.from({ length: 12 }, (_, i) => `ep-${i}`);

function flags(file: string, ...extra: string[]): Flags {
  const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s', ...extra]);
  if (cmd.kind !== 'run') throw new Error('expected run');
  return cmd.flags;
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function writeConfig(extra = ''): Promise<string> {
  const file = join(dir, 'config.yaml');
  const endpoints = NAMES.map(
    (name) => `  - name: ${name}\n    group: g\n    url: http://127.0.0.1:${port}/${name}\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n` +
      (name === 'ep-0' ? '    alerts: [{ type: slack, failure-threshold: 1, send-on-resolved: true }]\n' : ''),
  );
  await writeFile(
    file,
    `endpoints:\n${endpoints.join('')}external-endpoints:\n  - name: push\n    group: g\n    token: secret-token\n    heartbeat: { interval: 10s }\n${extra}`,
  );
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-shard-app-'));
  const server = createServer((req, res) => {
    hits.add(req.url ?? '');
    res.statusCode = req.url === '/ep-0' ? 500 : 200;
    res.end('ok');
  });
  ({ port, close: closeTarget } = await listen(server));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  hits.clear();
});
afterAll(async () => {
  await closeTarget();
  await rm(dir, { recursive: true, force: true });
});

describe('a sharded replica', () => {
  it('probes, exports and lists only the endpoints of its shard, with vigil_shard_info and vigil_shard_endpoints', async () => {
    const file = await writeConfig();
    const owners = assignShards([...NAMES.map((n) => `g_${n}`), 'g_push'], 3, 2);
    const mine = NAMES.filter((n) => owners.get(`g_${n}`)?.includes(1));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(NAMES.length);
    app = await startApp(flags(file, '--shard.count=3', '--shard.index=1', '--shard.replication=2'), logger);
    const running = app;
    const text = async () => (await fetch(`${running.url}/metrics`)).text();
    await until(async () => {
      const m = await text();
      return mine.every((n) => m.includes(`vigil_probe_success{endpoint="${n}",group="g",type="http"}`));
    });
    // two more probe rounds: still nobody else's endpoint was probed
    const seen = hits.size;
    const probes = async (name: string) => Number(new RegExp(`vigil_probes_total\\{endpoint="${name}",group="g",type="http",result="\\w+"\\} (\\d+)`).exec(await text())?.[1] ?? 0);
    await until(async () => (await probes(mine[0] ?? '')) >= 3 || hits.size > seen);
    expect([...hits].sort()).toEqual(mine.map((n) => `/${n}`).sort());

    const metrics = await text();
    expect(metrics).toContain('vigil_shard_info{index="1",count="3",replication="2"} 1');
    expect(metrics).toContain(`vigil_shard_endpoints ${mine.length}`);
    const probed = [...metrics.matchAll(/^vigil_probe_success\{endpoint="([^"]+)"/gm)].map((m) => m[1]);
    expect(probed.sort()).toEqual([...mine].sort());
    // no shard label on endpoint series
    expect(metrics).not.toMatch(/^vigil_probe_success\{[^}]*(shard|index)=/m);

    const statuses = (await (await fetch(`${running.url}/api/v1/endpoints/statuses`)).json()) as Array<{ name: string }>;
    expect(statuses.map((s) => s.name).sort()).toEqual([...mine, 'push'].sort());
  }, 30_000);

  it('accepts pushes for every external endpoint but watches heartbeats only where it owns them', async () => {
    const file = await writeConfig();
    const owners = assignShards([...NAMES.map((n) => `g_${n}`), 'g_push'], 3, 1);
    const owner = owners.get('g_push')?.[0] ?? -1;
    const other = (owner + 1) % 3;
    const heartbeatFailures = async (a: RunningApp): Promise<number> => {
      const m = /vigil_probes_total\{endpoint="push",group="g",type="http",result="failure"\} (\d+)/.exec(await (await fetch(`${a.url}/metrics`)).text());
      return Number(m?.[1] ?? 0);
    };
    const push = (a: RunningApp) =>
      fetch(`${a.url}/api/v1/endpoints/g_push/external?success=true`, { method: 'POST', headers: { authorization: 'Bearer secret-token' } });

    // both at once: the owner's heartbeat fires after 10 s without a push, the other never does
    app = await startApp(flags(file, '--shard.count=3', `--shard.index=${owner}`), logger);
    const notOwner = await startApp(flags(file, '--shard.count=3', `--shard.index=${other}`), logger);
    try {
      const running = app;
      expect((await push(notOwner)).status).toBe(200);
      const statuses = (await (await fetch(`${notOwner.url}/api/v1/endpoints/g_push/statuses`)).json()) as { results: unknown[] };
      expect(statuses.results).toHaveLength(1);
      await until(async () => (await heartbeatFailures(running)) >= 1, 20_000);
      const pushedAt = Date.now();
      await until(async () => Date.now() - pushedAt > 1_000, 5_000);
      expect(await heartbeatFailures(notOwner)).toBe(0);
    } finally {
      await notOwner.stop();
    }
  }, 30_000);

  it('adds --location to every metric, never to alert labels', async () => {
    const file = await writeConfig();
    app = await startApp(flags(file, '--location=eu-west'), logger);
    const running = app;
    await until(async () => {
      const alerts = (await (await fetch(`${running.url}/api/v1/alerts`)).json()) as Array<{ labels: Record<string, string> }>;
      const text = await (await fetch(`${running.url}/metrics`)).text();
      return alerts.some((a) => a.labels.endpoint === 'ep-0') && text.includes('vigil_probe_success{endpoint="ep-1"');
    });
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_probe_success\{endpoint="ep-1",group="g",type="http",location="eu-west"\} 1$/m);
    expect(metrics).toMatch(/^vigil_build_info\{[^}]*location="eu-west"\} 1$/m);
    expect(metrics).toMatch(/^vigil_shard_info\{index="0",count="1",replication="1",location="eu-west"\} 1$/m);
    const alerts = (await (await fetch(`${running.url}/api/v1/alerts`)).json()) as Array<{ labels: Record<string, string> }>;
    for (const alert of alerts) expect(Object.keys(alert.labels)).not.toContain('location');
    expect(alerts.find((a) => a.labels.endpoint === 'ep-0')?.labels).toEqual({
      alertname: 'EndpointDown',
      endpoint: 'ep-0',
      group: 'g',
      severity: 'critical',
      receiver_hint: 'slack',
    });
  }, 30_000);

  it('refuses to start on bad shard settings, naming the flag or key', async () => {
    const file = await writeConfig();
    await expect(startApp(flags(file, '--shard.count=2', '--shard.index=2'), logger)).rejects.toThrow(
      new ShardSettingsError('--shard.index: shard 2 does not exist with --shard.count=2 (indexes run from 0 to 1)'),
    );
    await expect(startApp(flags(file, '--shard.count=2', '--shard.index=0', '--shard.replication=3'), logger)).rejects.toThrow(
      /^--shard\.replication: 3 is more than --shard\.count \(2\)$/,
    );
    const withConfig = await writeConfig('vigil:\n  shard: { count: 3, index-from-hostname: true }\n');
    await expect(startApp(flags(withConfig), logger)).rejects.toThrow(/^vigil\.shard\.index-from-hostname: hostname ".*" has no ordinal|shard \d+ does not exist/);
  });
});
