import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { startDnsServer } from '../helpers/dns-server.js';
import type { DnsServer, Zone } from '../helpers/dns-server.js';
import { listen } from '../helpers/listen.js';
import { neverAborted, options, target } from './http-helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Names that exist only in the test DNS server, all pointing at loopback. */
const ZONE: Zone = {
  'probe.vigil.test': [{ type: 'A', name: 'probe.vigil.test', ttl: 60, data: '127.0.0.1' }],
  'proxy.vigil.test': [{ type: 'A', name: 'proxy.vigil.test', ttl: 60, data: '127.0.0.1' }],
};

async function dnsServer(): Promise<DnsServer> {
  const server = await startDnsServer(ZONE);
  closers.push(() => server.close());
  return server;
}

/** An HTTP server on 127.0.0.1 that echoes the Host header and the request target. */
async function echoServer(): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    res.end('hello');
  });
  const { port, close } = await listen(server);
  closers.push(close);
  return { port, seen };
}

describe('probeHttp with client.dns-resolver', () => {
  it('resolves the target through the configured DNS server', async () => {
    const dns = await dnsServer();
    const upstream = await echoServer();
    const result = await probeHttp(
      target(`http://probe.vigil.test:${upstream.port}/health`),
      options({ dnsResolver: `udp://127.0.0.1:${dns.port}` }),
      neverAborted(),
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.ipProtocol).toBe(4);
    expect(result.phasesMs.resolve).toBeGreaterThanOrEqual(0);
    expect(dns.questions).toEqual(['A probe.vigil.test']);
    expect(upstream.seen).toEqual([`probe.vigil.test:${upstream.port} /health`]);
  });

  it('fails with "no such host" when the configured DNS server does not know the name', async () => {
    const dns = await dnsServer();
    const result = await probeHttp(
      target('http://missing.vigil.test:8080/'),
      options({ dnsResolver: `udp://127.0.0.1:${dns.port}`, network: 'ip4' }),
      neverAborted(),
    );
    expect(result.error).toBe('no such host');
    expect(result.connected).toBe(false);
    expect(dns.questions).toEqual(['A missing.vigil.test']);
  });

  it('resolves the proxy\'s name through it too', async () => {
    const dns = await dnsServer();
    const proxy = await echoServer(); // answers absolute-form requests itself
    const result = await probeHttp(
      target('http://target.example:8080/x'),
      options({ dnsResolver: `udp://127.0.0.1:${dns.port}`, proxyUrl: `http://proxy.vigil.test:${proxy.port}` }),
      neverAborted(),
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(dns.questions).toEqual(['A proxy.vigil.test']);
    expect(proxy.seen).toEqual(['target.example:8080 http://target.example:8080/x']);
  });
});
