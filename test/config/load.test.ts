import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';
import type { ConfigIssue } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);

/** Issues formatted with the file's base name, as a user running from the fixture folder sees them. */
function show(issues: readonly ConfigIssue[]): string[] {
  return issues.map((issue) => formatIssue({ ...issue, file: basename(issue.file) }));
}

async function loadError(name: string, env: Record<string, string> = {}): Promise<ConfigError> {
  try {
    await loadConfig(fixture(name), { env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

describe('loadConfig: one failure per invalid-*.yaml fixture', () => {
  const table: Array<[string, string | RegExp]> = [
    ['invalid-yaml.yaml', 'invalid-yaml.yaml:3:30: invalid YAML: Missing closing "quote'],
    ['invalid-unknown-key.yaml', 'invalid-unknown-key.yaml:4:5 endpoints[0].intreval: unknown key (did you mean interval?)'],
    ['invalid-missing-name.yaml', 'invalid-missing-name.yaml:2:5 endpoints[0].name: required'],
    ['invalid-missing-url.yaml', 'invalid-missing-url.yaml:2:5 endpoints[0].url: required'],
    ['invalid-url.yaml', 'invalid-url.yaml:3:10 endpoints[0].url: invalid URL'],
    [
      'invalid-scheme.yaml',
      'invalid-scheme.yaml:3:10 endpoints[0].url: unsupported URL scheme "ftp" (supported: http, https, tcp, udp, tls, starttls, icmp, ws, wss, grpc, grpcs, ssh, or a dns: block)',
    ],
    ['invalid-duration.yaml', 'invalid-duration.yaml:4:15 endpoints[0].interval: invalid duration "30": missing unit (e.g. 30s)'],
    ['invalid-no-conditions.yaml', 'invalid-no-conditions.yaml:2:5 endpoints[0].conditions: at least one condition is required'],
    [
      'invalid-alert-type.yaml',
      /^invalid-alert-type\.yaml:7:15 endpoints\[0\]\.alerts\[0\]\.type: unknown alert type "slak" \(known: aws-ses, .*slack.*\)$/,
    ],
    [
      'invalid-label-name.yaml',
      'invalid-label-name.yaml:7:7 endpoints[0].extra-labels.team-name: invalid label name: must match [a-zA-Z_][a-zA-Z0-9_]*',
    ],
    [
      'invalid-alert-label.yaml',
      'invalid-alert-label.yaml:9:11 endpoints[0].alerts[0].labels.1team: invalid label name: must match [a-zA-Z_][a-zA-Z0-9_]*',
    ],
    [
      'invalid-duplicate-key.yaml',
      'invalid-duplicate-key.yaml:7:5 endpoints[1]: duplicate endpoint key "core_api" (same group and name as endpoints[0] at ' +
        `${fixture('invalid-duplicate-key.yaml')}:2:5)`,
    ],
    [
      'invalid-alertmanager-url.yaml',
      'invalid-alertmanager-url.yaml:9:7 vigil.alertmanagers[1]: invalid Alertmanager URL: expected an absolute http:// or https:// URL such as http://alertmanager:9093/',
    ],
    ['invalid-network.yaml', 'invalid-network.yaml:5:16 endpoints[0].client.network: must be one of ip, ip4, ip6'],
    [
      'invalid-dns-query-type.yaml',
      /^invalid-dns-query-type\.yaml:6:19 endpoints\[0\]\.dns\.query-type: unknown DNS query type \(known: A, AAAA, /,
    ],
    ['invalid-tcp-port.yaml', 'invalid-tcp-port.yaml:3:10 endpoints[0].url: tcp URLs need a port, e.g. tcp://host:port'],
    ['invalid-resolve.yaml', 'invalid-resolve.yaml:7:12 vigil.resolve: must be one of confirm, explicit, expire'],
    [
      'invalid-dns-resolver.yaml',
      'invalid-dns-resolver.yaml:5:21 endpoints[0].client.dns-resolver: invalid DNS resolver: expected {tcp|udp}://{host}:{port}',
    ],
    ['invalid-oauth2.yaml', 'invalid-oauth2.yaml:6:9 endpoints[0].client.oauth2.scopes: required'],
    ['invalid-heartbeat.yaml', 'invalid-heartbeat.yaml:5:17 external-endpoints[0].heartbeat.interval: must be 0 (disabled) or at least 10s'],
    ['invalid-external-token.yaml', 'invalid-external-token.yaml:2:5 external-endpoints[0].token: required'],
    ['invalid-bool.yaml', 'invalid-bool.yaml:4:14 endpoints[0].enabled: expected true or false'],
    ['invalid-web-port.yaml', 'invalid-web-port.yaml:2:9 web.port: must be between 0 and 65535'],
    [
      'invalid-security.yaml',
      'invalid-security.yaml:4:29 security.basic.password-bcrypt-base64: must be the base64 encoding of a bcrypt hash',
    ],
    [
      'invalid-alerting-provider.yaml',
      /^invalid-alerting-provider\.yaml:2:3 alerting\.slck: unknown alerting provider \(known: aws-ses, /,
    ],
    [
      'invalid-no-endpoints.yaml',
      'invalid-no-endpoints.yaml:1:1 endpoints: no endpoints configured: at least one endpoint, external endpoint or suite is required',
    ],
    ['invalid-threshold.yaml', 'invalid-threshold.yaml:8:28 endpoints[0].alerts[0].failure-threshold: must be at least 1'],
    ['invalid-endpoint-not-map.yaml', 'invalid-endpoint-not-map.yaml:6:5 endpoints[1]: expected a map, got a string'],
    ['invalid-condition.yaml', 'invalid-condition.yaml:6:10 endpoints[0].conditions[1]: unknown placeholder [STATU]'],
    [
      'invalid-domain-expiration.yaml',
      'invalid-domain-expiration.yaml:6:9 endpoints[0].conditions[0]: [DOMAIN_EXPIRATION] requires an interval of at least 5m',
    ],
    // An alias copies the anchored value, not the anchor: a misspelt key holding one is still a typo.
    ['invalid-alias-key.yaml', 'invalid-alias-key.yaml:8:1 endpoint: unknown key (did you mean endpoints?)'],
  ];

  it.each(table)('%s', async (name, expected) => {
    const err = await loadError(name);
    expect(err.code).toBe('VIGIL_CONFIG_INVALID');
    const lines = show(err.issues);
    expect(lines).toHaveLength(1);
    if (typeof expected === 'string') expect(lines[0]).toBe(expected);
    else expect(lines[0]).toMatch(expected);
  });
});

describe('loadConfig: reporting', () => {
  it('reports every error of a file at once, in file order', async () => {
    const err = await loadError('many-errors.yaml');
    expect(show(err.issues)).toEqual([
      'many-errors.yaml:4:5 endpoints[0].intreval: unknown key (did you mean interval?)',
      'many-errors.yaml:7:5 endpoints[1].name: required',
      'many-errors.yaml:7:10 endpoints[1].url: unsupported URL scheme "ftp" (supported: http, https, tcp, udp, tls, starttls, icmp, ws, wss, grpc, grpcs, ssh, or a dns: block)',
      'many-errors.yaml:11:10 endpoints[2].url: tcp URLs need a port, e.g. tcp://host:port',
      'many-errors.yaml:13:16 endpoints[2].client.timeout: invalid duration "10": missing unit (e.g. 10s)',
      expect.stringMatching(/^many-errors\.yaml:17:15 endpoints\[2\]\.alerts\[0\]\.type: unknown alert type "slak"/),
      'many-errors.yaml:20:7 vigil.alertmanagers[0]: invalid Alertmanager URL: expected an absolute http:// or https:// URL such as http://alertmanager:9093/',
      'many-errors.yaml:21:12 vigil.resolve: must be one of confirm, explicit, expire',
    ]);
    expect(err.message.split('\n')[0]).toBe('8 configuration errors:');
  });

  it('throws VIGIL_CONFIG_NOT_FOUND with one clear line for a missing file', async () => {
    const missing = fixture('does-not-exist.yaml');
    const err = await loadConfig(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('VIGIL_CONFIG_NOT_FOUND');
    expect((err as ConfigError).message).toBe(`${missing}: configuration file not found`);
  });

  it('never puts secrets in error messages', async () => {
    const err = await loadError('invalid-alerting-provider.yaml');
    expect(err.message).not.toContain('XXXXSECRET');
    const heartbeat = await loadError('invalid-heartbeat.yaml');
    expect(heartbeat.message).not.toContain('s3cret-backup-token');
    const security = await loadError('invalid-security.yaml');
    expect(security.message).not.toContain('hunter2');
    const many = await loadError('secrets-errors.yaml');
    expect(many.issues).toHaveLength(3);
    for (const secret of ['am-pass-123', 'endpoint-pass', 'tok-987654', 'bearer-xyz-42']) {
      expect(many.message).not.toContain(secret);
    }
  });
});
