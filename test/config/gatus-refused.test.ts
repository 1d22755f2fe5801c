import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);

async function loadError(name: string): Promise<ConfigError> {
  const err = await loadConfig(fixture(name), { env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof ConfigError) return err;
  throw new Error(`${name} did not fail with a ConfigError: ${String(err)}`);
}

function lines(err: ConfigError): string[] {
  return err.issues.map((issue) => formatIssue({ ...issue, file: basename(issue.file) }));
}

describe('Gatus security keys that would fail open are load errors', () => {
  it.each([
    [
      'invalid-basic-sha512.yaml',
      'invalid-basic-sha512.yaml:3:5 security.basic.password-bcrypt-base64: required',
      'invalid-basic-sha512.yaml:4:5 security.basic.password-sha512: removed from Gatus and not supported: use password-bcrypt-base64 (the base64 of a bcrypt hash)',
    ],
    ['invalid-security-key.yaml', 'invalid-security-key.yaml:5:3 security.ldap: unknown key'],
  ])('%s', async (name, ...expected) => {
    const err = await loadError(name);
    expect(err.code).toBe('VIGIL_CONFIG_INVALID');
    expect(lines(err)).toEqual(expected);
  });

  it("loads Gatus' security.oidc (the login is implemented: test/web/oidc.test.ts)", async () => {
    const config = await loadConfig(fixture('gatus-oidc.yaml'), { env: {} });
    expect(config.security.oidc).toMatchObject({ issuerUrl: 'https://idp.example.org', clientId: 'gatus', scopes: ['openid'], allowedSubjects: [], sessionTtlMs: 8 * 3600_000 });
    expect(config.warnings).toEqual([]);
  });

  it('check-config fails (exit 1) on them', async () => {
    const out: string[] = [];
    const status = await checkConfig([fixture('invalid-basic-sha512.yaml'), fixture('invalid-security-key.yaml')], (l) => out.push(l), { env: {} });
    expect(status).toBe(1);
    expect(out.filter((l) => l === ' FAILED:')).toHaveLength(2);
  });

  it('a key set to nothing is absent, as in Gatus (web.tls: / security.oidc: → plain HTTP, no OIDC)', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-refused-')), 'nulls.yaml');
    const text = ['web:', '  tls:', 'security:', '  oidc:', 'endpoints:', '  - name: a', '    url: http://127.0.0.1:1/', '    conditions: ["[STATUS] == 200"]'];
    await writeFile(path, text.join('\n'));
    const config = await loadConfig(path, { env: {} });
    expect(config.security).toEqual({});
    expect(config.warnings).toEqual([]);
  });
});

describe('Gatus settings that would probe something else', () => {
  it('tunnels, identity-aware-proxy, connectivity, tcp:// DNS resolvers and malformed ssh keys are located load errors', async () => {
    const err = await loadError('invalid-gatus-refused.yaml');
    expect(lines(err).map((l) => l.split(': ')[0])).toEqual([
      'invalid-gatus-refused.yaml:2:1 connectivity',
      'invalid-gatus-refused.yaml:5:1 tunneling',
      'invalid-gatus-refused.yaml:13:7 endpoints[0].client.tunnel',
      'invalid-gatus-refused.yaml:14:7 endpoints[0].client.identity-aware-proxy',
      'invalid-gatus-refused.yaml:16:21 endpoints[0].client.dns-resolver',
      'invalid-gatus-refused.yaml:23:20 endpoints[1].ssh.private-key',
    ]);
    expect(err.message).not.toContain('not a key');
  });

  it('graphql: true wraps the body as {"query": body} and sends JSON unless a Content-Type is set; ssh.private-key is read', async () => {
    const config = await loadConfig(fixture('gatus-graphql-ssh-key.yaml'), { env: {} });
    const [wrapped, ownType, bastion] = config.endpoints;
    expect(wrapped?.target.body).toBe(JSON.stringify({ query: '{ user(id: 1) { name } }\n' }));
    expect(wrapped?.target.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(ownType?.target.body).toBe('{"query":"{ ping }"}');
    expect(ownType?.target.headers).toEqual({ 'content-type': 'application/graphql+json' });
    expect(bastion?.target.ssh?.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(config.warnings).toEqual([]);
  });
});
