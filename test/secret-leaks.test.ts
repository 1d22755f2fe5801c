/**
 * End to end: an endpoint whose target echoes everything it receives (URL credentials, a ?token=,
 * an API-key header, an ${ENV}-expanded bearer token) fails its conditions, fires an alert and is
 * logged at debug level. No form of any secret (plain, URL-encoded, base64, Basic) may appear in
 * anything vigil serves, exports or logs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { parseFlags } from '../src/flags.js';
import { createLogger } from '../src/log.js';
import { listen } from './helpers/listen.js';

const URL_PASSWORD = 'url-pass-1234';
const QUERY_TOKEN = 'query-tok-5678';
const API_KEY = 'header-key-9012';
const ENV_TOKEN = 'env-bearer-3456';
const ENV_NAME = 'VIGIL_LEAK_TEST_TOKEN';

const forms = (secret: string): string[] => [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
const SECRETS = [...forms(URL_PASSWORD), ...forms(QUERY_TOKEN), ...forms(API_KEY), ...forms(ENV_TOKEN), Buffer.from(`user:${URL_PASSWORD}`).toString('base64')];

describe('secrets of an endpoint never leave vigil', () => {
  let dir = '';
  let app: RunningApp;
  let closeTarget: () => Promise<void>;
  const logs: string[] = [];

  beforeAll(async () => {
    process.env[ENV_NAME] = ENV_TOKEN;
    const echo = await listen(
      createServer((req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: req.url, authorization: req.headers.authorization, key: req.headers['x-api-key'], token: ENV_TOKEN }));
      }),
    );
    closeTarget = echo.close;
    dir = await mkdtemp(join(tmpdir(), 'vigil-leaks-'));
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      [
        'endpoints:',
        '  - name: echo',
        `    url: http://user:${URL_PASSWORD}@127.0.0.1:${echo.port}/echo?token=${QUERY_TOKEN}`,
        '    interval: 1s',
        '    headers:',
        `      X-Api-Key: ${API_KEY}`,
        '    conditions:',
        '      - "[STATUS] == 200"',
        '      - "[BODY] == ok"',
        `      - "[BODY].token == \${${ENV_NAME}}x"`,
        '    alerts:',
        '      - type: slack',
        '        failure-threshold: 1',
        '  - name: bearer',
        `    url: http://127.0.0.1:${echo.port}/bearer`,
        '    interval: 1s',
        '    headers:',
        `      Authorization: Bearer \${${ENV_NAME}}`,
        '    conditions: ["[BODY] == ok"]',
        '    alerts:',
        '      - type: slack',
        '        failure-threshold: 1',
        '',
      ].join('\n'),
    );
    const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s', '--log.level=debug']);
    if (cmd.kind !== 'run') throw new Error('expected run');
    app = await startApp(cmd.flags, createLogger({ level: 'debug', write: (line) => logs.push(line) }));
  });

  afterAll(async () => {
    await app.stop();
    await closeTarget();
    await rm(dir, { recursive: true, force: true });
    delete process.env[ENV_NAME];
  });

  const get = async (path: string): Promise<string> => (await fetch(`${app.url}${path}`)).text();

  it('in the API, alerts (annotations), status page data, metrics and logs', { timeout: 30_000 }, async () => {
    await expect
      .poll(async () => JSON.stringify(JSON.parse(await get('/api/v1/alerts'))), { timeout: 20_000, interval: 200 })
      .toMatch(/EndpointDown[\s\S]*EndpointDown/);
    const outputs: Record<string, string> = {
      statuses: await get('/api/v1/endpoints/statuses'),
      alerts: await get('/api/v1/alerts'),
      ui: (await get('/ui/api/endpoints/_echo')) + (await get('/ui/api/endpoints/_bearer')) + (await get('/ui/api/overview')),
      metrics: await get('/metrics'),
      logs: logs.join('\n'),
    };
    // the target's data did reach vigil (rendered conditions quote the echoed body)
    expect(outputs.statuses).toContain('/echo?token=');
    expect(outputs.alerts).toContain('failing_conditions');
    expect(outputs.alerts).toContain('<redacted>');
    expect(outputs.statuses).toContain('<redacted>');
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) expect(text, `${secret} in ${where}`).not.toContain(secret);
    }
  });

  it('exports vigil_condition_success{condition} with the condition as written, not its ${ENV} expansion', async () => {
    const metrics = await get('/metrics');
    expect(metrics).toContain(`condition="[BODY].token == \${${ENV_NAME}}x"`);
  });
});
