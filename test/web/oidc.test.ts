/**
 * security.oidc end to end against a real OpenID provider (oidc-provider on loopback), driven by
 * fetch with a cookie jar: the redirect carries PKCE S256, state and nonce; an allowed subject
 * gets an HttpOnly SameSite=Lax session and the API; another subject, a tampered cookie or a
 * callback without a pending login get nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createOidcLogin } from '../../src/web/oidc.js';
import { startVigilWithOidc, type OidcVigil, type TestProvider } from '../helpers/oidc-provider.js';

let dir: string;
let vigil: OidcVigil;
let provider: TestProvider;
let base: string;
const logs: string[] = [];

/** A browser's cookie jar, minus paths and expiry (every cookie goes everywhere; Max-Age=0 deletes). */
class Jar {
  readonly cookies = new Map<string, string>();
  readonly raw: string[] = [];
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.raw.push(line);
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (/max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function visit(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(), accept: 'text/html' } });
  jar.take(response);
  return response;
}

/** Follows redirects like a browser (303 → GET), logging in as `subject` at the provider's form. */
async function login(jar: Jar, subject: string, start = `${base}/`): Promise<Response> {
  let response = await visit(jar, start);
  for (let hops = 0; hops < 15; hops++) {
    if (response.status === 200 && response.url.includes('/interaction/')) {
      const action = /action="([^"]+)"/.exec(await response.text())?.[1];
      if (!action) throw new Error('no login form');
      response = await visit(jar, new URL(action, response.url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login: subject, password: 'any' }).toString(),
      });
      continue;
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    response = await visit(jar, new URL(location, response.url).href);
  }
  throw new Error('too many redirects');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-oidc-'));
  vigil = await startVigilWithOidc(dir, ['allowed-subjects: [alice]'], logs);
  ({ provider, base } = vigil);
});
afterAll(async () => {
  await vigil?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('security.oidc', () => {
  it('keeps anonymous callers out: 401 for the API, a redirect to the login for pages; badges stay public', async () => {
    const api = await fetch(`${base}/api/v1/endpoints/statuses`);
    expect(api.status).toBe(401);
    const page = await fetch(`${base}/endpoints/_api`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/oidc/login?next=%2Fendpoints%2F_api');
    expect((await fetch(`${base}/api/v1/endpoints/_api/health/badge.svg`)).status).toBe(200);
    expect(await (await fetch(`${base}/api/v1/config`)).json()).toMatchObject({ oidc: true, authenticated: false });
  });

  it('logs an allowed subject in with PKCE, state and nonce, and returns to the page asked for', async () => {
    const jar = new Jar();
    const done = await login(jar, 'alice', `${base}/endpoints/_api`);
    const auth = provider.authorizations.at(-1)!;
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.get('state')).toBeTruthy();
    expect(auth.get('nonce')).toBeTruthy();
    expect(auth.get('scope')).toBe('openid');
    expect(auth.get('redirect_uri')).toBe(`${base}/authorization-code/callback`);
    expect(done.status).toBe(200);
    expect(done.url).toBe(`${base}/endpoints/_api`);

    const session = jar.raw.find((line) => line.startsWith('vigil_session=') && !/max-age=0\b/i.test(line))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Max-Age=28800/);
    expect(session).not.toContain(provider.clientSecret);
    const statuses = await fetch(`${base}/api/v1/endpoints/statuses`, { headers: { cookie: jar.header() } });
    expect(statuses.status).toBe(200);
    expect(await (await fetch(`${base}/api/v1/config`, { headers: { cookie: jar.header() } })).json()).toMatchObject({ oidc: true, authenticated: true });

    // logging out ends it
    await visit(jar, `${base}/oidc/logout`, { method: 'POST' });
    expect((await fetch(`${base}/api/v1/endpoints/statuses`, { headers: { cookie: jar.header() } })).status).toBe(401);
  });

  it('refuses a subject outside allowed-subjects, a tampered session and a callback without a pending login', async () => {
    const jar = new Jar();
    const refused = await login(jar, 'mallory');
    expect(refused.status).toBe(403);
    expect(jar.cookies.has('vigil_session')).toBe(false);

    const alice = new Jar();
    await login(alice, 'alice');
    const token = alice.cookies.get('vigil_session')!;
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect((await fetch(`${base}/api/v1/endpoints/statuses`, { headers: { cookie: `vigil_session=${flipped}` } })).status).toBe(401);

    const stray = await fetch(`${base}/authorization-code/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(stray.status).toBe(400);
    expect(logs.join('\n')).not.toContain(provider.clientSecret);
  });

  it('marks the cookies Secure when redirect-url is https', async () => {
    const login = createOidcLogin(
      { issuerUrl: provider.issuer, redirectUrl: 'https://status.example.org/authorization-code/callback', clientId: provider.clientId, clientSecret: provider.clientSecret, scopes: ['openid'], allowedSubjects: [], sessionTtlMs: 3_600_000 },
      { logger: silentLogger },
    );
    const server = express().use(login.router).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc/login`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(new URL(response.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://status.example.org/authorization-code/callback');
      const [pending] = response.headers.getSetCookie();
      expect(pending).toMatch(/^vigil_oidc_login=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
    } finally {
      server.close();
    }
  });
});
