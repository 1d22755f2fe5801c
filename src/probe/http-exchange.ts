/**
 * One HTTP request/response over a fresh connection: resolve, connect, TLS (timed by
 * connect.ts), then one request written on that very socket and its response read by our strict
 * parser (http-response.ts), so nothing is pooled between probes.
 * Writes what it learns into the caller's ProbeResult as it goes, so a failure midway
 * still reports the IP, the certificate, the status... that were seen.
 */
import type { Socket } from 'node:net';
import { VigilError } from '../errors.js';
import { CertificateError, connectTcp, resolveHost, startTls } from './connect.js';
import { ResponseParser } from './http-response.js';
import { absoluteForm, openTunnel, parseProxy, towardsProxy } from './proxy.js';
import { abortReason, addPhase, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeOptions, ProbeResult } from './types.js';

export interface HttpRequest {
  url: URL;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** The peer closed the connection (FIN, no reset) before the response was complete. */
const CONNECTION_CLOSED = new VigilError('VIGIL_PROBE_CONNECTION_CLOSED', 'connection closed by peer');

export function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Performs `request` and fills `result` (ip, ipProtocol, connected, phasesMs, tlsVersion,
 * certificateNotAfterMs, status, httpVersion, body...). Returns the Location of a 3xx response
 * when `wantRedirect` is true (its body is then not read). Throws on transport failures.
 */
export async function exchange(
  request: HttpRequest,
  options: ProbeOptions,
  signal: AbortSignal,
  result: ProbeResult,
  wantRedirect: boolean,
): Promise<string | undefined> {
  const { url } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VigilError('VIGIL_PROBE_SCHEME', `unsupported scheme ${url.protocol.replace(/:$/, '')}`);
  }
  // Per-hop facts describe the last hop only; phases add up across hops.
  result.connected = false;
  for (const key of ['ip', 'ipProtocol', 'status', 'httpVersion', 'contentLength', 'tlsVersion', 'certificateNotAfterMs', 'errorAfterHeaders'] as const) {
    delete result[key];
  }
  const phases = result.phasesMs;
  const port = url.port ? Number(url.port) : defaultPort(url);
  // Through a proxy, resolve and connect go to the proxy (and ip is the proxy's): see proxy.ts.
  const proxy = options.proxyUrl === undefined ? undefined : parseProxy(options.proxyUrl);
  const hop = proxy ?? { hostname: url.hostname, port };
  const step = <T>(run: () => Promise<T>): Promise<T> => (proxy ? towardsProxy(proxy, signal, run) : run());
  const address = await step(() => resolveHost(hop.hostname, options, signal, phases));
  result.ip = address.address;
  result.ipProtocol = address.family;
  let socket: Socket = await step(() => connectTcp(address, hop.port, signal, phases));
  try {
    if (proxy && url.protocol === 'https:') await openTunnel(socket, proxy, `${url.hostname}:${port}`, signal, phases);
    result.connected = true;
    if (url.protocol === 'https:') {
      const secured = await startTls(
        socket,
        { hostname: url.hostname, insecure: options.insecure, alpnProtocols: ['http/1.1'], files: options.tls },
        signal,
        phases,
      );
      socket = secured.socket;
      if (secured.info.version !== undefined) result.tlsVersion = secured.info.version;
      if (secured.info.certificateNotAfterMs !== undefined) result.certificateNotAfterMs = secured.info.certificateNotAfterMs;
      if (!secured.info.authorized && !options.insecure) {
        throw new CertificateError(secured.info.certificateError ?? 'certificate verification failed');
      }
    }
    if (proxy && url.protocol === 'http:') {
      const proxied = absoluteForm(request, proxy);
      return await send(proxied.request, socket, options, signal, result, wantRedirect, proxied.path);
    }
    return await send(request, socket, options, signal, result, wantRedirect);
  } finally {
    socket.destroy();
  }
}

