import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probers } from '../../src/probe/index.js';
import { probeTcp } from '../../src/probe/tcp.js';
import { listen } from '../helpers/listen.js';
import { neverAborted, options, target } from './http-helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serveTcp(onSocket: (socket: Socket) => void): Promise<number> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  const { port, close } = await listen(server);
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await close();
  });
  return port;
}

describe('probeTcp', () => {
  it('is the tcp entry of the probers map, next to http', () => {
    expect(probers.tcp).toBe(probeTcp);
    expect(typeof probers.http).toBe('function');
  });

  it('connects to an open port', async () => {
    const port = await serveTcp(() => undefined);
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`), options(), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.ipProtocol).toBe(4);
    expect(result.phasesMs.connect).toBeGreaterThanOrEqual(0);
    expect(result.phasesMs.resolve).toBeGreaterThanOrEqual(0);
    expect(result.responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(result.body).toBeUndefined();
  });

  it('reports a closed port as not connected, connection refused', async () => {
    const { port, close } = await listen(createServer());
    await close();
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`), options(), neverAborted());
    expect(result.connected).toBe(false);
    expect(result.error).toBe('connection refused');
  });

  it('sends the body and reads the first reply', async () => {
    const port = await serveTcp((socket) => {
      socket.once('data', (data: Buffer) => socket.write(`echo:${data.toString()}`));
    });
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`, { body: 'PING' }), options(), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.body).toBe('echo:PING');
    expect(result.bodyTruncated).toBe(false);
  });

  it('caps the reply at maxBodyBytes', async () => {
    const port = await serveTcp((socket) => {
      socket.once('data', () => socket.write('0123456789'));
    });
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`, { body: 'x' }), options({ maxBodyBytes: 4 }), neverAborted());
    expect(result.body).toBe('0123');
    expect(result.bodyTruncated).toBe(true);
  });

  it('gives an empty body when the peer closes without replying', async () => {
    const port = await serveTcp((socket) => {
      socket.once('data', () => socket.end());
    });
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`, { body: 'x' }), options(), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.body).toBe('');
  });

  it('times out when the peer never replies, still connected', async () => {
    const port = await serveTcp(() => undefined);
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`, { body: 'x' }), options({ timeoutMs: 300 }), neverAborted());
    expect(result.connected).toBe(true);
    expect(result.error).toBe('timeout after 300ms');
    expect(result.responseTimeMs).toBeLessThan(300 + 4_000);
  });

  it('reports a URL without a port as an error', async () => {
    const result = await probeTcp(target('tcp://127.0.0.1'), options(), neverAborted());
    expect(result.connected).toBe(false);
    expect(result.error).toBe('missing port in tcp URL');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const port = await serveTcp(() => undefined);
    const result = await probeTcp(target(`tcp://127.0.0.1:${port}`), options(), controller.signal);
    expect(result.connected).toBe(false);
    expect(result.error).toBe('probe aborted');
  });
});
