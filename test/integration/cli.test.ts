/**
 * vigil as a user runs it: the built dist/cli.js as a child process.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { CLI, ensureBuilt, ReplicaTracker, ROOT, startVigil } from '../helpers/vigil-process.js';

const exec = promisify(execFile);
const promtool = requireBinary('promtool');
const tracker = new ReplicaTracker();
let dir: string;

async function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
}, 120_000);
afterAll(async () => {
  tracker.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil CLI', () => {
  it('prints its version and help', async () => {
    const version = await vigil(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^vigil, version \d+\.\d+\.\d+/);
    const help = await vigil(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--config.file', '--web.listen-address', '--alertmanager.url', '--log.level', '--log.format', 'check-config']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('exits 2 with a usage error for an unknown flag', async () => {
    const out = await vigil(['--no-such-flag']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no-such-flag/);
  });

  it('exits 1 with one clear line when the config file is missing', async () => {
    const out = await vigil(['--config.file=/nonexistent/vigil.yaml', '--web.listen-address=127.0.0.1:0']);
    expect(out.code).toBe(1);
    const lines = out.stderr.split('\n').filter((l) => l.startsWith('vigil:'));
    expect(lines).toEqual(['vigil: /nonexistent/vigil.yaml: configuration file not found']);
  });

  it('check-config exits 0 for a valid file and 1 listing every error of an invalid one', async () => {
    const good = await vigil(['check-config', 'examples/config.yaml']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('SUCCESS');
    const badFile = join(dir, 'bad.yaml');
    await writeFile(badFile, 'endpoints:\n  - name: a\n    url: http://x/\n    interval: soon\n    conditions: ["[STATU] == 200"]\n');
    const bad = await vigil(['check-config', 'examples/config.yaml', badFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.yaml:4:15 endpoints\[0\]\.interval: /);
    expect(bad.stdout).toMatch(/bad\.yaml:5:\d+ endpoints\[0\]\.conditions\[0\]: unknown placeholder \[STATU\]/);
  });

  it('npm start: on examples/config.yaml, /metrics shows a success and a failure within 10 s', async () => {
    expect(await portIsFree(8080), 'port 8080 must be free: examples/config.yaml probes vigil on :8080').toBe(true);
    const started = Date.now();
    const replica = await startVigil(tracker, { name: 'example', configFile: 'examples/config.yaml', port: 8080 });
    let text = '';
    while (Date.now() - started < 10_000) {
      text = await (await fetch(`${replica.url}/metrics`)).text();
      if (/vigil_probe_success\{[^}]*\} 1/.test(text) && /vigil_probe_success\{[^}]*\} 0/.test(text)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toMatch(/vigil_probe_success\{[^}]*\} 1/);
    expect(text).toMatch(/vigil_probe_success\{[^}]*\} 0/);
    if (promtool) {
      // the whole exposition of a running replica, notifier and process metrics included
      const check = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
    const page = await (await fetch(`${replica.url}/`)).text();
    expect(page.length).toBeGreaterThan(0);
    expect(await replica.stop()).toBe(0);
  });

  it('keeps stderr pure JSON (the start banner goes to stdout) and logs an endpoint going down', async () => {
    const file = join(dir, 'down.yaml');
    await writeFile(file, 'endpoints:\n  - name: down\n    url: http://127.0.0.1:1/\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n');
    const child = spawn(process.execPath, [CLI, `--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--log.format=json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    tracker.children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const down = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('"msg":"endpoint down"')) resolve();
      });
    });
    await down;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    tracker.children.delete(child);
    expect(stdout).toMatch(/^vigil \S+: status page http:\/\/127\.0\.0\.1:\d+\//);
    const lines = stderr.split('\n').filter((line) => line !== '');
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const downLine = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l['msg'] === 'endpoint down');
    expect(downLine).toMatchObject({ level: 'warn', endpoint: '_down', failed_conditions: ['[STATUS] (0) == 200'], errors: ['connection refused'] });
  });

  it('stops gracefully on SIGTERM with a probe in flight, and keeps running on a bad SIGHUP reload', async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    const port = (hang.address() as { port: number }).port;
    const file = join(dir, 'hang.yaml');
    await writeFile(file, `endpoints:\n  - name: hang\n    url: http://127.0.0.1:${port}/\n    interval: 1s\n    client: { timeout: 60s }\n    conditions: ["[STATUS] == 200"]\n`);
    const replica = await startVigil(tracker, { name: 'sigterm', configFile: file, args: ['--shutdown.grace-period=1s'] });
    await new Promise((r) => setTimeout(r, 1_500));

    await writeFile(file, 'endpoints: [');
    const child = [...tracker.children].at(-1);
    child?.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${replica.url}/-/healthy`)).status).toBe(200);
    expect(await (await fetch(`${replica.url}/metrics`)).text()).toContain('vigil_config_last_reload_successful 0');
    expect(replica.logs()).toMatch(/configuration reload failed/);

    const t0 = Date.now();
    expect(await replica.stop()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8_000);
    hang.close();
  });
});
