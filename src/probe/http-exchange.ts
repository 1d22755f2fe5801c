/**
 * One HTTP request/response over a fresh connection: resolve, connect, TLS (timed by
 * connect.ts), then undici on that very socket, so nothing is pooled between probes.
 * Writes what it learns into the caller's ProbeResult as it goes, so a failure midway
 * still reports the IP, the certificate, the status... that were seen.
 */
import type { Socket } from 'node:net';
import { Client } from 'undici';
import type { Dispatcher } from 'undici';
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

/** Stops reading a response on purpose (body cap reached, redirect seen). Not a failure. */
class StopReading extends Error {}

/**
 * The reason handed to undici when a probe is done with its client. Without one, undici makes a
 * ClientDestroyedError per probe and the socket formats its stack: measurable CPU and garbage per
 * probe at thousands of probes a second. Nobody reads it: the probe has settled by then.
 */
const PROBE_FINISHED = new VigilError('VIGIL_PROBE_FINISHED', 'probe finished');

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
  let handedOver = false;
  const client = new Client(request.url.origin, {
    // The one socket we opened; undici must never dial on its own (no pooling, no retry).
    // The callback must be asynchronous: undici ignores a resume requested from inside connect().
    connect: (_options, callback) => {
      const first = !handedOver;
      handedOver = true;
      queueMicrotask(() => {
        if (first) callback(null, socket);
        else callback(new VigilError('VIGIL_PROBE_CONNECTION_CLOSED', 'connection closed'), null);
      });
    },
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
  });

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

  // undici reports a reset during the body as a generic socket error; keep the precise one.
  let socketError: Error | undefined;
  const onSocketError = (error: Error) => {
    socketError ??= error;
  };
  socket.on('error', onSocketError);

  return new Promise<string | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      finishBody();
      if (error !== undefined && readBody) result.errorAfterHeaders = true;
      client.destroy(PROBE_FINISHED).catch(() => undefined);
      socket.removeListener('error', onSocketError);
      if (error === undefined) resolve(location);
      else if (signal.aborted) reject(abortReason(signal));
      else reject(socketError ?? (error instanceof Error ? error : new Error(String(error))));
    };
    const onAbort = () => settle(abortReason(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {
        requestStart = monotonicMs();
      },
      onResponseStarted() {
        firstByte ??= monotonicMs();
      },
      onResponseStart(controller, statusCode, headers) {
        if (statusCode < 200) return;
        headersAt = monotonicMs();
        addPhase(result.phasesMs, 'processing', (firstByte ?? headersAt) - requestStart);
        result.status = statusCode;
        result.httpVersion = 'HTTP/1.1';
        delete result.contentLength;
        const length = headers['content-length'];
        if (typeof length === 'string' && /^\d+$/.test(length)) result.contentLength = Number(length);
        const target = headers['location'];
        if (wantRedirect && statusCode >= 300 && statusCode < 400 && typeof target === 'string' && target) {
          location = target;
          controller.abort(new StopReading('redirect'));
          return;
        }
        readBody = true;
      },
      onResponseData(controller, chunk) {
        received += chunk.length;
        if (kept < cap) {
          const take = chunk.subarray(0, cap - kept);
          chunks.push(Buffer.from(take));
          kept += take.length;
        }
        if (received > cap) {
          truncated = true;
          controller.abort(new StopReading('body cap'));
        }
      },
      onResponseEnd() {
        settle();
      },
      onResponseError(_controller, error) {
        settle(error instanceof StopReading ? undefined : error);
      },
    };

    try {
      client.dispatch(
        {
          path,
          method: request.method,
          headers: { ...request.headers },
          body: request.body === '' ? null : request.body,
          reset: true,
        },
        handler,
      );
    } catch (error) {
      settle(error);
    }
  });
}
