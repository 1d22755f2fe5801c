/**
 * One HTTP request/response over a fresh connection: resolve, connect, TLS (timed by
 * connect.ts), then node:http on that very socket (no agent), so nothing is pooled between probes.
 * Writes what it learns into the caller's ProbeResult as it goes, so a failure midway
 * still reports the IP, the certificate, the status... that were seen.
 */
import type { Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { VigilError } from '../errors.js';
import { CertificateError, connectTcp, resolveHost, startTls } from './connect.js';
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

  // node:http reports a reset or a close as "socket hang up" / "aborted"; keep what the socket saw.
  let socketError: Error | undefined;
  let peerEnded = false;
  const onSocketError = (error: Error) => {
    socketError ??= error;
  };
  const onSocketEnd = () => {
    peerEnded = true;
  };
  const onFirstData = () => {
    firstByte ??= monotonicMs();
  };
  socket.on('error', onSocketError);
  socket.once('end', onSocketEnd);
  socket.once('data', onFirstData);

  return new Promise<string | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', onSocketError);
      socket.removeListener('end', onSocketEnd);
      socket.removeListener('data', onFirstData);
      finishBody();
      if (error !== undefined && readBody) result.errorAfterHeaders = true;
      if (error === undefined) resolve(location);
      else if (signal.aborted) reject(abortReason(signal));
      else reject(socketError ?? (peerEnded ? CONNECTION_CLOSED : error));
    };
    const onAbort = () => settle(abortReason(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const onResponse = (response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      headersAt = monotonicMs();
      addPhase(result.phasesMs, 'processing', (firstByte ?? headersAt) - requestStart);
      result.status = statusCode;
      result.httpVersion = `HTTP/${response.httpVersion}`;
      delete result.contentLength;
      const length = response.headers['content-length'];
      if (length !== undefined && /^\d+$/.test(length)) result.contentLength = Number(length);
      const target = response.headers.location;
      if (wantRedirect && statusCode >= 300 && statusCode < 400 && target) {
        location = target;
        settle();
        return;
      }
      readBody = true;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (kept < cap) {
          const take = chunk.subarray(0, cap - kept);
          chunks.push(Buffer.from(take));
          kept += take.length;
        }
        if (received > cap) {
          truncated = true;
          settle();
        }
      });
      response.once('end', () => settle());
      response.once('error', settle);
      response.once('close', () => settle(response.complete ? undefined : CONNECTION_CLOSED));
    };

    try {
      const headers: Record<string, string> = { ...request.headers };
      if (!hasHeader(headers, 'host')) headers['host'] = request.url.host;
      if (request.body !== '' && !hasHeader(headers, 'content-length')) headers['content-length'] = String(Buffer.byteLength(request.body));
      // No agent: this one socket only, never pooled; node:http then asks for Connection: close.
      const outgoing = httpRequest({ createConnection: () => socket, method: request.method, path, headers, setHost: false });
      outgoing.on('error', settle);
      outgoing.once('response', onResponse);
      requestStart = monotonicMs();
      outgoing.end(request.body === '' ? undefined : request.body);
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
