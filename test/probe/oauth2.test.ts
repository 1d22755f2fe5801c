import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { createHttpProber } from '../../src/probe/http.js';
import { DEFAULT_TOKEN_LIFETIME_MS, TokenCache, tokenCacheKey } from '../../src/probe/oauth2.js';
import type { OAuth2Options, Prober } from '../../src/probe/types.js';
import { listen } from '../helpers/listen.js';
import { neverAborted, options, target } from './http-helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const CLIENT_ID = 'vigil probe';
const CLIENT_SECRET = 's3cr3t:value&more';

interface TokenCall {
  authorization: string | undefined;
  form: Record<string, string>;
}

interface TokenServer {
  url: string;
  calls: TokenCall[];
  /** Tokens handed out so far, in order. */
  issued: string[];
}

type TokenReply = (call: TokenCall, res: ServerResponse, issue: () => string) => void;

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id).replace(/%20/g, '+')}:${encodeURIComponent(secret).replace(/%20/g, '+')}`).toString('base64')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** Accepts client credentials in Basic auth; answers `{access_token: tok-N, expires_in: 60}`. */
const standardReply =
  (fields: Record<string, unknown> = { expires_in: 60 }): TokenReply =>
  (call, res, issue) => {
    if (call.authorization !== basic(CLIENT_ID, CLIENT_SECRET) || call.form['grant_type'] !== 'client_credentials') {
      json(res, 401, { error: 'invalid_client' });
      return;
    }
    json(res, 200, { access_token: issue(), token_type: 'bearer', ...fields });
  };

async function startTokenServer(reply: TokenReply = standardReply()): Promise<TokenServer> {
  const calls: TokenCall[] = [];
  const issued: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const call: TokenCall = { authorization: req.headers.authorization, form: Object.fromEntries(new URLSearchParams(body)) };
      calls.push(call);
      reply(call, res, () => {
        const token = `tok-${issued.length + 1}`;
        issued.push(token);
        return token;
      });
    });
  });
  const { port, close } = await listen(server);
  closers.push(close);
  return { url: `http://127.0.0.1:${port}/token`, calls, issued };
}

/** A target that answers 200 only to the newest issued token, 401 otherwise; records Authorization. */
async function startTarget(tokens: TokenServer): Promise<{ url: string; seen: Array<string | undefined> }> {
  const seen: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    const newest = tokens.issued.at(-1);
    if (newest !== undefined && req.headers.authorization === `Bearer ${newest}`) res.end('ok');
    else res.writeHead(401).end('no');
  });
  const { port, close } = await listen(server);
  closers.push(close);
  return { url: `http://127.0.0.1:${port}/api`, seen };
}

