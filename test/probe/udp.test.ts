import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeUdp } from '../../src/probe/udp.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import { startSilentUdpServer } from '../helpers/dns-server.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const options = makeOptions();

function udpTarget(url: string, body: string): ProbeTarget {
  return makeTarget(url, { body });
}

/** Echoes every datagram back prefixed with `echo:` (and the sender as the server saw it). */
async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    socket.send(Buffer.concat([Buffer.from(`echo(${remote.address}:${remote.port}):`), message]), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

describe('probeUdp', () => {
  let echo: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(() => echo.close());

  it('sends the body and reports the first reply as the body, connected=true', async () => {
    const result = await probeUdp(udpTarget(`udp://127.0.0.1:${echo.port}`, 'ping'), options, new AbortController().signal);
    expect(result.connected).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.body).toMatch(/^echo\(127\.0\.0\.1:\d+\):ping$/);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.bodyBytes).toBe(Buffer.byteLength(result.body ?? ''));
    expect(result.phasesMs.processing).toBeGreaterThan(0);
  });

  it('replaces [LOCAL_ADDRESS] with the local ip:port of the probe socket', async () => {
    const result = await probeUdp(udpTarget(`udp://127.0.0.1:${echo.port}`, 'from [LOCAL_ADDRESS]'), options, new AbortController().signal);
    const match = /^echo\((127\.0\.0\.1:\d+)\):from (.*)$/.exec(result.body ?? '');
    expect(match?.[2]).toBe(match?.[1]);
  });

  it('resolves localhost with network=ip4', async () => {
    const result = await probeUdp(udpTarget(`udp://localhost:${echo.port}`, 'x'), { ...options, network: 'ip4' }, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, ip: '127.0.0.1', ipProtocol: 4 });
    expect(result.phasesMs.resolve).toBeGreaterThanOrEqual(0);
  });

  it('cuts the reply to maxBodyBytes and marks it truncated', async () => {
    const result = await probeUdp(udpTarget(`udp://127.0.0.1:${echo.port}`, 'abcdef'), { ...options, maxBodyBytes: 4 }, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, body: 'echo', bodyTruncated: true });
  });

  it('times out with connected=false when nothing answers', async () => {
    const silent = await startSilentUdpServer();
    try {
      const result = await probeUdp(udpTarget(`udp://127.0.0.1:${silent.port}`, 'hello'), { ...options, timeoutMs: 150 }, new AbortController().signal);
      expect(result).toMatchObject({ connected: false, error: 'timeout after 150ms' });
      expect(result.body).toBeUndefined();
      expect(silent.received.map(String)).toEqual(['hello']);
    } finally {
      await silent.close();
    }
  });

  it('reports connection refused when the port is closed (ICMP port unreachable)', async () => {
    const silent = await startSilentUdpServer();
    const port = silent.port;
    await silent.close();
    const result = await probeUdp(udpTarget(`udp://127.0.0.1:${port}`, 'hello'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'connection refused' });
  });

  it('with an empty body sends nothing and is connected once the socket is connected, like Gatus', async () => {
    const silent = await startSilentUdpServer();
    try {
      const result = await probeUdp(udpTarget(`udp://127.0.0.1:${silent.port}`, ''), options, new AbortController().signal);
      expect(result).toMatchObject({ connected: true });
      expect(result.body).toBeUndefined();
      expect(silent.received).toHaveLength(0);
    } finally {
      await silent.close();
    }
  });

  it('returns a failed result for an address without a port', async () => {
    const result = await probeUdp(udpTarget('udp://127.0.0.1', 'x'), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false });
    expect(result.error).toBe('missing host or port in udp URL, expected udp://host:port');
  });
});
