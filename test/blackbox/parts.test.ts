import { describe, expect, it } from 'vitest';
import { checkAllowlistEntry, createAllowlist } from '../../src/blackbox/allowlist.js';
import { ipAddrHash } from '../../src/blackbox/ip-hash.js';
import { tlsVersionLabel } from '../../src/blackbox/metrics.js';
import { defaultModule } from '../../src/blackbox/module.js';
import { BlackboxTargetError, planProbe, splitHostPort } from '../../src/blackbox/target.js';
import { probeTimeoutMs } from '../../src/blackbox/timeout.js';

describe('probe timeout (blackbox getTimeout)', () => {
  it.each([
    [undefined, 0, 119_500],
    ['10', 0, 9_500],
    ['10', 5_000, 5_000],
    ['10', 20_000, 9_500],
    ['0.2', 5_000, 5_000],
    // the header leaves nothing: the module timeout wins, even 0 (an immediate timeout), as in blackbox
    ['0.2', 0, 0],
  ])('header %s, module %i ms → %i ms', (header, moduleMs, expected) => {
    expect(probeTimeoutMs(header, moduleMs)).toBe(expected);
  });

  it('reports an unparsable header', () => {
    expect(probeTimeoutMs('abc', 0)).toMatch(/invalid syntax/);
  });
});

describe('targets', () => {
  it('http: prepends http:// and keeps the module options', () => {
    const module = defaultModule('m', 'http');
    module.http.tls.insecureSkipVerify = true;
    module.http.followRedirects = false;
    const plan = planProbe(module, 'example.test:8080/health', 1_000);
    expect(plan.kind).toBe('http');
    expect(plan.target.url.href).toBe('http://example.test:8080/health');
    expect(plan.options).toMatchObject({ timeoutMs: 1_000, insecure: true, followRedirects: false, maxRedirects: 10, network: 'ip' });
    expect(plan.host).toBe('example.test');
  });

  it('tcp: host:port, [v6]:port; tls: true uses the TLS prober', () => {
    expect(splitHostPort('[::1]:25')).toEqual({ host: '::1', port: '25' });
    expect(() => splitHostPort('::1')).toThrow(BlackboxTargetError);
    const module = defaultModule('m', 'tcp');
    module.tcp.tls = true;
    module.tcp.ipProtocolFallback = false;
    module.tcp.preferredIpProtocol = 'ip4';
    const plan = planProbe(module, 'mail.example.test:995', 1_000);
    expect(plan.kind).toBe('tls');
    expect(plan.target.url.href).toBe('tls://mail.example.test:995');
    expect(plan.options.network).toBe('ip4');
  });

  it('dns: port 53 by default, the module query; icmp: a bare host', () => {
    const module = defaultModule('m', 'dns');
    module.dns.queryName = 'example.test';
    module.dns.queryType = 'A';
    const plan = planProbe(module, '127.0.0.1', 1_000);
    expect(plan.target.url.port).toBe('53');
    expect(plan.target.dns).toEqual({ queryType: 'A', queryName: 'example.test' });
    expect(planProbe(defaultModule('i', 'icmp'), '::1', 1_000).host).toBe('::1');
  });
});

describe('allowlist', () => {
  it('allows everything when not configured, nothing when empty', () => {
    expect(createAllowlist(undefined).allows('10.1.2.3')).toBe(true);
    expect(createAllowlist([]).allows('10.1.2.3')).toBe(false);
  });

  it('matches IPs and CIDRs against IP targets, globs against host names', () => {
    const list = createAllowlist(['192.0.2.7', '10.0.0.0/8', 'fd00::/8', '*.example.test', 'db-*']);
    expect(list.allows('192.0.2.7')).toBe(true);
    expect(list.allows('192.0.2.8')).toBe(false);
    expect(list.allows('10.200.0.1')).toBe(true);
    expect(list.allows('fd12::1')).toBe(true);
    expect(list.allows('api.EXAMPLE.test')).toBe(true);
    expect(list.allows('example.test')).toBe(false);
    expect(list.allows('db-1')).toBe(true);
    expect(list.allows('evil.test')).toBe(false);
  });

  it('validates entries', () => {
    expect(checkAllowlistEntry('10.0.0.0/8')).toBeUndefined();
    expect(checkAllowlistEntry('*.example.com')).toBeUndefined();
    expect(checkAllowlistEntry('300.0.0.0/8')).toMatch(/not an IP/);
    expect(checkAllowlistEntry('http://x')).toMatch(/invalid entry/);
  });
});

describe('metric values shared with blackbox', () => {
  it('hashes IPs with FNV-1a 32 over 4 or 16 bytes', () => {
    // FNV-1a 32 of bytes 7f 00 00 01; blackbox reports the same (checked in test/integration/blackbox-diff.test.ts)
    expect(ipAddrHash('127.0.0.1')).toBe(3668918509);
    expect(ipAddrHash('::ffff:127.0.0.1')).toBe(ipAddrHash('127.0.0.1'));
    expect(ipAddrHash('::1')).not.toBe(0);
    expect(ipAddrHash('not-an-ip')).toBe(0);
  });

  it('labels TLS versions like Go', () => {
    expect(tlsVersionLabel('TLSv1.3')).toBe('TLS 1.3');
    expect(tlsVersionLabel('TLSv1')).toBe('TLS 1.0');
    expect(tlsVersionLabel(undefined)).toBe('unknown');
  });
});
