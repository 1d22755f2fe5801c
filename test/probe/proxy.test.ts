import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import { neverAborted, options, target } from './http-helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface SeenRequest {
  method: string;
  url: string;
  proxyAuthorization: string | undefined;
}

interface TestProxy {
  url: string;
  port: number;
  seen: SeenRequest[];
}

/**
 * A small forward proxy on 127.0.0.1: absolute-form requests are forwarded with node:http,
 * CONNECT opens a TCP tunnel. `requireAuth` answers 407 without that Proxy-Authorization;
 * CONNECT to a port in `refusePorts` gets 403.
 */
async function startProxy(settings: { requireAuth?: string; refusePorts?: number[]; silentConnect?: boolean } = {}): Promise<TestProxy> {
  const seen: SeenRequest[] = [];
  const record = (req: IncomingMessage) =>
    seen.push({ method: req.method ?? '', url: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'] });
  const authorized = (req: IncomingMessage) =>
    settings.requireAuth === undefined || req.headers['proxy-authorization'] === settings.requireAuth;
  const server = createServer((req, res) => {
    record(req);
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const upstream = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: `${upstream.pathname}${upstream.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const tunnels = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    record(req);
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => undefined);
    if (settings.silentConnect === true) return;
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host = '', port = '0'] = (req.url ?? '').split(/:(?=\d+$)/);
    if (settings.refusePorts?.includes(Number(port))) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const { port, close } = await listen(server);
  closers.push(async () => {
    for (const socket of tunnels) socket.destroy();
    await close();
  });
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

async function startTarget(): Promise<{ url: string; port: number; hosts: string[] }> {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    res.end(`plain ${req.method ?? ''} ${req.url ?? ''}`);
  });
  const { port, close } = await listen(server);
  closers.push(close);
  return { url: `http://127.0.0.1:${port}`, port, hosts };
}

async function startTlsTarget(): Promise<{ url: string; port: number; notAfterMs: number }> {
  const certificate = await makeCertificate();
  const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (req, res) => res.end(`secure ${req.url ?? ''}`));
  const { port, close } = await listen(server);
  closers.push(close);
  return { url: `https://127.0.0.1:${port}`, port, notAfterMs: certificate.notAfter.getTime() };
}

/** A port on 127.0.0.1 that nothing listens on (listened, then closed). */
async function closedPort(): Promise<number> {
  const { port, close } = await listen(createNetServer());
  await close();
  return port;
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('probeHttp through client.proxy-url', () => {
  it('sends a plain-HTTP request in absolute-form to the proxy, with Proxy-Authorization from the userinfo', async () => {
    const proxy = await startProxy({ requireAuth: basic('probe:p@ss word') });
    const upstream = await startTarget();
    const proxyUrl = `http://probe:p%40ss%20word@127.0.0.1:${proxy.port}/`;
    const result = await probeHttp(target(`${upstream.url}/health?deep=1`), options({ proxyUrl }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('plain GET /health?deep=1');
    expect(proxy.seen).toEqual([{ method: 'GET', url: `${upstream.url}/health?deep=1`, proxyAuthorization: basic('probe:p@ss word') }]);
    expect(upstream.hosts).toEqual([`127.0.0.1:${upstream.port}`]);
    // connected to the proxy: its address is the probe's ip, its connection the connect phase
    expect(result.connected).toBe(true);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.phasesMs.connect).toBeGreaterThanOrEqual(0);
    expect(result.phasesMs.tls).toBeUndefined();
  });

  it('reports the proxy\'s own 407 answer to a plain-HTTP request as the status', async () => {
    const proxy = await startProxy({ requireAuth: basic('probe:secret') });
    const upstream = await startTarget();
    const result = await probeHttp(target(`${upstream.url}/`), options({ proxyUrl: proxy.url }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(407);
    expect(upstream.hosts).toEqual([]);
  });

  it('tunnels HTTPS with CONNECT and verifies and captures the target\'s certificate', async () => {
    const proxy = await startProxy({ requireAuth: basic('probe:secret') });
    const upstream = await startTlsTarget();
    const proxyUrl = `http://probe:secret@127.0.0.1:${proxy.port}`;
    const result = await probeHttp(target(`${upstream.url}/tls?x=1`), options({ proxyUrl, insecure: true }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('secure /tls?x=1');
    expect(result.certificateNotAfterMs).toBe(upstream.notAfterMs);
    expect(result.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(result.phasesMs.tls).toBeGreaterThanOrEqual(0);
    expect(proxy.seen).toEqual([{ method: 'CONNECT', url: `127.0.0.1:${upstream.port}`, proxyAuthorization: basic('probe:secret') }]);

    const strict = await probeHttp(target(`${upstream.url}/`), options({ proxyUrl }), neverAborted());
    expect(strict.error).toBe('self-signed certificate');
    expect(strict.connected).toBe(true);
    expect(strict.certificateNotAfterMs).toBe(upstream.notAfterMs);
  });

  it('fails with a redacted proxy URL when the proxy refuses the CONNECT', async () => {
    const upstream = await startTlsTarget();
    const proxy = await startProxy({ refusePorts: [upstream.port] });
    const proxyUrl = `http://probe:hunter22@127.0.0.1:${proxy.port}/`;
    const result = await probeHttp(target(`${upstream.url}/`), options({ proxyUrl, insecure: true }), neverAborted());
    expect(result.error).toBe(`proxy http://probe:<redacted>@127.0.0.1:${proxy.port}/: CONNECT refused: 403 Forbidden`);
    expect(result.connected).toBe(false);
    expect(result.status).toBeUndefined();
  });

  it('fails when the proxy wants credentials for the CONNECT', async () => {
    const upstream = await startTlsTarget();
    const proxy = await startProxy({ requireAuth: basic('probe:secret') });
    const result = await probeHttp(target(`${upstream.url}/`), options({ proxyUrl: proxy.url, insecure: true }), neverAborted());
    expect(result.error).toBe(`proxy ${proxy.url}/: proxy authentication required (407)`);
    expect(result.connected).toBe(false);
  });

  it('fails with a redacted proxy URL when the proxy is unreachable', async () => {
    const port = await closedPort();
    const upstream = await startTarget();
    for (const url of [`${upstream.url}/`, 'https://127.0.0.1:1/']) {
      const result = await probeHttp(target(url), options({ proxyUrl: `http://probe:hunter22@127.0.0.1:${port}` }), neverAborted());
      expect(result.error).toBe(`proxy http://probe:<redacted>@127.0.0.1:${port}/: connection refused`);
      expect(result.connected).toBe(false);
      expect(result.ip).toBe('127.0.0.1');
    }
    expect(upstream.hosts).toEqual([]);
  });

  it('times out on a proxy that never answers the CONNECT', async () => {
    const proxy = await startProxy({ silentConnect: true });
    const result = await probeHttp(target('https://127.0.0.1:1/'), options({ proxyUrl: proxy.url, timeoutMs: 300 }), neverAborted());
    expect(result.error).toBe('timeout after 300ms');
    expect(result.connected).toBe(false);
    expect(proxy.seen.map((s) => s.method)).toEqual(['CONNECT']);
  });

  it('rejects proxies other than http:// with a clear error', async () => {
    const upstream = await startTarget();
    const result = await probeHttp(target(`${upstream.url}/`), options({ proxyUrl: 'socks5://u:pw12345@127.0.0.1:1080' }), neverAborted());
    expect(result.error).toBe('proxy socks5://u:<redacted>@127.0.0.1:1080: unsupported proxy scheme socks5 (only http:// proxies are supported)');
    expect(upstream.hosts).toEqual([]);
  });

  it('follows a redirect through the proxy', async () => {
    const proxy = await startProxy();
    const hosts: string[] = [];
    const server = createServer((req, res) => {
      hosts.push(`${req.url ?? ''}`);
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.end('moved');
    });
    const { port, close } = await listen(server);
    closers.push(close);
    const result = await probeHttp(target(`http://127.0.0.1:${port}/old`), options({ proxyUrl: proxy.url }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.redirects).toBe(1);
    expect(proxy.seen.map((s) => s.url)).toEqual([`http://127.0.0.1:${port}/old`, `http://127.0.0.1:${port}/new`]);
    expect(hosts).toEqual(['/old', '/new']);
  });
});