/** Methods for which a request without a body carries no Content-Length (as node:http sends them). */
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The request line and headers: Host, Content-Length and Connection: close added unless given. */
export function requestHead(request: HttpRequest, path: string): string {
  if (!TOKEN.test(request.method)) throw new VigilError('VIGIL_PROBE_HTTP_METHOD', 'invalid HTTP method');
  if (!/^[\x21-\x7e]+$/.test(path)) throw new VigilError('VIGIL_PROBE_HTTP_PATH', 'invalid request path');
  let head = `${request.method} ${path} HTTP/1.1\r\n`;
  let host = false;
  let length = false;
  let connection = false;
  for (const name in request.headers) {
    const value = request.headers[name] ?? '';
    if (!TOKEN.test(name)) throw new VigilError('VIGIL_PROBE_HTTP_HEADER', 'invalid header name');
    if (!FIELD_VALUE.test(value)) throw new VigilError('VIGIL_PROBE_HTTP_HEADER', `invalid character in header ${name}`);
    const lower = name.toLowerCase();
    host ||= lower === 'host';
    length ||= lower === 'content-length';
    connection ||= lower === 'connection';
    head += `${name}: ${value}\r\n`;
  }
  if (!host) head += `host: ${request.url.host}\r\n`;
  if (!length && (request.body !== '' || !NO_BODY_METHODS.has(request.method))) {
    head += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
  }
  // One request per connection, never pooled.
  if (!connection) head += 'Connection: close\r\n';
  return `${head}\r\n`;
}

function send(
  request: HttpRequest,
  socket: Socket,
  options: ProbeOptions,
  signal: AbortSignal,
  result: ProbeResult,
  wantRedirect: boolean,
  path = `${request.url.pathname}${request.url.search}`,
): Promise<string | undefined> {
  const cap = Math.max(0, options.maxBodyBytes);
  const chunks: Buffer[] = [];
  let kept = 0;
  let received = 0;
  let truncated = false;
  let requestStart = monotonicMs();
  let firstByte: number | undefined;
  let headersAt: number | undefined;
  let location: string | undefined;
  let readBody = false;

  const finishBody = () => {
    if (headersAt !== undefined) addPhase(result.phasesMs, 'transfer', elapsedMs(firstByte ?? headersAt));
    if (!readBody) return;
    result.body = Buffer.concat(chunks, kept).toString('utf8');
    result.bodyBytes = received;
    result.bodyTruncated = truncated;
    if (result.contentLength === undefined) result.contentLength = received;
  };

  return new Promise<string | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      finishBody();
      if (error !== undefined && readBody) result.errorAfterHeaders = true;
      if (error === undefined) resolve(location);
      else if (signal.aborted) reject(abortReason(signal));
      else reject(error);
    };
    const parser = new ResponseParser(
      {
        onHead: (head) => {
          headersAt = monotonicMs();
          addPhase(result.phasesMs, 'processing', (firstByte ?? headersAt) - requestStart);
          result.status = head.status;
          result.httpVersion = `HTTP/${head.version}`;
          if (head.contentLength === undefined) delete result.contentLength;
          else result.contentLength = head.contentLength;
          if (wantRedirect && head.status >= 300 && head.status < 400 && head.location) {
            location = head.location;
            return false;
          }
          readBody = true;
          return true;
        },
        onBody: (chunk) => {
          received += chunk.length;
          if (kept < cap) {
            const take = chunk.subarray(0, cap - kept);
            chunks.push(Buffer.from(take));
            kept += take.length;
          }
          if (received <= cap) return true;
          truncated = true;
          return false;
        },
      },
      request.method === 'HEAD',
    );
    /** Runs a parser step; settles on its error, or when the response is complete. */
    const parse = (step: () => void) => {
      try {
        step();
      } catch (error) {
        settle(error);
        return;
      }
      if (parser.done) settle();
    };
    function onData(data: Buffer) {
      firstByte ??= monotonicMs();
      parse(() => parser.push(data));
    }
    function onEnd() {
      parse(() => parser.end(CONNECTION_CLOSED));
    }
    function onError(error: Error) {
      settle(error);
    }
    function onClose() {
      settle(CONNECTION_CLOSED);
    }
    function onAbort() {
      settle(abortReason(signal));
    }
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const head = requestHead(request, path);
      socket.on('data', onData);
      socket.once('end', onEnd);
      socket.on('error', onError);
      socket.once('close', onClose);
      requestStart = monotonicMs();
      if (request.body === '') socket.write(head, 'latin1');
      else {
        socket.cork();
        socket.write(head, 'latin1');
        socket.write(request.body, 'utf8');
        socket.uncork();
      }
    } catch (error) {
      settle(error);
    }
  });
}

/** Whether `headers` has `name` (lower case), in any case. */
export function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  for (const key in headers) if (key.toLowerCase() === name) return true;
  return false;
}
