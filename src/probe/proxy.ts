/**
 * HTTP probes through an http:// forward proxy (Gatus `client.proxy-url`), as Go's
 * http.Transport does it: a plain-HTTP target is requested in absolute-form from the proxy
 * (`GET http://host/path HTTP/1.1`), an HTTPS target through a CONNECT tunnel, TLS to the
 * target inside it (so the target's certificate is still verified and captured).
 * The resolve and connect phases then describe the proxy; the CONNECT exchange counts as connect.
 * Credentials in the proxy URL's userinfo become `Proxy-Authorization: Basic`; error messages
 * carry the proxy URL redacted.
 */
import type { Socket } from 'node:net';
import { VigilError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { describeError } from './error-message.js';
import type { HttpRequest } from './http-exchange.js';
import { abortReason, timePhase } from './timing.js';
import type { PhasesMs } from './timing.js';

/** A parsed proxy URL. */
export interface Proxy {
  /** URL hostname of the proxy (IPv6 in brackets, as URL keeps it). */
  hostname: string;
  port: number;
  /** `Basic ...` when the proxy URL has userinfo. */
  authorization?: string;
  /** The proxy URL with its password redacted, for messages. */
  label: string;
}

/** Largest CONNECT response head accepted, in bytes. */
const MAX_CONNECT_RESPONSE_BYTES = 16 * 1024;

/** A failure on the way to or through the proxy. Message: `proxy <redacted url>: <reason>`. */
export class ProxyError extends VigilError {
  constructor(proxy: Pick<Proxy, 'label'>, reason: string) {
    super('VIGIL_PROBE_PROXY', `proxy ${proxy.label}: ${reason}`);
  }
}

/** Parses `proxyUrl`; only http:// proxies are supported (port 80 when absent). */
export function parseProxy(proxyUrl: string): Proxy {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new ProxyError({ label: '<invalid URL>' }, 'invalid proxy URL');
  }
  const label = redactUrl(url.href);
  if (url.protocol !== 'http:') {
    throw new ProxyError({ label }, `unsupported proxy scheme ${url.protocol.replace(/:$/, '')} (only http:// proxies are supported)`);
  }
  const proxy: Proxy = { hostname: url.hostname, port: url.port ? Number(url.port) : 80, label };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    proxy.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return proxy;
}

/**
 * Runs one step towards the proxy (resolve, connect), turning its failure into a ProxyError
 * (`proxy http://proxy:3128/: connection refused`). Aborts keep their own reason.
 */
export async function towardsProxy<T>(proxy: Proxy, signal: AbortSignal, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (signal.aborted || error instanceof ProxyError) throw error;
    throw new ProxyError(proxy, describeError(error));
  }
}

/** The request to send to the proxy for a plain-HTTP target: absolute-form path plus proxy credentials. */
export function absoluteForm(request: HttpRequest, proxy: Proxy): { request: HttpRequest; path: string } {
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'proxy-authorization'),
  );
  if (proxy.authorization !== undefined) headers['proxy-authorization'] = proxy.authorization;
  return { request: { ...request, headers }, path: `${request.url.origin}${request.url.pathname}${request.url.search}` };
}

/** Printable, short text from a peer (a status line's reason), safe to show. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').trim().slice(0, 64);
}

/**
 * Asks the proxy on `socket` for a tunnel to `authority` (`host:port`) and waits for its 2xx
 * answer, adding the time to the `connect` phase. Throws a ProxyError when the proxy refuses
 * (`CONNECT refused: 403 Forbidden`), closes, or answers something that is not HTTP.
 */
export function openTunnel(socket: Socket, proxy: Proxy, authority: string, signal: AbortSignal, phases: PhasesMs): Promise<void> {
  return timePhase(phases, 'connect', () => {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      let received = Buffer.alloc(0);
      const cleanup = () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('data', onData);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
      };
      const fail = (error: Error) => {
        cleanup();
        socket.destroy();
        reject(error);
      };
      const onAbort = () => fail(abortReason(signal));
      const onError = (error: Error) => fail(new ProxyError(proxy, describeError(error)));
      const onClose = () => fail(new ProxyError(proxy, 'connection closed during CONNECT'));
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) {
          if (received.length > MAX_CONNECT_RESPONSE_BYTES) fail(new ProxyError(proxy, 'CONNECT response too large'));
          return;
        }
        const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
        const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
        if (match === null) {
          fail(new ProxyError(proxy, 'malformed CONNECT response'));
          return;
        }
        const status = Number(match[1]);
        if (status < 200 || status > 299) {
          const reason = printable(match[2] ?? '');
          const text = status === 407 ? 'proxy authentication required (407)' : `CONNECT refused: ${status}${reason ? ` ${reason}` : ''}`;
          fail(new ProxyError(proxy, text));
          return;
        }
        // The client speaks first in TLS: a proxy that sends more than its answer is broken.
        if (received.length > end + 4) {
          fail(new ProxyError(proxy, 'unexpected data after CONNECT response'));
          return;
        }
        cleanup();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.authorization !== undefined) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}
