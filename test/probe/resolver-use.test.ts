/**
 * Every prober resolves host names through the one resolver (options.resolver, by default the
 * process-wide one of resolve.ts), so none can fall back to dns.lookup and the thread pool.
 */
import { describe, expect, it } from 'vitest';
import { probers } from '../../src/probe/index.js';
import type { HostResolver, ProbeKind, ProbeTarget } from '../../src/probe/types.js';
import { closedPort, makeOptions, makeTarget } from '../helpers/protocol-probe.js';

/** A resolver that knows one name only, answering loopback, and records what it was asked. */
function recordingResolver(): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolve(host, network) {
      asked.push(`${host} ${network}`);
      if (host !== 'only-here.vigil.test') throw new Error(`unexpected name ${host}`);
      return { address: '127.0.0.1', family: 4 };
    },
  };
}

const URLS: Readonly<Record<ProbeKind, (port: number) => string>> = {
  http: (port) => `http://only-here.vigil.test:${port}/`,
  tcp: (port) => `tcp://only-here.vigil.test:${port}`,
  tls: (port) => `tls://only-here.vigil.test:${port}`,
  dns: (port) => `dns://only-here.vigil.test:${port}`,
  icmp: () => 'icmp://only-here.vigil.test',
  websocket: (port) => `ws://only-here.vigil.test:${port}/`,
  grpc: (port) => `grpc://only-here.vigil.test:${port}`,
  ssh: (port) => `ssh://only-here.vigil.test:${port}`,
  starttls: (port) => `starttls://only-here.vigil.test:${port}`,
  udp: (port) => `udp://only-here.vigil.test:${port}`,
};

describe('every prober uses options.resolver', () => {
  it.each(Object.keys(URLS) as ProbeKind[])('%s', async (kind) => {
    const port = await closedPort();
    const resolver = recordingResolver();
    const extra: Partial<ProbeTarget> = kind === 'dns' ? { dns: { queryType: 'A', queryName: 'example.test' } } : {};
    const result = await probers[kind](makeTarget(URLS[kind](port), extra), makeOptions({ timeoutMs: 500, network: 'ip4', resolver }), new AbortController().signal);
    expect(resolver.asked).toEqual(['only-here.vigil.test ip4']);
    expect(result.ip).toBe('127.0.0.1');
  });
});
