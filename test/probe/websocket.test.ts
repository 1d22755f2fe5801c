import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { probeWebsocket } from '../../src/probe/websocket.js';
import { listen } from '../helpers/listen.js';
import { closedPort, makeOptions, makeTarget, probeSilentServer } from '../helpers/protocol-probe.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import type { TestCertificate } from '../helpers/tls-cert.js';

interface Running {
  port: number;
  close: () => Promise<void>;
  lastHeaders: http.IncomingHttpHeaders | undefined;
}

/** Echo server: replies to every message with `echo:<message>`, or with a large text for `big`. */
async function startEcho(cert?: TestCertificate): Promise<Running> {
  const server = cert ? https.createServer({ key: cert.key, cert: cert.cert }) : http.createServer();
  const wss = new WebSocketServer({ server });
  const running: Running = { port: 0, close: async () => undefined, lastHeaders: undefined };
  wss.on('connection', (socket, request) => {
    running.lastHeaders = request.headers;
    socket.on('message', (data) => {
      const text = String(data);
      socket.send(text === 'big' ? 'x'.repeat(5000) : `echo:${text}`);
    });
  });
  const { port, close } = await listen(server);
  running.port = port;
  running.close = async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    await close();
  };
  return running;
}

describe('probeWebsocket', () => {
  let cert: TestCertificate;
  let plain: Running;
  let secure: Running;

  beforeAll(async () => {
    cert = await makeCertificate({ notAfter: new Date('2031-02-03T04:05:06Z') });
    plain = await startEcho();
    secure = await startEcho(cert);
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  it('connects, sends the body and reports the first reply as body', async () => {
    const result = await probeWebsocket(
      makeTarget(`ws://127.0.0.1:${plain.port}/socket`, { body: 'ping', headers: { 'x-probe': 'vigil' } }),
      makeOptions(),
      new AbortController().signal,
    );
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.body).toBe('echo:ping');
    expect(result.bodyTruncated).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.responseTimeMs).toBeGreaterThan(0);
    expect(result.ip).toBe('127.0.0.1');
    expect(plain.lastHeaders?.['x-probe']).toBe('vigil');
    expect(plain.lastHeaders?.['user-agent']).toMatch(/^vigil\//);
  });

  it('ends once connected when the body is empty, without waiting for a message', async () => {
    const result = await probeWebsocket(makeTarget(`ws://127.0.0.1:${plain.port}/`), makeOptions(), new AbortController().signal);
    expect(result).toMatchObject({ connected: true });
    expect(result.error).toBeUndefined();
    expect(result.body).toBeUndefined();
  });

  it('resolves host names itself and connects to the address it resolved (ip4)', async () => {
    const result = await probeWebsocket(makeTarget(`ws://localhost:${plain.port}/`, { body: 'named' }), makeOptions({ network: 'ip4' }), new AbortController().signal);
    expect(result).toMatchObject({ connected: true, body: 'echo:named', ip: '127.0.0.1', ipProtocol: 4 });
    expect(result.phasesMs.resolve).toBeGreaterThanOrEqual(0);
  });

  it('cuts the reply to maxBodyBytes and marks it truncated', async () => {
    const result = await probeWebsocket(
      makeTarget(`ws://127.0.0.1:${plain.port}/`, { body: 'big' }),
      makeOptions({ maxBodyBytes: 100 }),
      new AbortController().signal,
    );
    expect(result.connected).toBe(true);
    expect(result.body).toBe('x'.repeat(100));
    expect(result.bodyBytes).toBe(5000);
    expect(result.bodyTruncated).toBe(true);
  });

  it('rejects a self-signed wss certificate unless insecure, and reports its notAfter', async () => {
    const url = `wss://127.0.0.1:${secure.port}/`;
    const strict = await probeWebsocket(makeTarget(url, { body: 'hi' }), makeOptions(), new AbortController().signal);
    expect(strict.connected).toBe(false);
    expect(strict.error).toBe('self-signed certificate');

    const insecure = await probeWebsocket(makeTarget(url, { body: 'hi' }), makeOptions({ insecure: true }), new AbortController().signal);
    expect(insecure.error).toBeUndefined();
    expect(insecure.connected).toBe(true);
    expect(insecure.body).toBe('echo:hi');
    expect(insecure.certificateNotAfterMs).toBe(cert.notAfter.getTime());
    expect(insecure.certificateExpirationMs).toBeGreaterThan(0);
    expect(insecure.tlsVersion).toMatch(/^TLSv1\.[23]$/);
  });

  it('fails when the server refuses the upgrade', async () => {
    const server = http.createServer((_req, res) => res.writeHead(403).end('forbidden'));
    const { port, close } = await listen(server);
    try {
      const result = await probeWebsocket(makeTarget(`ws://127.0.0.1:${port}/`, { body: 'x' }), makeOptions(), new AbortController().signal);
      expect(result.connected).toBe(false);
      expect(result.error).toBe('websocket upgrade failed: server did not switch protocols');
    } finally {
      await close();
    }
  });

  it('fails when the port is closed', async () => {
    const port = await closedPort();
    const result = await probeWebsocket(makeTarget(`ws://127.0.0.1:${port}/`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.error).toBe('connection refused');
  });

  it('times out on a server that accepts and never answers', async () => {
    const { result, elapsedMs } = await probeSilentServer(probeWebsocket, (port) => `ws://127.0.0.1:${port}/`, { timeoutMs: 300 });
    expect(result.connected).toBe(false);
    expect(result.error).toMatch(/timeout/);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('times out waiting for a reply that never comes', async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    const { port, close } = await listen(server);
    try {
      const result = await probeWebsocket(makeTarget(`ws://127.0.0.1:${port}/`, { body: 'hello?' }), makeOptions({ timeoutMs: 300 }), new AbortController().signal);
      expect(result.connected).toBe(true);
      expect(result.error).toMatch(/timeout/);
    } finally {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await close();
    }
  });

  it('stops promptly when the caller aborts', async () => {
    const { result, elapsedMs } = await probeSilentServer(probeWebsocket, (port) => `ws://127.0.0.1:${port}/`, { timeoutMs: 5000, abortAfterMs: 100 });
    expect(result.connected).toBe(false);
    expect(result.error).toBe('probe aborted');
    expect(elapsedMs).toBeLessThan(1500);
  });
});
