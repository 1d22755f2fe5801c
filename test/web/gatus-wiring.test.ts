import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags } from '../../src/flags.js';
import { silentLogger } from '../../src/log.js';

let app: RunningApp | undefined;
let dir: string | undefined;
afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Gatus routes in the running app', () => {
  it('with basic auth: /health, /api/v1/config and raw uptimes are open (as in Gatus); statuses and suites need credentials', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-gatus-routes-'));
    const hash = Buffer.from(bcrypt.hashSync('pw', 4)).toString('base64');
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      [
        'security:',
        `  basic: { username: admin, password-bcrypt-base64: "${hash}" }`,
        'announcements:',
        '  - { timestamp: "2025-03-01T09:00:00Z", type: warning, message: "Upgrade tonight" }',
        'endpoints:',
        '  - name: api',
        '    url: http://127.0.0.1:1/',
        '    interval: 1h',
        '    conditions: ["[STATUS] == 200"]',
      ].join('\n'),
    );
    const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0']);
    if (cmd.kind !== 'run') throw new Error('expected run');
    app = await startApp(cmd.flags, silentLogger);
    const get = (path: string, auth = false) =>
      fetch(`${app!.url}${path}`, auth ? { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } } : {});
    expect(await (await get('/health')).json()).toEqual({ status: 'UP' });
    expect(await (await get('/api/v1/config')).json()).toEqual({
      oidc: false,
      authenticated: false,
      announcements: [{ timestamp: '2025-03-01T09:00:00Z', type: 'warning', message: 'Upgrade tonight' }],
    });
    expect((await get('/api/v1/endpoints/_api/uptimes/24h')).status).toBe(200);
    expect((await get('/api/v1/endpoints/statuses')).status).toBe(401);
    expect((await get('/api/v1/suites/statuses')).status).toBe(401);
    expect(await (await get('/api/v1/suites/statuses', true)).json()).toEqual([]);
    const status = (await (await get('/api/v1/endpoints/_api/statuses', true)).json()) as { key: string };
    expect(status.key).toBe('_api');
  });
});
