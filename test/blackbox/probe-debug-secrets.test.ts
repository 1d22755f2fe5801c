import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllowlist } from '../../src/blackbox/allowlist.js';
import { parseBlackboxConfig } from '../../src/blackbox/config.js';
import type { RunningServer } from '../../src/web/server.js';
import { listen } from '../helpers/listen.js';
import { startProbeApp } from './probe-app.js';

const PASSWORD = 'hunter2-basic-pw';
const BEARER = 'bearer-tok-9f8e7d';
const API_KEY = 'api-key-1a2b3c4d';
const CREDENTIALS = 'authz-cred-5566';
const PROXY_PASSWORD = 'proxy-pw-7788';

const MODULES = `
modules:
  http_basic:
    prober: http
    http:
      basic_auth: { username: prober, password: ${PASSWORD} }
      headers: { X-Api-Key: ${API_KEY}, Accept: text/plain }
  http_bearer:
    prober: http
    http:
      bearer_token: ${BEARER}
  http_authorization:
    prober: http
    http:
      authorization: { type: Token, credentials: ${CREDENTIALS} }
      proxy_url: http://user:${PROXY_PASSWORD}@127.0.0.1:1/
`;

describe('GET /probe?debug=true', () => {
  let target: { port: number; close: () => Promise<void> };
  let app: RunningServer;
  let base = '';

  beforeAll(async () => {
    target = await listen(createServer((_req, res) => res.writeHead(200).end('ok\n')));
    const config = parseBlackboxConfig('modules.yml', MODULES).config;
    ({ app, base } = await startProbeApp({ config: () => config, allowlist: () => createAllowlist(undefined) }));
  });

  afterAll(async () => {
    await app.close();
    await target.close();
  });

  it.each(['http_basic', 'http_bearer', 'http_authorization'])('masks the secrets of module %s as <secret>', async (module) => {
    const response = await fetch(`${base}/probe?target=http://127.0.0.1:${target.port}/&module=${module}&debug=true`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Module configuration:');
    expect(text).toContain('<secret>');
    for (const secret of [PASSWORD, BEARER, API_KEY, CREDENTIALS, PROXY_PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(`prober:${secret}`).toString('base64'));
    }
  });

  it('keeps ordinary header values readable', async () => {
    const text = await (await fetch(`${base}/probe?target=http://127.0.0.1:${target.port}/&module=http_basic&debug=true`)).text();
    expect(text).toMatch(/Accept: text\/plain/);
    expect(text).toMatch(/Authorization: <secret>/);
    expect(text).toMatch(/X-Api-Key: <secret>/);
  });
});
