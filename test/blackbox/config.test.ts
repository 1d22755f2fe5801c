import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBlackboxConfig, parseBlackboxConfig } from '../../src/blackbox/config.js';
import { builtinModules } from '../../src/blackbox/module.js';
import { compileGoRegexp } from '../../src/blackbox/regexp.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/blackbox/${name}`, import.meta.url));

async function loadError(name: string): Promise<ConfigError> {
  try {
    await loadBlackboxConfig(fixture(name));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${name} loaded without error`);
}

describe('blackbox.yml parsing', () => {
  it.each([
    ['invalid-unknown-key.yml', '5:7 modules.http_2xx.http.valid_status_code: unknown key (did you mean valid_status_codes?)'],
    ['invalid-prober.yml', '3:13 modules.ping.prober: unknown prober "smtp" (known: http, tcp, icmp, dns, grpc)'],
    ['invalid-regexp.yml', '5:37 modules.body.http.fail_if_body_matches_regexp[0]: could not compile regular expression "(unclosed"'],
    ['invalid-dns-query-name.yml', '5:7 modules.dns_a.dns.query_name: query name must be set for DNS module'],
    ['invalid-timeout.yml', '4:14 modules.http_2xx.timeout: invalid duration "5": missing unit (e.g. 5s)'],
  ])('%s fails with a located error', async (name, message) => {
    const error = await loadError(name);
    expect(error.code).toBe('VIGIL_BLACKBOX_CONFIG_INVALID');
    expect(error.message.startsWith(`${fixture(name)}:${message}`)).toBe(true);
  });

  it('reports an unreadable file with its path', async () => {
    const error = await loadError('does-not-exist.yml');
    expect(error.message).toContain('does-not-exist.yml: cannot read blackbox config');
  });

  it('reports every error at once', () => {
    const text = 'modules:\n  a:\n    prober: nope\n  b:\n    prober: http\n    bogus: 1\n';
    expect(() => parseBlackboxConfig('f.yml', text)).toThrow(/2 configuration errors/);
  });

  it("loads the Debian package's /etc/prometheus/blackbox.yml, warning about what vigil does not implement", () => {
    const { config, warnings } = parseBlackboxConfig('debian.yml', readFileSync(fixture('debian-default.yml'), 'utf8'));
    expect([...config.modules.keys()]).toEqual([
      'http_2xx', 'http_post_2xx', 'tcp_connect', 'pop3s_banner', 'grpc', 'grpc_plain', 'ssh_banner', 'irc_banner', 'icmp', 'icmp_ttl5',
    ]);
    expect(config.modules.get('http_post_2xx')?.http.method).toBe('POST');
    expect(config.modules.get('http_2xx')?.unsupported).toEqual([]);
    expect(config.modules.get('pop3s_banner')?.unsupported).toEqual(['modules.pop3s_banner.tcp.query_response']);
    expect(config.modules.get('icmp_ttl5')?.unsupported).toEqual(['modules.icmp_ttl5.icmp.ttl']);
    // the irc module keeps its ${1} template: no environment expansion in blackbox.yml
    expect(config.modules.get('irc_banner')?.tcp.queryResponse[2]?.send).toBe('PONG ${1}');
    expect(warnings.map((w) => w.path)).toContain('modules.grpc.prober: grpc');
  });

  it('applies blackbox defaults: 2xx, GET, follow redirects, ip6 preferred with fallback, NOERROR', () => {
    const text = 'modules:\n  h:\n    prober: http\n  d:\n    prober: dns\n    dns:\n      query_name: x.test\n      query_type: A\n';
    const { config } = parseBlackboxConfig('f.yml', text);
    const h = config.modules.get('h');
    expect(h?.timeoutMs).toBe(0);
    expect(h?.http).toMatchObject({ validStatusCodes: [], method: 'GET', followRedirects: true, preferredIpProtocol: 'ip6', ipProtocolFallback: true });
    expect(config.modules.get('d')?.dns).toMatchObject({ queryName: 'x.test', queryType: 'A', validRcodes: ['NOERROR'], transportProtocol: 'udp' });
  });

  it('reads the http options', () => {
    const text = [
      'modules:',
      '  h:',
      '    prober: http',
      '    timeout: 2.5s',
      '    http:',
      '      valid_status_codes: [200, 301]',
      '      valid_http_versions: ["HTTP/1.1"]',
      '      method: post',
      '      headers: { X-A: b }',
      '      body: hi',
      '      no_follow_redirects: true',
      '      fail_if_ssl: true',
      '      fail_if_body_matches_regexp: ["(?i)down"]',
      '      preferred_ip_protocol: ip4',
      '      ip_protocol_fallback: false',
      '      basic_auth: { username: u, password: p }',
      '      tls_config: { insecure_skip_verify: true, server_name: example.test }',
      '',
    ].join('\n');
    const h = parseBlackboxConfig('f.yml', text).config.modules.get('h');
    expect(h?.timeoutMs).toBe(2500);
    expect(h?.http).toMatchObject({
      validStatusCodes: [200, 301],
      validHttpVersions: ['HTTP/1.1'],
      method: 'POST',
      headers: { 'X-A': 'b', Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
      body: 'hi',
      followRedirects: false,
      failIfSsl: true,
      preferredIpProtocol: 'ip4',
      ipProtocolFallback: false,
      tls: { insecureSkipVerify: true, serverName: 'example.test' },
    });
    expect(h?.http.failIfBodyMatchesRegexp[0]?.test('Service DOWN')).toBe(true);
  });

  it('offers the default modules without a file', () => {
    expect([...builtinModules().modules.keys()]).toEqual(['http_2xx', 'http_post_2xx', 'tcp_connect', 'icmp', 'dns_udp']);
  });
});

describe('Go regular expressions', () => {
  it('turns leading flag groups into flags and accepts repeated anchors', () => {
    const re = compileGoRegexp('(?i)^+ok');
    expect(re).toBeInstanceOf(RegExp);
    expect((re as RegExp).test('OK ready')).toBe(true);
    expect((compileGoRegexp('[^+]x') as RegExp).test('ax')).toBe(true);
    expect(compileGoRegexp('(')).toMatch(/^could not compile regular expression "\("/);
  });
});

describe('vigil.probe-allowlist in the vigil config', () => {
  it('is read when present', async () => {
    const config = await loadConfig(fixture('vigil-allowlist.yaml'));
    expect(config.vigil.probeAllowlist).toEqual(['127.0.0.1', '10.0.0.0/8', '*.example.com']);
  });

  it('is absent (allow all) when not configured', async () => {
    const config = await loadConfig(fixture('vigil-no-allowlist.yaml'));
    expect(config.vigil.probeAllowlist).toBeUndefined();
  });

  it('rejects invalid entries with their location', async () => {
    await expect(loadConfig(fixture('vigil-allowlist-invalid.yaml'))).rejects.toThrow(
      /vigil-allowlist-invalid\.yaml:7:7 vigil\.probe-allowlist\[0\]: invalid CIDR "10\.0\.0\.0\/33": prefix too long[\s\S]*:8:7 vigil\.probe-allowlist\[1\]: invalid entry "exa mple\.com"/,
    );
  });
});
