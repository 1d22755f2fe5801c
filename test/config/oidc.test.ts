/** security.oidc at load: every setting that would weaken the login is a located error. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-oidc-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENDPOINT = ['endpoints:', '  - name: a', '    url: tcp://127.0.0.1:1', '    conditions: ["[CONNECTED] == false"]'];

async function load(security: string[]): Promise<{ errors: string[]; warnings: string[] }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, ['security:', ...security.map((l) => `  ${l}`), ...ENDPOINT, ''].join('\n'));
  return loadConfig(file, { env: {} }).then(
    (config) => ({ errors: [], warnings: config.warnings.map((w) => `${w.line}:${w.col} ${w.path}: ${w.message}`) }),
    (err: unknown) => {
      if (!(err instanceof ConfigError)) throw err;
      return { errors: err.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`), warnings: [] };
    },
  );
}

const oidc = (over: Record<string, string> = {}): string[] => {
  const values: Record<string, string> = {
    'issuer-url': 'https://idp.example.org',
    'redirect-url': 'https://status.example.org/authorization-code/callback',
    'client-id': 'vigil',
    'client-secret': 'very-secret-value-91',
    ...over,
  };
  return ['oidc:', ...Object.entries(values).filter(([, v]) => v !== '').map(([k, v]) => `  ${k}: ${v}`)];
};

describe('security.oidc', () => {
  it('refuses plain-HTTP providers and callbacks off localhost, scopes without openid, a missing secret and odd TTLs', async () => {
    const { errors } = await load(
      oidc({ 'issuer-url': 'http://idp.example.org', 'redirect-url': 'status.example.org/cb', 'client-secret': '', scopes: '[profile]', 'session-ttl': '10s' }),
    );
    expect(errors).toEqual([
      '3:5 security.oidc.client-secret: required',
      '3:17 security.oidc.issuer-url: must be an https:// URL (http:// only on localhost)',
      '4:19 security.oidc.redirect-url: must be an absolute URL',
      '6:13 security.oidc.scopes: must include openid',
      '7:18 security.oidc.session-ttl: must be between 1m and 720h',
    ]);
  });

  it('accepts http:// on loopback (local providers and tests) and never echoes the client secret', async () => {
    const local = await load(oidc({ 'issuer-url': 'http://127.0.0.1:5556', 'redirect-url': 'http://localhost:8080/authorization-code/callback' }));
    expect(local).toEqual({ errors: [], warnings: [] });
    const bad = await load([...oidc({ scopes: '[email]' }), '  unknown-key: 1']);
    expect(bad.errors.join('\n')).not.toContain('very-secret-value-91');
    expect(bad.errors).toEqual(['7:13 security.oidc.scopes: must include openid', '8:5 security.oidc.unknown-key: unknown key']);
  });

  it('warns that oidc is not used when basic is set too (basic wins, as in Gatus)', async () => {
    const hash = Buffer.from('$2a$10$tb2tEjLVk6KupsDDPk0uLO/rDKcNXoXRvz1YM2CQZavQImLrlZt6.').toString('base64');
    const { errors, warnings } = await load([...oidc(), 'basic:', '  username: admin', `  password-bcrypt-base64: ${hash}`]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['2:3 security.oidc: not used: security.basic is set and takes precedence, as in Gatus']);
  });
});
