/**
 * What the HTTP prober reports for what a server puts on the wire: a close before or during the
 * response, a malformed or oversized response, 1xx interim responses, HTTP/1.0, the request it sends.
 */
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { listen } from '../helpers/listen.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A raw TCP server: `reply` gets each connection and the request bytes once the head arrived. */
async function rawServer(reply: (socket: Socket, head: string) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.removeListener('data', onData);
      reply(socket, head);
    };
    socket.on('data', onData);
  });
  const { port, close } = await listen(server);
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await close();
  });
  return `http://127.0.0.1:${port}/path?q=1`;
}

const probe = async (url: string, target: Parameters<typeof makeTarget>[1] = {}) =>
  probeHttp(makeTarget(url, target), makeOptions({ timeoutMs: 2000 }), new AbortController().signal);

describe('the HTTP prober on the wire', () => {
  it('a close before any response is "connection closed by peer", a reset is "connection reset by peer"', async () => {
    expect((await probe(await rawServer((socket) => socket.end()))).error).toBe('connection closed by peer');
    expect((await probe(await rawServer((socket) => socket.resetAndDestroy()))).error).toBe('connection reset by peer');
  });

  it('a close in the middle of a Content-Length body is an error after the headers', async () => {
    const result = await probe(await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort')));
    expect(result).toMatchObject({ status: 200, error: 'connection closed by peer', errorAfterHeaders: true });
  });

  it('a malformed status line or headers too large fail with a short message', async () => {
    expect((await probe(await rawServer((socket) => socket.end('SMTP ready\r\n\r\n')))).error).toBe('malformed HTTP response');
    const huge = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    expect((await probe(await rawServer((socket) => socket.end(huge)))).error).toBe('response headers too large');
  });

  it('skips 1xx interim responses and reports the HTTP version of the final one', async () => {
    const result = await probe(
      await rawServer((socket) => socket.end('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.0 200 OK\r\n\r\nhello')),
    );
    expect(result).toMatchObject({ status: 200, httpVersion: 'HTTP/1.0', body: 'hello', contentLength: 5 });
    expect(result.error).toBeUndefined();
  });

  it('sends one request with Host, Connection: close and the body length, and nothing pooled', async () => {
    const heads: string[] = [];
    const url = await rawServer((socket, head) => {
      heads.push(head);
      socket.end('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const result = await probe(url, { method: 'POST', body: 'é=1', headers: { 'X-Custom': 'v' } });
    expect(result).toMatchObject({ status: 204 });
    const [head] = heads;
    expect(head).toMatch(/^POST \/path\?q=1 HTTP\/1\.1\r\n/);
    const port = new URL(url).port;
    expect(head).toMatch(new RegExp(`\\r\\nhost: 127\\.0\\.0\\.1:${port}\\r\\n`, 'i'));
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    expect(head).toMatch(/\r\ncontent-length: 4\r\n/i);
    expect(head).toMatch(/\r\nx-custom: v\r\n/i);
    expect(head).not.toMatch(/transfer-encoding/i);
  });

  it('refuses a header value with CR or LF before sending anything (no injected requests)', async () => {
    const heads: string[] = [];
    const url = await rawServer((socket, head) => {
      heads.push(head);
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const result = await probe(url, { headers: { 'X-Bad': 'v\r\nGET /smuggled HTTP/1.1' } });
    expect(result.error).toBe('invalid character in header X-Bad');
    expect(heads).toEqual([]);
  });
});
