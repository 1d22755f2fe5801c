import type { IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { USER_AGENT } from '../../src/probe/user-agent.js';
import { listen } from '../helpers/listen.js';
import { neverAborted, options, serve, target } from './http-helpers.js';

/** A raw TCP server; `onSocket` sees every accepted connection. */
async function serveRaw(onSocket: (socket: Socket) => void): Promise<{ base: string; sockets: Socket[]; accepted: Promise<void> }> {
  const sockets: Socket[] = [];
  let onAccepted: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => {
    onAccepted = resolve;
  });
  const server = createNetServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onAccepted();
    onSocket(socket);
  });
  const { port, close } = await listen(server);
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await close();
  });
  return { base: `http://127.0.0.1:${port}`, sockets, accepted };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('probeHttp', () => {
  it('returns status 200, body, ip, HTTP version and non-negative phases', async () => {
    const base = await serve((_req, res) => res.end('{"status":"UP"}'));
    const result = await probeHttp(target(`${base}/health`), options(), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.status).toBe(200);
    expect(result.body).toBe('{"status":"UP"}');
    expect(result.bodyBytes).toBe(15);
    expect(result.bodyTruncated).toBe(false);
    expect(result.contentLength).toBe(15);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.ipProtocol).toBe(4);
    expect(result.httpVersion).toBe('HTTP/1.1');
    expect(result.redirects).toBe(0);
    for (const phase of ['resolve', 'connect', 'processing', 'transfer'] as const) {
      expect(result.phasesMs[phase], phase).toBeGreaterThanOrEqual(0);
    }
    expect(result.phasesMs.tls).toBeUndefined();
    expect(result.responseTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a 500 as a result with that status, not as an error', async () => {
    const base = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('broken');
    });
    const result = await probeHttp(target(base), options(), neverAborted());
    expect(result.status).toBe(500);
    expect(result.body).toBe('broken');
    expect(result.connected).toBe(true);
    expect(result.error).toBeUndefined();
  });

  it('sends the method, headers and body of the target and a default User-Agent', async () => {
    const base = await serve((req, res) => {
      void readBody(req).then((body) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      });
    });
    const result = await probeHttp(
      target(`${base}/echo?x=1`, { method: 'POST', headers: { 'X-Token': 'abc', 'Content-Type': 'text/plain' }, body: 'hello' }),
      options(),
      neverAborted(),
    );
    expect(result.status).toBe(200);
    const echoed = JSON.parse(result.body ?? '') as { method: string; url: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('POST');
    expect(echoed.url).toBe('/echo?x=1');
    expect(echoed.body).toBe('hello');
    expect(echoed.headers['x-token']).toBe('abc');
    expect(echoed.headers['content-type']).toBe('text/plain');
    expect(echoed.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^vigil\/\d+\.\d+\.\d+/);
  });

  it('keeps a User-Agent given by the target and sends Basic auth from URL userinfo', async () => {
    const base = await serve((req, res) => res.end(JSON.stringify(req.headers)));
    const url = base.replace('http://', 'http://user:p%40ss@');
    const result = await probeHttp(target(url, { headers: { 'User-Agent': 'custom/1' } }), options(), neverAborted());
    const headers = JSON.parse(result.body ?? '') as Record<string, string>;
    expect(headers['user-agent']).toBe('custom/1');
    expect(headers['authorization']).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('uses a fresh connection for every probe', async () => {
    const ports = new Set<number>();
    const base = await serve((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    for (let i = 0; i < 3; i++) {
      const result = await probeHttp(target(base), options(), neverAborted());
      expect(result.status).toBe(200);
      expect(result.phasesMs.connect).toBeGreaterThanOrEqual(0);
    }
    expect(ports.size).toBe(3);
  });

  it('reports a closed port as not connected, connection refused', async () => {
    const server = createNetServer();
    const { port, close } = await listen(server);
    await close();
    const result = await probeHttp(target(`http://127.0.0.1:${port}/`), options(), neverAborted());
    expect(result.connected).toBe(false);
    expect(result.error).toMatch(/refused/);
    expect(result.status).toBeUndefined();
  });

  it('times out a server that never answers, without delaying a concurrent probe', async () => {
    const hanging = await serveRaw(() => undefined);
    const fast = await serve((_req, res) => res.end('fast'));
    const timeoutMs = 2_000;
    const order: string[] = [];
    const started = Date.now();
    const [slow, quick] = await Promise.all([
      probeHttp(target(hanging.base), options({ timeoutMs }), neverAborted()).then((r) => {
        order.push('slow');
        return r;
      }),
      probeHttp(target(fast), options({ timeoutMs }), neverAborted()).then((r) => {
        order.push('fast');
        return r;
      }),
    ]);
    const elapsed = Date.now() - started;
    expect(order).toEqual(['fast', 'slow']);
    expect(quick.status).toBe(200);
    expect(slow.connected).toBe(true);
    expect(slow.status).toBeUndefined();
    expect(slow.error).toBe('timeout after 2s');
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(elapsed).toBeLessThan(timeoutMs + 4_000);
    expect(slow.responseTimeMs).toBeLessThan(timeoutMs + 4_000);
  });

  it('reports a connection reset in the middle of the body as an error, keeping the status', async () => {
    const { base } = await serveRaw((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial', () => socket.resetAndDestroy());
      });
    });
    const result = await probeHttp(target(base), options(), neverAborted());
    expect(result.status).toBe(200);
    expect(result.connected).toBe(true);
    // Linux may surface the RST right after the data as an EOF; both mean the body was cut short.
    expect(result.error).toMatch(/^connection (reset|closed) by peer$/);
    expect(result.body).toBe('partial');
    expect(result.contentLength).toBe(1000);
  });

  it('stops reading a body that never ends at maxBodyBytes, with bounded memory', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        // Bounded by the probe closing the connection; write while the socket accepts.
        while (!res.destroyed && res.write(chunk)) {
          /* keep writing */
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const cap = 1024 * 1024;
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) {
      const result = await probeHttp(target(base), options({ maxBodyBytes: cap, timeoutMs: 10_000 }), neverAborted());
      expect(result.error).toBeUndefined();
      expect(result.bodyTruncated).toBe(true);
      expect(result.body?.length).toBe(cap);
      expect(result.bodyBytes).toBeGreaterThan(cap);
      expect(result.contentLength).toBe(result.bodyBytes);
    }
    const growth = process.memoryUsage().rss - rssBefore;
    expect(growth).toBeLessThan(200 * 1024 * 1024);
  });

  it('reads a body of exactly maxBodyBytes without marking it truncated', async () => {
    const base = await serve((_req, res) => res.end('x'.repeat(100)));
    const result = await probeHttp(target(base), options({ maxBodyBytes: 100 }), neverAborted());
    expect(result.bodyTruncated).toBe(false);
    expect(result.body).toHaveLength(100);
  });

  it('ends promptly when the caller aborts, with an error', async () => {
    const hanging = await serveRaw(() => undefined);
    const controller = new AbortController();
    const probe = probeHttp(target(hanging.base), options({ timeoutMs: 60_000 }), controller.signal);
    // Abort once the server has seen the connection: an event, not a sleep.
    await hanging.accepted;
    const abortedAt = Date.now();
    controller.abort();
    const result = await probe;
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(result.error).toBe('probe aborted');
  });

  it('returns immediately for an already aborted signal', async () => {
    const base = await serve((_req, res) => res.end('ok'));
    const controller = new AbortController();
    controller.abort();
    const result = await probeHttp(target(base), options(), controller.signal);
    expect(result.connected).toBe(false);
    expect(result.error).toBe('probe aborted');
  });

  it('reports an IPv4 address as unusable when the network is ip6, without connecting', async () => {
    const result = await probeHttp(target('http://127.0.0.1:9/'), options({ network: 'ip6' }), neverAborted());
    expect(result.connected).toBe(false);
    expect(result.error).toBe('address 127.0.0.1 is not IPv6');
  });
});
