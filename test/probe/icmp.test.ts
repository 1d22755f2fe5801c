import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PING_ERROR, createIcmpProber, findPing, parsePingOutput, pingArguments, probeIcmp } from '../../src/probe/icmp.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const options = makeOptions();

function icmpTarget(host: string): ProbeTarget {
  return makeTarget(`icmp://${host}`);
}

const IPUTILS_REPLY = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.042 ms

--- 127.0.0.1 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.042/0.042/0.042/0.000 ms
`;
const IPUTILS_LOSS = `PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.

--- 192.0.2.1 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
`;

describe('parsePingOutput', () => {
  it('reads the RTT and the received count from iputils output', () => {
    expect(parsePingOutput(IPUTILS_REPLY)).toEqual({ rttMs: 0.042, received: 1 });
    expect(parsePingOutput(IPUTILS_LOSS)).toEqual({ received: 0 });
  });

  it('reads busybox output', () => {
    const busybox = '64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.101 ms\n\n1 packets transmitted, 1 packets received, 0% packet loss\n';
    expect(parsePingOutput(busybox)).toEqual({ rttMs: 0.101, received: 1 });
  });
});

describe('pingArguments', () => {
  it('sends one request, waits whole seconds (at least 1) and picks the family', () => {
    expect(pingArguments('127.0.0.1', 4, 2500)).toEqual(['-c', '1', '-W', '3', '-4', '127.0.0.1']);
    expect(pingArguments('::1', 6, 200)).toEqual(['-c', '1', '-W', '1', '-6', '::1']);
  });
});

describe('createIcmpProber with a stand-in ping script', () => {
  let dir: string;
  const script = async (name: string, body: string) => {
    const file = join(dir, name);
    await writeFile(file, `#!/bin/sh\necho "$@" > "${file}.args"\n${body}\n`);
    await chmod(file, 0o755);
    return file;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-icmp-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports connected and the parsed RTT as the response time', async () => {
    const ping = await script('ok', `cat <<'OUT'\n${IPUTILS_REPLY}OUT`);
    const result = await createIcmpProber({ pingPath: ping })(icmpTarget('127.0.0.1'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, responseTimeMs: 0.042, ip: '127.0.0.1', ipProtocol: 4 });
    expect(result.error).toBeUndefined();
    expect((await readFile(`${ping}.args`, 'utf8')).trim()).toBe('-c 1 -W 2 -4 127.0.0.1');
  });

  it('resolves the host first, honouring network=ip4, and pings the address', async () => {
    const ping = await script('ok4', `cat <<'OUT'\n${IPUTILS_REPLY}OUT`);
    const result = await createIcmpProber({ pingPath: ping })(icmpTarget('localhost'), { ...options, network: 'ip4' }, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, ip: '127.0.0.1' });
    expect((await readFile(`${ping}.args`, 'utf8')).trim()).toBe('-c 1 -W 2 -4 127.0.0.1');
  });

  it('is a failed result when no reply came (exit status 1, 100% loss)', async () => {
    const ping = await script('loss', `cat <<'OUT'\n${IPUTILS_LOSS}OUT\nexit 1`);
    const result = await createIcmpProber({ pingPath: ping })(icmpTarget('192.0.2.1'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'no reply from 192.0.2.1 within 2s' });
  });

  it('passes the ping error through (e.g. missing permission)', async () => {
    const ping = await script('eperm', `echo "ping: socket: Operation not permitted" >&2\nexit 2`);
    const result = await createIcmpProber({ pingPath: ping })(icmpTarget('127.0.0.1'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'ping: socket: Operation not permitted' });
  });

  it('kills a ping that outlives the timeout', async () => {
    const ping = await script('hang', 'exec sleep 5');
    const started = Date.now();
    const result = await createIcmpProber({ pingPath: ping })(icmpTarget('127.0.0.1'), { ...options, timeoutMs: 200 }, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'timeout after 200ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says so when there is no ping binary', async () => {
    const result = await createIcmpProber({ findPing: () => undefined })(icmpTarget('127.0.0.1'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: NO_PING_ERROR });
  });
});

describe('probeIcmp against 127.0.0.1', () => {
  // Runs in both environments: with iputils-ping installed it must get a reply; without it, the clear error.
  it(findPing() ? 'gets an echo reply from 127.0.0.1 with the system ping' : 'reports that no ping binary is installed', async () => {
    const result = await probeIcmp(icmpTarget('127.0.0.1'), options, new AbortController().signal);
    if (findPing()) {
      expect(result).toMatchObject({ connected: true, ip: '127.0.0.1' });
      expect(result.error).toBeUndefined();
      expect(result.responseTimeMs).toBeGreaterThan(0);
      expect(result.responseTimeMs).toBeLessThan(1000);
    } else {
      expect(result).toMatchObject({ connected: false, error: NO_PING_ERROR });
    }
  });
});
