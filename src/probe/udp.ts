/**
 * UDP prober (`udp://host:port`), like Gatus `client.CanCreateNetworkConnection("udp", ...)`.
 *
 * - With a non-empty `target.body` (`[LOCAL_ADDRESS]` replaced by the socket's local `ip:port`), the body is
 *   sent as one datagram and the probe waits for the first datagram back: [BODY] is that reply (cut to
 *   `maxBodyBytes`), [CONNECTED] is true. No reply before the timeout: connected=false, error `timeout`.
 *   An ICMP port-unreachable surfaces as `connection refused`.
 * - With an empty body nothing is sent and [CONNECTED] is true once the socket is connected, as in Gatus
 *   (UDP has no handshake, so this only proves the name resolved and a route exists).
 * - [IP] is the address used. Phases: `resolve` (when the host is a name), `connect`, `processing`.
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';

/** host and port of a `scheme://host[:port]` URL (IPv6 brackets removed); port undefined when absent. */
export function splitHostPort(url: URL, defaultPort?: number): { host: string; port: number | undefined } {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? defaultPort : Number(url.port);
  return { host, port };
}

/** The probe's own signal combined with its timeout, and how to name why it fired. */
export function probeSignal(signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; describeAbort: () => string } {
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    signal: AbortSignal.any([signal, timeout]),
    describeAbort: () => (timeout.aborted && !signal.aborted ? `timeout after ${timeoutMs}ms` : 'aborted'),
  };
}

const ERRNO_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary DNS failure',
  ENODATA: 'no address for host',
};

/** A short, stable description of why a probe step failed. */
export function describeFailure(error: unknown, describeAbort: () => string): string {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return describeAbort();
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_MESSAGES[code]) return ERRNO_MESSAGES[code];
  return error instanceof Error ? error.message : String(error);
}

/** Resolve `host` honouring `network` (ip4/ip6); IP literals are used as they are. */
export async function resolveHost(
  host: string,
  network: ProbeOptions['network'],
  signal: AbortSignal,
): Promise<{ address: string; family: 4 | 6; resolveMs?: number }> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) {
    if ((network === 'ip4' && literal === 6) || (network === 'ip6' && literal === 4)) {
      throw new Error(`address ${host} is not ${network === 'ip4' ? 'IPv4' : 'IPv6'}`);
    }
    return { address: host, family: literal };
  }
  signal.throwIfAborted();
  const startedAt = performance.now();
  const family = network === 'ip4' ? 4 : network === 'ip6' ? 6 : 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const found = await Promise.race([lookup(host, { family, verbatim: true }), aborted]);
    return { address: found.address, family: found.family === 6 ? 6 : 4, resolveMs: performance.now() - startedAt };
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

export interface DatagramExchangeOptions {
  address: string;
  port: number;
  /** Builds the datagram once the socket is connected (its local address is known). */
  payload: (local: AddressInfo) => Buffer;
  /** Which datagrams are the reply; others are ignored. Default: the first one. */
  accept?: (message: Buffer) => boolean;
  /** When false, resolve right after connecting without sending anything. Default true. */
  send?: boolean;
  signal: AbortSignal;
  /** Called once the socket is connected, with milliseconds since the exchange started. */
  onConnected?: (elapsedMs: number) => void;
}

/**
 * Send one datagram on a connected UDP socket and resolve with the first accepted reply
 * (undefined when `send` is false). Rejects with the socket error or `signal.reason`; always closes the socket.
 */
export function exchangeDatagram(options: DatagramExchangeOptions): Promise<Buffer | undefined> {
  const { address, port, signal } = options;
  const startedAt = performance.now();
  const socket: Socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  return new Promise<Buffer | undefined>((resolve, reject) => {
    let done = false;
    const finish = (error: unknown, reply?: Buffer) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.close();
      if (error !== undefined) reject(error);
      else resolve(reply);
    };
    const onAbort = () => finish(signal.reason ?? new Error('aborted'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(error));
    socket.on('message', (message) => {
      if (!options.accept || options.accept(message)) finish(undefined, message);
    });
    socket.connect(port, address, () => {
      if (done) return;
      options.onConnected?.(performance.now() - startedAt);
      if (options.send === false) {
        finish(undefined, undefined);
        return;
      }
      socket.send(options.payload(socket.address()), (error) => {
        if (error) finish(error);
      });
    });
  });
}

function formatLocalAddress(local: AddressInfo): string {
  return local.family === 'IPv6' ? `[${local.address}]:${local.port}` : `${local.address}:${local.port}`;
}

export const probeUdp: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = performance.now();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const { signal: combined, describeAbort } = probeSignal(signal, options.timeoutMs);
  const done = (): ProbeResult => {
    result.responseTimeMs = performance.now() - startedAt;
    return result;
  };
  const endpoint = splitHostPort(target.url);
  if (!endpoint.host || endpoint.port === undefined) {
    result.error = `udp: invalid address ${JSON.stringify(target.url.href)}, expected udp://host:port`;
    return done();
  }
  try {
    const resolved = await resolveHost(endpoint.host, options.network, combined);
    if (resolved.resolveMs !== undefined) result.phasesMs.resolve = resolved.resolveMs;
    result.ip = resolved.address;
    result.ipProtocol = resolved.family;
    const exchangeStartedAt = performance.now();
    let connectMs = 0;
    const reply = await exchangeDatagram({
      address: resolved.address,
      port: endpoint.port,
      payload: (local) => Buffer.from(target.body.replaceAll('[LOCAL_ADDRESS]', formatLocalAddress(local)), 'utf8'),
      send: target.body !== '',
      signal: combined,
      onConnected: (elapsedMs) => {
        connectMs = elapsedMs;
        result.phasesMs.connect = elapsedMs;
      },
    });
    result.connected = true;
    if (reply) {
      result.phasesMs.processing = performance.now() - exchangeStartedAt - connectMs;
      const truncated = reply.length > options.maxBodyBytes;
      result.body = (truncated ? reply.subarray(0, options.maxBodyBytes) : reply).toString('utf8');
      result.bodyBytes = reply.length;
      result.bodyTruncated = truncated;
    }
  } catch (error) {
    result.connected = false;
    result.error = `udp: ${describeFailure(error, describeAbort)}`;
  }
  return done();
};
