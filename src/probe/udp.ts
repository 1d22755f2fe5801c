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
import type { AddressInfo } from 'node:net';
import { VigilError } from '../errors.js';
import { describeError } from './error-message.js';
import { recordReply, resolveInto } from './result.js';
import { abortReason, addPhase, createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeResult, Prober } from './types.js';

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
  const startedAt = monotonicMs();
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
    const onAbort = () => finish(abortReason(signal));
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
      options.onConnected?.(elapsedMs(startedAt));
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

export const probeUdp: Prober = async (target, options, signal) => {
  const start = monotonicMs();
  const deadline = createDeadline(options.timeoutMs, signal);
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  try {
    const { hostname, port } = target.url;
    if (!hostname || !port) throw new VigilError('VIGIL_PROBE_PORT', 'missing host or port in udp URL, expected udp://host:port');
    const address = await resolveInto(result, hostname, options, deadline.signal);
    let sentAt = 0;
    const reply = await exchangeDatagram({
      address: address.address,
      port: Number(port),
      payload: (local) => {
        sentAt = monotonicMs();
        return Buffer.from(target.body.replaceAll('[LOCAL_ADDRESS]', formatLocalAddress(local)), 'utf8');
      },
      send: target.body !== '',
      signal: deadline.signal,
      onConnected: (ms) => addPhase(result.phasesMs, 'connect', ms),
    });
    result.connected = true;
    if (reply) {
      recordReply(result, reply, sentAt, options.maxBodyBytes);
    }
  } catch (error) {
    result.connected = false;
    result.error = deadline.reason?.message ?? describeError(error);
  } finally {
    deadline.dispose();
    result.responseTimeMs = elapsedMs(start);
  }
  return result;
};
