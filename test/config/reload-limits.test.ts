import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags } from '../../src/flags.js';
import { createLogger } from '../../src/log.js';
import { listen } from '../helpers/listen.js';

let dir: string;
let app: RunningApp | undefined;
let closeTarget: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-reload-limits-'));
});
afterAll(async () => {
  await app?.stop();
  await closeTarget?.();
  await rm(dir, { recursive: true, force: true });
});

async function probeCount(a: RunningApp): Promise<number> {
  const text = await (await fetch(`${a.url}/metrics`)).text();
  const m = /vigil_probe_duration_seconds_count\{[^}]*endpoint="ok"[^}]*\} (\d+)/.exec(text);
  return Number(m?.[1] ?? 0);
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reload into a hostile config file', () => {
  it('rejects a billion-laughs file and a FIFO, and keeps probing with the running config', { timeout: 60_000 }, async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const { port, close } = await listen(server);
    closeTarget = close;
    const file = join(dir, 'config.yaml');
    await writeFile(file, `endpoints:\n  - name: ok\n    url: http://127.0.0.1:${port}/\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n`);
    const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s']);
    if (cmd.kind !== 'run') throw new Error('expected run');
    const logs: string[] = [];
    app = await startApp(cmd.flags, createLogger({ write: (line) => logs.push(line) }));
    const running = app;
    await until(async () => (await probeCount(running)) >= 1);

    const laughs = ['x-l0: &l0 "lol"'];
    for (let i = 1; i <= 9; i++) laughs.push(`x-l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(',')}]`);
    await writeFile(file, `${laughs.join('\n')}\n`);
    const laughed = await running.reload();
    expect(laughed.ok).toBe(false);
    expect(laughed.errors.join('\n')).toMatch(/config\.yaml:\d+:\d+ x-l\d\[\d\]: YAML aliases expand to more than 100000 nodes/);

    await rm(file);
    execFileSync('mkfifo', [file]);
    const piped = await running.reload();
    expect(piped).toEqual({ ok: false, errors: [`${file}: not a regular file or directory (a FIFO)`] });

    // The running config still probes, and the process still answers.
    const before = await probeCount(running);
    await until(async () => (await probeCount(running)) >= before + 2);
    expect((await fetch(`${running.url}/-/healthy`)).status).toBe(200);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('vigil_config_last_reload_successful 0');
  });
});
