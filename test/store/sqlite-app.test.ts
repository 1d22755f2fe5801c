/** vigil with storage.type sqlite: a restarted process shows what it saw before, and events too. */
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
const logs: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-sqlite-app-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Status {
  name: string;
  results: Array<{ timestamp: string; success: boolean }>;
  events: Array<{ type: string }>;
}

async function statuses(app: RunningApp): Promise<Status[]> {
  return (await (await fetch(`${app.url}/api/v1/endpoints/statuses`)).json()) as Status[];
}

async function start(file: string): Promise<RunningApp> {
  const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s']);
  if (cmd.kind !== 'run') throw new Error('expected run');
  return startApp(cmd.flags, createLogger({ write: (line) => logs.push(line) }));
}

describe('storage.type sqlite', () => {
  it('keeps results and events across a restart', async () => {
    const target = await listen(createServer((_req, res) => res.end('ok')));
    const file = join(dir, 'config.yaml');
    const yaml = (url: string) =>
      ['storage:', '  type: sqlite', `  path: ${join(dir, 'vigil.db')}`, 'endpoints:', '  - name: api', `    url: ${url}`, '    interval: 1s', '    conditions: ["[STATUS] == 200"]', ''].join('\n');
    await writeFile(file, yaml(`http://127.0.0.1:${target.port}/`));
    const first = await start(file);
    let before: Status | undefined;
    try {
      const deadline = Date.now() + 15_000;
      while (!((before = (await statuses(first))[0]) && before.results.length >= 2)) {
        if (Date.now() > deadline) throw new Error('no two results in 15 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await first.stop();
      await target.close();
    }
    const stoppedAt = Date.now();

    // the target is gone; what the first run saw is there at once, before any new probe could matter
    const second = await start(file);
    try {
      const [after] = await statuses(second);
      const old = after!.results.filter((r) => Date.parse(r.timestamp) < stoppedAt);
      expect(old.length).toBeGreaterThanOrEqual(before!.results.length);
      expect(old.slice(0, before!.results.length)).toEqual(before!.results);
      const detail = (await (await fetch(`${second.url}/api/v1/endpoints/_api/statuses`)).json()) as Status;
      expect(detail.events.map((e) => e.type).slice(0, 2)).toEqual(['START', 'HEALTHY']);
      expect(logs.join('\n')).toMatch(/results restored from the SQLite file/);
    } finally {
      await second.stop();
    }
  });
});
