import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { makeTarget } from '../helpers/protocol-probe.js';
import { neverAborted, options, serve } from './http-helpers.js';

const HEADERS = {
  Authorization: 'Bearer tok-1',
  Cookie: 'session=abc',
  'X-Api-Key': 'key-1',
  'X-Auth-Token': 'tok-2',
  'X-Client-Secret': 'sec-1',
  'X-Session-Id': 'sid-1',
  'Private-Token': 'tok-3',
  Accept: 'text/plain',
  'X-Trace': 'trace-1',
};
const SECRET_NAMES = ['authorization', 'cookie', 'x-api-key', 'x-auth-token', 'x-client-secret', 'x-session-id', 'private-token'];

describe('custom secret-named headers on redirects', () => {
  it('are dropped when the redirect leaves the origin; ordinary headers are kept', async () => {
    let seen: IncomingHttpHeaders = {};
    const other = await serve((req, res) => {
      seen = req.headers;
      res.end('ok');
    });
    const first = await serve((_req, res) => res.writeHead(302, { location: `${other}/landing` }).end());
    const result = await probeHttp({ ...makeTarget(`${first}/start`), headers: HEADERS }, options({ maxRedirects: 3 }), neverAborted());
    expect(result.status).toBe(200);
    for (const name of SECRET_NAMES) expect(seen[name], name).toBeUndefined();
    expect(seen['accept']).toBe('text/plain');
    expect(seen['x-trace']).toBe('trace-1');
  });

  it('are kept on a same-origin redirect', async () => {
    let seen: IncomingHttpHeaders = {};
    const base = await serve((req, res) => {
      if (req.url === '/start') return res.writeHead(302, { location: '/landing' }).end();
      seen = req.headers;
      res.end('ok');
    });
    await probeHttp({ ...makeTarget(`${base}/start`), headers: HEADERS }, options({ maxRedirects: 3 }), neverAborted());
    for (const name of SECRET_NAMES) expect(seen[name], name).toBeDefined();
  });
});
