/**
 * A real OpenID provider for tests (oidc-provider, in process) on a loopback port: one confidential
 * client, the library's development login form (any username becomes the `sub`, any password), and
 * consent granted at once, as a first-party provider does. Always close() it.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags } from '../../src/flags.js';
import { createLogger } from '../../src/log.js';
import { freePort } from './alertmanager-cluster.js';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Authorization requests the provider received (their query parameters). */
  authorizations: URLSearchParams[];
  close(): Promise<void>;
}

export async function startOidcProvider(redirectUri: string): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'vigil';
  const clientSecret = 'test-client-secret-7f3a9c';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    cookies: { keys: ['test-cookie-key-1'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    async loadExistingGrant(ctx) {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  });
  const authorizations: URLSearchParams[] = [];
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth') authorizations.push(url.searchParams);
    void callback(req, res);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OidcVigil {
  app: RunningApp;
  provider: TestProvider;
  /** http://127.0.0.1:PORT of vigil. */
  base: string;
  close(): Promise<void>;
}

/** vigil (in process) with security.oidc on a provider of its own; `extra` lines go under `oidc:`. */
export async function startVigilWithOidc(dir: string, extra: string[], logs: string[]): Promise<OidcVigil> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const provider = await startOidcProvider(`${base}/authorization-code/callback`);
  const file = join(dir, 'config.yaml');
  const yaml = [
    'security:',
    '  oidc:',
    `    issuer-url: ${provider.issuer}`,
    `    redirect-url: ${base}/authorization-code/callback`,
    `    client-id: ${provider.clientId}`,
    `    client-secret: ${provider.clientSecret}`,
    '    scopes: [openid]',
    ...extra.map((line) => `    ${line}`),
    'endpoints:',
    '  - name: api',
    '    url: tcp://127.0.0.1:1',
    '    conditions: ["[CONNECTED] == false"]',
    '',
  ];
  await writeFile(file, yaml.join('\n'));
  const cmd = parseFlags([`--config.file=${file}`, `--web.listen-address=127.0.0.1:${port}`, '--shutdown.grace-period=1s']);
  if (cmd.kind !== 'run') throw new Error('expected run');
  const app = await startApp(cmd.flags, createLogger({ write: (line) => logs.push(line) }));
  return {
    app,
    provider,
    base,
    async close() {
      await app.stop();
      await provider.close();
    },
  };
}
