import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { probeHttp, redirectRequest } from '../../src/probe/http.js';
import { neverAborted, options, serve, target } from './http-helpers.js';

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end(`see ${location}`);
}

describe('probeHttp redirects', () => {
  it('follows a chain of redirects on fresh connections and counts them', async () => {
    const ports = new Set<number>();
    const base = await serve((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      const hop = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
      if (hop >= 0 && hop < 3) redirect(res, 302, `/hop/${hop + 1}`);
      else res.end(`arrived at ${req.url}`);
    });
    const result = await probeHttp(target(`${base}/hop/0`), options({ maxRedirects: 5 }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('arrived at /hop/3');
    expect(result.redirects).toBe(3);
    expect(ports.size).toBe(4);
  });

  it('stops a redirect loop at maxRedirects with an error', async () => {
    let requests = 0;
    const base = await serve((_req, res) => {
      requests++;
      redirect(res, 301, '/loop');
    });
    const result = await probeHttp(target(`${base}/loop`), options({ maxRedirects: 4 }), neverAborted());
    expect(result.error).toBe('too many redirects (4)');
    expect(result.redirects).toBe(4);
    expect(result.status).toBe(301);
    expect(requests).toBe(5);
  });

  it('returns the 3xx itself when redirects are not followed', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/old') redirect(res, 302, '/new');
      else res.end('new');
    });
    const result = await probeHttp(target(`${base}/old`), options({ followRedirects: false }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(302);
    expect(result.body).toBe('see /new');
    expect(result.redirects).toBe(0);
  });

  it('turns a POST into a GET without body on 303, and keeps it on 307', async () => {
    const seen: string[] = [];
    const base = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
        if (req.url === '/see-other') redirect(res, 303, '/target');
        else if (req.url === '/temporary') redirect(res, 307, '/target');
        else res.end('done');
      });
    });
    const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
    expect((await probeHttp(target(`${base}/see-other`, post), options(), neverAborted())).status).toBe(200);
    expect((await probeHttp(target(`${base}/temporary`, post), options(), neverAborted())).status).toBe(200);
    expect(seen).toEqual(['POST /see-other payload', 'GET /target ', 'POST /temporary payload', 'POST /target payload']);
  });

  it('drops credentials when a redirect leaves the origin', () => {
    const previous = {
      url: new URL('http://a.example/x'),
      method: 'GET',
      headers: { Authorization: 'Bearer t', 'X-Keep': '1' },
      body: '',
    };
    expect(redirectRequest(previous, 302, 'http://b.example/y').headers).toEqual({ 'X-Keep': '1' });
    expect(redirectRequest(previous, 302, '/y').headers).toEqual(previous.headers);
  });
});
