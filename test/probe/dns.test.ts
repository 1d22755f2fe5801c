import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDns, renderAnswers, reverseName } from '../../src/probe/dns.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import { startDnsServer, startSilentUdpServer } from '../helpers/dns-server.js';
import type { DnsServer } from '../helpers/dns-server.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const options = makeOptions();

function dnsTarget(url: string, queryType: string, queryName: string): ProbeTarget {
  return makeTarget(url, { dns: { queryType, queryName } });
}

describe('probeDns', () => {
  let server: DnsServer;
  let url: string;
  beforeAll(async () => {
    server = await startDnsServer();
    url = `dns://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it.each([
    ['A', 'example.test', '192.0.2.1'],
    ['AAAA', 'example.test', '2001:db8::1'],
    ['CNAME', 'www.example.test', 'example.test.'],
    ['MX', 'example.test', 'mail.example.test.'],
    ['NS', 'example.test', 'ns1.example.test.'],
    ['TXT', 'example.test', 'v=spf1 -all\nhello=world'],
    ['SRV', '_sip._tcp.example.test', 'sip.example.test.:5060'],
    ['PTR', '1.2.0.192.in-addr.arpa', 'example.test.'],
  ])('renders a %s answer for %s as Gatus does: %j', async (type, name, body) => {
    const result = await probeDns(dnsTarget(url, type, name), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, dnsRcode: 'NOERROR', body, ip: '127.0.0.1' });
    expect(result.error).toBeUndefined();
    expect(result.responseTimeMs).toBeGreaterThan(0);
    expect(result.phasesMs.processing).toBeGreaterThan(0);
  });

  it('turns a plain IP into its in-addr.arpa name for PTR queries', async () => {
    const result = await probeDns(dnsTarget(url, 'PTR', '192.0.2.1'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, dnsRcode: 'NOERROR', body: 'example.test.' });
    expect(server.questions).toContain('PTR 1.2.0.192.in-addr.arpa');
  });

  it('keeps the last answer like Gatus (CNAME then A → the address; several A → the last)', async () => {
    const viaCname = await probeDns(dnsTarget(url, 'A', 'www.example.test.'), options, new AbortController().signal);
    expect(viaCname.body).toBe('192.0.2.1');
    const multi = await probeDns(dnsTarget(url, 'A', 'multi.example.test'), options, new AbortController().signal);
    expect(multi.body).toBe('192.0.2.11');
  });

  it('reports NXDOMAIN for unknown names, SERVFAIL and REFUSED as the server says, with an empty body', async () => {
    const cases = [
      ['nope.example.test', 'NXDOMAIN'],
      ['servfail.example.test', 'SERVFAIL'],
      ['refused.example.test', 'REFUSED'],
    ] as const;
    for (const [name, rcode] of cases) {
      const result = await probeDns(dnsTarget(url, 'A', name), options, new AbortController().signal);
      expect(result).toMatchObject({ connected: true, dnsRcode: rcode, body: '' });
    }
  });

  it('gives NOERROR and an empty body when the name exists without records of that type', async () => {
    const result = await probeDns(dnsTarget(url, 'SRV', 'example.test'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, dnsRcode: 'NOERROR', body: '' });
  });

  it('accepts a udp://host:port server URL', async () => {
    const result = await probeDns(dnsTarget(`udp://127.0.0.1:${server.port}`, 'A', 'example.test'), options, new AbortController().signal);
    expect(result.body).toBe('192.0.2.1');
  });

  it('times out against a server that never answers, as a result with connected=false', async () => {
    const silent = await startSilentUdpServer();
    try {
      const started = Date.now();
      const result = await probeDns(dnsTarget(`dns://127.0.0.1:${silent.port}`, 'A', 'example.test'), { ...options, timeoutMs: 200 }, new AbortController().signal);
      expect(result).toMatchObject({ connected: false, error: 'timeout after 200ms' });
      expect(result.dnsRcode).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(silent.received).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });

  it('stops promptly when the caller aborts', async () => {
    const silent = await startSilentUdpServer();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const result = await probeDns(dnsTarget(`dns://127.0.0.1:${silent.port}`, 'A', 'example.test'), { ...options, timeoutMs: 5000 }, controller.signal);
      expect(result).toMatchObject({ connected: false, error: 'probe aborted' });
      expect(result.responseTimeMs).toBeLessThan(1000);
    } finally {
      await silent.close();
    }
  });

  it('returns a failed result for an unsupported query type or a missing dns section', async () => {
    const bad = await probeDns(dnsTarget(url, 'BOGUS', 'example.test'), options, new AbortController().signal);
    expect(bad).toMatchObject({ connected: false, error: 'unsupported dns query type "BOGUS"' });
    const missing = await probeDns(makeTarget(url), options, new AbortController().signal);
    expect(missing.error).toBe('missing dns query-type and query-name');
  });

  it('honours network=ip6 against an IPv4 server address with a clear error', async () => {
    const result = await probeDns(dnsTarget(url, 'A', 'example.test'), { ...options, network: 'ip6' }, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'address 127.0.0.1 is not IPv6' });
  });
});

describe('reverseName', () => {
  it('builds in-addr.arpa and ip6.arpa names', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa.');
    expect(reverseName('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa.`);
    expect(reverseName('example.test')).toBeUndefined();
  });
});

describe('renderAnswers', () => {
  it('renders an unsupported answer type as Gatus does', () => {
    expect(renderAnswers([{ type: 'SOA', name: 'x', data: { mname: 'a', rname: 'b' } }])).toBe('query type is not supported yet');
  });
});
