/**
 * WebSocket prober (ws:// and wss://), like Gatus `client.QueryWebSocket`.
 *
 * - [CONNECTED] is true once the upgrade succeeded (HTTP 101, socket open).
 * - When `target.body` is not empty it is sent as one text message and [BODY] is the first message the
 *   server sends back (text, or binary decoded as UTF-8), cut to `maxBodyBytes`. With an empty body nothing
 *   is sent and the probe ends as soon as the socket is open (Gatus always sends, even an empty frame).
 * - `target.headers` go on the upgrade request (User-Agent defaults to vigil/<version>); `insecure` skips certificate verification for wss://.
 * - [STATUS] stays undefined. For wss:// the chain's earliest notAfter and the TLS version are reported.
 * - A fresh dispatcher per probe: DNS, connect and TLS happen every time and nothing outlives the probe.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Agent, WebSocket, buildConnector } from 'undici';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';
import { describeError } from './error-message.js';
import { recordTlsSocket, resolveInto } from './result.js';
import { createDeadline, elapsedMs, monotonicMs } from './timing.js';
import { USER_AGENT } from './user-agent.js';

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

export const probeWebsocket: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = monotonicMs();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const deadline = createDeadline(options.timeoutMs, signal);
  const combined = deadline.signal;

  let socket: Socket | undefined;
  let connectError: Error | undefined;
  let agent: Agent | undefined;
  let ws: WebSocket | undefined;
  try {
    // Resolve ourselves (phase, ip4/ip6, dns-resolver), then let undici connect to that address.
    const address = await resolveInto(result, target.url.hostname, options, combined);
    const connectStart = monotonicMs();
    const connector = buildConnector({
      rejectUnauthorized: !options.insecure,
      maxCachedSessions: 0,
      timeout: options.timeoutMs,
      lookup: (_hostname, lookupOptions, callback) => {
        if (lookupOptions.all) callback(null, [{ address: address.address, family: address.family }]);
        else callback(null, address.address, address.family);
      },
      ...(options.tls?.serverName ? { servername: options.tls.serverName } : {}),
    });
    agent = new Agent({
      connections: 1,
      pipelining: 0,
      webSocket: { maxPayloadSize: Math.max(MIN_PAYLOAD_LIMIT_BYTES, options.maxBodyBytes * PAYLOAD_LIMIT_FACTOR) },
      connect: (connectOptions, callback) => {
        connector(connectOptions, (...args) => {
          const [failure, connected] = args;
          if (failure) connectError = failure;
          if (connected) {
            socket = connected;
            result.phasesMs.connect = elapsedMs(connectStart);
          }
          callback(...args);
        });
      },
    });
    if (combined.aborted) throw deadline.reason;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
    const opened = new WebSocket(target.url, { dispatcher: agent, headers });
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
      const onAbort = () => finish({ error: describeError(deadline.reason) });
      combined.addEventListener('abort', onAbort, { once: true });
      opened.addEventListener('open', () => {
        openedAt = monotonicMs();
        result.connected = true;
        if (target.body === '') finish({});
        else opened.send(target.body);
      });
      opened.addEventListener('message', (event) => finish(decodeMessage(event.data, options.maxBodyBytes)));
      opened.addEventListener('error', (event) => {
        // undici's ErrorEvent carries no detail: use the connector's error, else the upgrade was refused.
        if (connectError) finish({ error: describeError(connectError) });
        else if (!result.connected) finish({ error: 'websocket upgrade failed: server did not switch protocols' });
        else finish({ error: 'websocket connection failed' });
      });
      opened.addEventListener('close', (event) => {
        if (!result.connected) finish({ error: connectError ? describeError(connectError) : 'websocket upgrade failed: server did not switch protocols' });
        else finish({ error: `websocket closed before a reply (code ${event.code})` });
      });
    });
    if (openedAt > 0) result.phasesMs.processing = elapsedMs(openedAt);
    if (outcome.error !== undefined) result.error = outcome.error;
    if (outcome.body !== undefined) {
      result.body = outcome.body;
      result.bodyBytes = outcome.bodyBytes;
      result.bodyTruncated = outcome.bodyTruncated;
    }
  } catch (error) {
    result.error = describeError(deadline.reason ?? error);
  } finally {
    deadline.dispose();
    result.responseTimeMs = elapsedMs(startedAt);
    if (socket instanceof TLSSocket) recordTlsSocket(result, socket);
    try {
      ws?.close();
    } catch {
      // already closing
    }
    agent?.destroy().catch(() => undefined);
  }
  return result;
};