function fakeClock(startMs = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function settings(tokenUrl: string, scopes: string[] = ['health:read', 'metrics']): OAuth2Options {
  return { tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes };
}

function prober(clock: Clock = fakeClock()): Prober {
  return createHttpProber({ tokenCache: new TokenCache({ clock }) });
}

describe('probeHttp with client.oauth2', () => {
  it('gets a token with the client-credentials grant and sends it as a Bearer token', async () => {
    const tokens = await startTokenServer();
    const upstream = await startTarget(tokens);
    const probe = prober();
    const result = await probe(target(upstream.url), options({ oauth2: settings(tokens.url) }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(tokens.calls).toEqual([
      { authorization: basic(CLIENT_ID, CLIENT_SECRET), form: { grant_type: 'client_credentials', scope: 'health:read metrics' } },
    ]);
    expect(upstream.seen).toEqual(['Bearer tok-1']);
  });

  it('reuses the token across probes and fetches a new one shortly before expires_in runs out', async () => {
    const tokens = await startTokenServer();
    const upstream = await startTarget(tokens);
    const clock = fakeClock();
    const probe = prober(clock);
    const probeOptions = options({ oauth2: settings(tokens.url) });
    const statuses: Array<number | undefined> = [];
    const run = async () => statuses.push((await probe(target(upstream.url), probeOptions, neverAborted())).status);

    await run();
    await run();
    clock.advance(49_000); // expires_in 60 s, refreshed 10 s early
    await run();
    expect(tokens.calls).toHaveLength(1);
    clock.advance(1_000);
    await run();
    expect(tokens.calls).toHaveLength(2);
    await run();
    expect(tokens.calls).toHaveLength(2);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(upstream.seen).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2']);
  });

  it('keeps a token without expires_in for an hour', async () => {
    const tokens = await startTokenServer(standardReply({}));
    const upstream = await startTarget(tokens);
    const clock = fakeClock();
    const probe = prober(clock);
    const probeOptions = options({ oauth2: settings(tokens.url) });
    await probe(target(upstream.url), probeOptions, neverAborted());
    clock.advance(DEFAULT_TOKEN_LIFETIME_MS - 10_001);
    await probe(target(upstream.url), probeOptions, neverAborted());
    expect(tokens.calls).toHaveLength(1);
    clock.advance(1);
    await probe(target(upstream.url), probeOptions, neverAborted());
    expect(tokens.calls).toHaveLength(2);
  });

  it('replaces the endpoint\'s own Authorization (header or URL userinfo) with the Bearer token', async () => {
    const tokens = await startTokenServer();
    const upstream = await startTarget(tokens);
    const probe = prober();
    const withHeader = target(upstream.url, { headers: { Authorization: 'Basic old' } });
    const withUserinfo = target(upstream.url.replace('http://', 'http://user:pw@'));
    for (const t of [withHeader, withUserinfo]) {
      const result = await probe(t, options({ oauth2: settings(tokens.url) }), neverAborted());
      expect(result.status).toBe(200);
    }
    expect(upstream.seen).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  it('does not send the Bearer token to another origin on a redirect', async () => {
    const tokens = await startTokenServer();
    const other = await startTarget(tokens);
    const seen: Array<string | undefined> = [];
    const { port, close } = await listen(
      createServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(302, { location: other.url }).end();
      }),
    );
    closers.push(close);
    const result = await prober()(target(`http://127.0.0.1:${port}/`), options({ oauth2: settings(tokens.url) }), neverAborted());
    expect(result.redirects).toBe(1);
    expect(result.status).toBe(401);
    expect(seen).toEqual(['Bearer tok-1']);
    expect(other.seen).toEqual([undefined]);
  });

  it('falls back to credentials in the form when the server rejects Basic auth, and remembers it', async () => {
    const tokens = await startTokenServer((call, res, issue) => {
      if (call.authorization !== undefined || call.form['client_id'] !== CLIENT_ID || call.form['client_secret'] !== CLIENT_SECRET) {
        json(res, 400, { error: 'invalid_request' });
        return;
      }
      json(res, 200, { access_token: issue(), expires_in: 60 });
    });
    const upstream = await startTarget(tokens);
    const clock = fakeClock();
    const probe = prober(clock);
    const probeOptions = options({ oauth2: settings(tokens.url) });
    expect((await probe(target(upstream.url), probeOptions, neverAborted())).status).toBe(200);
    clock.advance(60_000);
    expect((await probe(target(upstream.url), probeOptions, neverAborted())).status).toBe(200);
    expect(tokens.calls.map((c) => (c.authorization === undefined ? 'form' : 'basic'))).toEqual(['basic', 'form', 'form']);
    expect(tokens.calls[1]?.form).toEqual({
      grant_type: 'client_credentials',
      scope: 'health:read metrics',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(upstream.seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('fails the probe when the token endpoint rejects the client, naming the error code but no secret', async () => {
    const tokens = await startTokenServer((_call, res) => json(res, 401, { error: 'invalid_client', error_description: `bad ${CLIENT_SECRET}` }));
    const upstream = await startTarget(tokens);
    const result = await prober()(target(upstream.url), options({ oauth2: settings(tokens.url) }), neverAborted());
    expect(result.error).toBe(`oauth2 token request to ${tokens.url} failed: HTTP 401 (invalid_client)`);
    expect(result.connected).toBe(false);
    expect(result.status).toBeUndefined();
    expect(upstream.seen).toEqual([]);
    expect(tokens.calls).toHaveLength(2); // Basic, then form credentials
  });

  it('fails the probe when the token response has no access_token', async () => {
    const tokens = await startTokenServer((_call, res) => json(res, 200, { token_type: 'bearer' }));
    const upstream = await startTarget(tokens);
    const result = await prober()(target(upstream.url), options({ oauth2: settings(tokens.url) }), neverAborted());
    expect(result.error).toBe(`oauth2 token response from ${tokens.url} has no access_token`);
    expect(upstream.seen).toEqual([]);
  });

  it('fails the probe with a redacted token URL when the token endpoint is unreachable', async () => {
    const { port, close } = await listen(createNetServer());
    await close();
    const tokens = await startTokenServer();
    const upstream = await startTarget(tokens);
    const tokenUrl = `http://127.0.0.1:${port}/token?client_secret=${encodeURIComponent(CLIENT_SECRET)}`;
    const result = await prober()(target(upstream.url), options({ oauth2: settings(tokenUrl) }), neverAborted());
    expect(result.error).toBe(`oauth2 token request to http://127.0.0.1:${port}/token?client_secret=<redacted> failed: connection refused`);
    expect(upstream.seen).toEqual([]);
  });

  it('counts a hanging token endpoint against the probe timeout, but not against the response time', async () => {
    const hanging = await startTokenServer(() => undefined);
    const result = await prober()(target('http://127.0.0.1:1/'), options({ timeoutMs: 300, oauth2: settings(hanging.url) }), neverAborted());
    expect(result.error).toBe('timeout after 300ms');

    const slow = await startTokenServer((call, res, issue) => {
      setTimeout(() => standardReply()(call, res, issue), 400);
    });
    const upstream = await startTarget(slow);
    const ok = await prober()(target(upstream.url), options({ oauth2: settings(slow.url) }), neverAborted());
    expect(ok.status).toBe(200);
    expect(ok.responseTimeMs).toBeLessThan(400);
  });
});

describe('TokenCache', () => {
  it('keys tokens by URL, client, scopes and secret, without holding the secret in the key', () => {
    const a = settings('http://127.0.0.1/token');
    expect(tokenCacheKey(a)).not.toContain(CLIENT_SECRET);
    expect(tokenCacheKey(a)).toBe(tokenCacheKey({ ...a, scopes: [...a.scopes] }));
    for (const other of [{ ...a, clientSecret: 'x' }, { ...a, scopes: ['metrics'] }, { ...a, clientId: 'y' }, { ...a, tokenUrl: 'http://h/t' }]) {
      expect(tokenCacheKey(other)).not.toBe(tokenCacheKey(a));
    }
  });

  it('is bounded, dropping the least recently used entry', () => {
    const clock = fakeClock();
    const cache = new TokenCache({ clock, maxEntries: 2 });
    cache.store('a', { accessToken: 'A', refreshAtMs: clock.now() + 1000 });
    cache.store('b', { accessToken: 'B', refreshAtMs: clock.now() + 1000 });
    expect(cache.token('a')).toBe('A');
    cache.store('c', { accessToken: 'C', refreshAtMs: clock.now() + 1000 });
    expect(cache.size).toBe(2);
    expect(cache.token('b')).toBeUndefined();
    expect(cache.token('a')).toBe('A');
    expect(cache.token('c')).toBe('C');
    clock.advance(1000);
    expect(cache.token('a')).toBeUndefined();
  });
});
