import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags } from '../../src/flags.js';
import { silentLogger } from '../../src/log.js';
import { listen } from '../helpers/listen.js';

const closers: Array<() => Promise<void>> = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-maintenance-'));
});
afterAll(async () => {
  while (closers.length) await closers.pop()?.();
  await rm(dir, { recursive: true, force: true });
});

/** hh:mm (UTC) of now + offset minutes. */
function hhmm(offsetMinutes: number): string {
  const d = new Date(Date.now() + offsetMinutes * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

describe('maintenance windows end to end', () => {
  it('an endpoint in its window sends no alert while another one fires; metric and API show the window', async () => {
    const posted: string[] = [];
    const am = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/api/v2/alerts') posted.push(body);
        res.writeHead(200).end();
      });
    });
    const amServer = await listen(am);
    closers.push(amServer.close);
    const failing = await listen(createServer((_req, res) => res.writeHead(503).end()));
    closers.push(failing.close);
    const endpoint = (name: string, extra: string) =>
      `  - name: ${name}\n    url: http://127.0.0.1:${failing.port}/\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n` +
      `    alerts: [{ type: slack, failure-threshold: 1 }]\n${extra}`;
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      `vigil:\n  alertmanagers: [http://127.0.0.1:${amServer.port}]\nendpoints:\n` +
        endpoint('quiet', `    maintenance-windows: [{ start: "${hhmm(-5)}", duration: 2h }]\n`) +
        endpoint('loud', `    maintenance-windows: [{ start: "${hhmm(180)}", duration: 1h }]\n`),
    );
    const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0']);
    if (cmd.kind !== 'run') throw new Error('expected run');
    const app: RunningApp = await startApp(cmd.flags, silentLogger);
    closers.push(() => app.stop());

    const deadline = Date.now() + 20_000;
    while (!posted.some((b) => b.includes('"endpoint":"loud"'))) {
      if (Date.now() > deadline) throw new Error('no alert for the endpoint outside its window');
      await new Promise((r) => setTimeout(r, 100));
    }
    const statuses = (await (await fetch(`${app.url}/api/v1/endpoints/statuses`)).json()) as Array<{ name: string; inMaintenance: boolean; results: unknown[] }>;
    // both were probed (and failed) by the time 'loud' fired; only 'quiet' is in maintenance
    expect(statuses.map((s) => [s.name, s.inMaintenance])).toEqual([
      ['quiet', true],
      ['loud', false],
    ]);
    while ((statuses.find((s) => s.name === 'quiet')?.results.length ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error('quiet was not probed twice');
      await new Promise((r) => setTimeout(r, 100));
      statuses.splice(0, statuses.length, ...((await (await fetch(`${app.url}/api/v1/endpoints/statuses`)).json()) as typeof statuses));
    }
    expect(posted.filter((b) => b.includes('"endpoint":"quiet"'))).toEqual([]);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('vigil_endpoint_in_maintenance{endpoint="quiet",group="",type="http"} 1');
    expect(metrics).toContain('vigil_endpoint_in_maintenance{endpoint="loud",group="",type="http"} 0');
  }, 30_000);
});
