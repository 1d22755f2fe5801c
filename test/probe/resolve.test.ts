import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHostResolver, searchCandidates, serverAddress } from '../../src/probe/resolve.js';
import { parseHosts, parseResolvConf } from '../../src/probe/system-files.js';
import { startDnsServer, startSilentUdpServer } from '../helpers/dns-server.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

let fileCount = 0;
function file(text: string): string {
  const path = join(dir, `file-${fileCount++}`);
  writeFileSync(path, text);
  return path;
}

const live = () => new AbortController().signal;

describe('parseHosts / parseResolvConf', () => {
  it('reads hosts(5) lines with aliases and comments, skipping bad addresses', () => {
    const table = parseHosts('127.0.0.1 localhost\n# comment\n10.0.0.5  Api.Internal api # trailing\n::1 api.internal\nnot-an-ip foo\n');
    expect(table.get('api.internal')).toEqual([
      { address: '10.0.0.5', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(table.get('api')).toEqual([{ address: '10.0.0.5', family: 4 }]);
    expect(table.has('foo')).toBe(false);
  });

  it('reads nameservers, the search list and ndots', () => {
    const conf = parseResolvConf('nameserver 10.96.0.10\nnameserver fe80::1%eth0\nsearch default.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:1\n');
    expect(conf).toEqual({ nameservers: ['10.96.0.10', 'fe80::1'], search: ['default.svc.cluster.local', 'svc.cluster.local'], ndots: 5 });
  });

  it('orders search candidates like getaddrinfo', () => {
    const conf = { search: ['ns.svc'], ndots: 2 };
    expect(searchCandidates('api', conf)).toEqual(['api.ns.svc', 'api']);
    expect(searchCandidates('a.b.c', conf)).toEqual(['a.b.c', 'a.b.c.ns.svc']);
    expect(searchCandidates('fqdn.example.', conf)).toEqual(['fqdn.example']);
  });

  it('turns a Gatus dns-resolver URL into a server address', () => {
    expect(serverAddress('udp://127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(serverAddress('tcp://[::1]:53')).toBe('[::1]:53');
  });
});

describe('createHostResolver', () => {
  const noFiles = () => ({ hostsFile: file(''), resolvConfFile: file('') });

  it('answers localhost with loopback even without a hosts file, per network', async () => {
    const resolver = createHostResolver({ hostsFile: join(dir, 'missing'), resolvConfFile: join(dir, 'missing') });
    await expect(resolver.resolve('localhost', 'ip', live())).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolver.resolve('localhost', 'ip6', live())).resolves.toEqual({ address: '::1', family: 6 });
    await expect(resolver.resolve('app.localhost', 'ip4', live())).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('honours /etc/hosts and network ip4/ip6, and re-reads the file when it changes', async () => {
    const hostsFile = file('10.1.2.3 svc.test\nfd00::7 svc.test\n');
    const resolver = createHostResolver({ hostsFile, resolvConfFile: file(''), checkIntervalMs: 0 });
    await expect(resolver.resolve('SVC.test.', 'ip', live())).resolves.toEqual({ address: '10.1.2.3', family: 4 });
    await expect(resolver.resolve('svc.test', 'ip6', live())).resolves.toEqual({ address: 'fd00::7', family: 6 });
    writeFileSync(hostsFile, '10.9.9.9 svc.test other.test\n');
    await expect(resolver.resolve('svc.test', 'ip4', live())).resolves.toEqual({ address: '10.9.9.9', family: 4 });
    await expect(resolver.resolve('other.test', 'ip', live())).resolves.toEqual({ address: '10.9.9.9', family: 4 });
  });

  it('asks the injected servers, following the search list of resolv.conf', async () => {
    const dns = await startDnsServer({ 'api.ns.vigil.test': [{ type: 'A', name: 'api.ns.vigil.test', ttl: 60, data: '127.0.0.9' }] });
    closers.push(() => dns.close());
    const resolver = createHostResolver({
      servers: [`127.0.0.1:${dns.port}`],
      hostsFile: file(''),
      resolvConfFile: file('nameserver 192.0.2.53\nsearch ns.vigil.test\n'),
    });
    await expect(resolver.resolve('api', 'ip4', live())).resolves.toEqual({ address: '127.0.0.9', family: 4 });
    expect(dns.questions).toEqual(['A api.ns.vigil.test']);
    await expect(resolver.resolve('missing', 'ip4', live())).rejects.toThrow('no such host');
  });

  it('gives up on a server that never answers after the per-query timeout and tries', async () => {
    const blackHole = await startSilentUdpServer();
    closers.push(() => blackHole.close());
    const resolver = createHostResolver({ servers: [`127.0.0.1:${blackHole.port}`], queryTimeoutMs: 100, tries: 2, ...noFiles() });
    await expect(resolver.resolve('silent.vigil.test', 'ip4', live())).rejects.toMatchObject({ code: 'VIGIL_PROBE_RESOLVE', message: 'dns query timed out' });
    expect(blackHole.received).toHaveLength(2);
  });

  it('cancels the outstanding queries on abort: the black hole sees no retry afterwards', async () => {
    const blackHole = await startSilentUdpServer();
    closers.push(() => blackHole.close());
    const resolver = createHostResolver({ servers: [`127.0.0.1:${blackHole.port}`], queryTimeoutMs: 150, tries: 4, ...noFiles() });
    const controller = new AbortController();
    const pending = resolver.resolve('silent.vigil.test', 'ip4', controller.signal);
    await expect.poll(() => blackHole.received.length).toBe(1);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    // c-ares would retry after 150 ms (4 tries); a cancelled query never does. Absence needs a wait.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(blackHole.received).toHaveLength(1);
  });

  it('uses client.dns-resolver instead of the default servers when given', async () => {
    const dns = await startDnsServer({ 'only-here.vigil.test': [{ type: 'AAAA', name: 'only-here.vigil.test', ttl: 60, data: 'fd00::1' }] });
    closers.push(() => dns.close());
    const blackHole = await startSilentUdpServer();
    closers.push(() => blackHole.close());
    const resolver = createHostResolver({ servers: [`127.0.0.1:${blackHole.port}`], ...noFiles() });
    await expect(resolver.resolve('only-here.vigil.test', 'ip', live(), `udp://127.0.0.1:${dns.port}`)).resolves.toEqual({ address: 'fd00::1', family: 6 });
    expect(dns.questions).toEqual(['A only-here.vigil.test', 'AAAA only-here.vigil.test']);
    expect(blackHole.received).toHaveLength(0);
  });
});
