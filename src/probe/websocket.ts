/**
 * WebSocket prober (ws:// and wss://), like Gatus `client.QueryWebSocket`.
 *
 * - [CONNECTED] is true once the upgrade succeeded (HTTP 101, socket open).
 * - When `target.body` is not empty it is sent as one text message and [BODY] is the first message the
 *   server sends back (text, or binary decoded as UTF-8), cut to `maxBodyBytes`. With an empty body nothing
 *   is sent and the probe ends as soon as the socket is open (Gatus always sends, even an empty frame).
 * - `target.headers` go on the upgrade request; `insecure` skips certificate verification for wss://.
 * - [STATUS] stays undefined. For wss:// the chain's earliest notAfter and the TLS version are reported.
 * - A fresh dispatcher per probe: DNS, connect and TLS happen every time and nothing outlives the probe.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Agent, WebSocket, buildConnector } from 'undici';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';
import { certificateChainInfo } from './starttls.js';

/** A message larger than this many times maxBodyBytes fails the probe instead of being buffered. */
const PAYLOAD_LIMIT_FACTOR = 4;
const MIN_PAYLOAD_LIMIT_BYTES = 64 * 1024;

interface Outcome {
  error?: string;
  body?: string;
  bodyBytes?: number;
  bodyTruncated?: boolean;
}

function decodeMessage(data: unknown, maxBodyBytes: number): Required<Pick<Outcome, 'body' | 'bodyBytes' | 'bodyTruncated'>> {
  let bytes: Buffer;
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data instanceof ArrayBuffer) bytes = Buffer.from(data);
  else if (ArrayBuffer.isView(data)) bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else bytes = Buffer.alloc(0);
  const truncated = bytes.length > maxBodyBytes;
  return {
    body: (truncated ? bytes.subarray(0, maxBodyBytes) : bytes).toString('utf8'),
    bodyBytes: bytes.length,
    bodyTruncated: truncated,
  };
}

function abortReason(signal: AbortSignal, timeoutSignal: AbortSignal, timeoutMs: number): string {
  if (timeoutSignal.aborted && !signal.aborted) return `timeout after ${timeoutMs}ms`;
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError' ? `timeout after ${timeoutMs}ms` : 'aborted';
}

export const probeWebsocket: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = performance.now();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const timeoutSignal = AbortSignal.timeout(options.timeoutMs);
  const combined = AbortSignal.any([signal, timeoutSignal]);

  let socket: Socket | undefined;
  const connector = buildConnector({
    rejectUnauthorized: !options.insecure,
    maxCachedSessions: 0,
    timeout: options.timeoutMs,
    ...(options.network === 'ip4' ? { family: 4 } : options.network === 'ip6' ? { family: 6 } : {}),
    ...(options.tls?.serverName ? { servername: options.tls.serverName } : {}),
  });
  const agent = new Agent({
    connections: 1,
    pipelining: 0,
    webSocket: { maxPayloadSize: Math.max(MIN_PAYLOAD_LIMIT_BYTES, options.maxBodyBytes * PAYLOAD_LIMIT_FACTOR) },
    connect: (connectOptions, callback) => {
      connector(connectOptions, (...args) => {
        const [, connected] = args;
        if (connected) {
          socket = connected;
          result.phasesMs.connect = performance.now() - startedAt;
        }
        callback(...args);
      });
    },
  });

  let ws: WebSocket | undefined;
  try {
    if (combined.aborted) throw new Error(abortReason(signal, timeoutSignal, options.timeoutMs));
    const opened = new WebSocket(target.url, { dispatcher: agent, headers: { ...target.headers } });
    ws = opened;
    opened.binaryType = 'arraybuffer';
    let openedAt = 0;
    const outcome = await new Promise<Outcome>((resolve) => {
      let done = false;
      const finish = (value: Outcome) => {
        if (done) return;
        done = true;
        combined.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => finish({ error: abortReason(signal, timeoutSignal, options.timeoutMs) });
      combined.addEventListener('abort', onAbort, { once: true });
      opened.addEventListener('open', () => {
        openedAt = performance.now();
        result.connected = true;
        if (target.body === '') finish({});
        else opened.send(target.body);
      });
      opened.addEventListener('message', (event) => finish(decodeMessage(event.data, options.maxBodyBytes)));
      opened.addEventListener('error', (event) => {
        const cause = (event as Event & { error?: unknown }).error;
        const message = cause instanceof Error ? cause.message : (event as Event & { message?: string }).message;
        finish({ error: `websocket error: ${message || 'connection failed'}` });
      });
      opened.addEventListener('close', (event) => {
        finish({ error: result.connected ? `websocket closed before a reply (code ${event.code})` : 'websocket upgrade failed' });
      });
    });
    if (openedAt > 0) result.phasesMs.processing = performance.now() - openedAt;
    if (outcome.error !== undefined) result.error = outcome.error;
    if (outcome.body !== undefined) {
      result.body = outcome.body;
      result.bodyBytes = outcome.bodyBytes;
      result.bodyTruncated = outcome.bodyTruncated;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    result.responseTimeMs = performance.now() - startedAt;
    if (socket instanceof TLSSocket) {
      const info = certificateChainInfo(socket);
      if (info.notAfterMs !== undefined) {
        result.certificateNotAfterMs = info.notAfterMs;
        result.certificateExpirationMs = info.notAfterMs - Date.now();
      }
      if (info.tlsVersion) result.tlsVersion = info.tlsVersion;
    }
    if (socket?.remoteAddress) {
      result.ip = socket.remoteAddress;
      result.ipProtocol = socket.remoteFamily === 'IPv6' ? 6 : 4;
    }
    try {
      ws?.close();
    } catch {
      // already closing
    }
    agent.destroy().catch(() => undefined);
  }
  return result;
};
