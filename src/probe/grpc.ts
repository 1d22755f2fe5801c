/**
 * gRPC health prober: grpc://host:port[/service] (plaintext) and grpcs://host:port[/service] (TLS).
 * Calls grpc.health.v1.Health/Check for the service named by the URL path (empty = the whole server).
 *
 * Result, chosen to match Gatus so its configs keep working:
 * - [BODY] is JSON `{"status":"SERVING"}` (or NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN): write
 *   `[BODY].status == SERVING`. [STATUS] stays undefined.
 * - [CONNECTED] is true once the transport (TCP, and TLS for grpcs) is up, whatever the RPC answers.
 * - A failed RPC sets `error` (`grpc UNIMPLEMENTED: ...`). NOT_FOUND, which the health protocol uses for an
 *   unknown service, also sets the body to SERVICE_UNKNOWN.
 * - For grpcs the chain's earliest notAfter and the TLS version are reported; `insecure` skips verification.
 * - One fresh channel per probe (local subchannel pool), closed at the end.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { ChannelCredentials, Client, Metadata, credentials, status as grpcStatus } from '@grpc/grpc-js';
import type { CallCredentials, ChannelOptions, ServiceError } from '@grpc/grpc-js';
import { bareHost } from './connect.js';
import { describeError } from './error-message.js';
import { recordTlsSocket, resolveInto } from './result.js';
import { createDeadline, elapsedMs, monotonicMs, ProbeTimeoutError } from './timing.js';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
const DEFAULT_PORT = { 'grpc:': 80, 'grpcs:': 443 } as const;
/** grpc.health.v1.HealthCheckResponse.ServingStatus, by number. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/** Encodes HealthCheckRequest { string service = 1; } (proto3: an empty string is omitted). */
export function encodeHealthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  if (name.length === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x0a]), encodeVarint(name.length), name]);
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function readVarint(buffer: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  let factor = 1;
  for (let i = offset; i < buffer.length && i < offset + 10; i++) {
    const byte = buffer[i] ?? 0;
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    factor *= 128;
  }
  throw new Error('malformed protobuf varint');
}

/** Decodes HealthCheckResponse { ServingStatus status = 1; } to the status name; unknown fields are skipped. */
export function decodeHealthCheckResponse(buffer: Buffer): string {
  let status = 0;
  let offset = 0;
  while (offset < buffer.length) {
    const tag = readVarint(buffer, offset);
    offset = tag.next;
    const wireType = tag.value & 0x7;
    const field = Math.floor(tag.value / 8);
    if (wireType === 0) {
      const v = readVarint(buffer, offset);
      offset = v.next;
      if (field === 1) status = v.value;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else if (wireType === 2) {
      const length = readVarint(buffer, offset);
      offset = length.next + length.value;
    } else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
  if (offset > buffer.length) throw new Error('truncated protobuf message');
  return SERVING_STATUS[status] ?? `UNKNOWN_STATUS_${status}`;
}

type SecureConnector = ReturnType<ChannelCredentials['_createSecureConnector']>;

interface TransportEvents {
  /** TCP is connected; the secure connector starts (TLS for grpcs). */
  onTcp(socket: Socket): void;
  /** The connector finished: the socket the channel will speak HTTP/2 on. */
  onReady(socket: Socket): void;
  onFailure(error: unknown): void;
}

/**
 * Wraps the real channel credentials to see the transport socket: this is how the probe knows the
 * connection is up, and reads the certificate chain and TLS version.
 */
class ObservedCredentials extends ChannelCredentials {
  readonly #inner: ChannelCredentials;
  readonly #events: TransportEvents;

  constructor(inner: ChannelCredentials, events: TransportEvents) {
    super();
    this.#inner = inner;
    this.#events = events;
  }

  override _isSecure(): boolean {
    return this.#inner._isSecure();
  }

  override _equals(other: ChannelCredentials): boolean {
    return other === this;
  }

  override _createSecureConnector(...args: Parameters<ChannelCredentials['_createSecureConnector']>): SecureConnector {
    const connector = this.#inner._createSecureConnector(...args);
    const events = this.#events;
    return {
      async connect(socket: Socket) {
        events.onTcp(socket);
        try {
          const connected = await connector.connect(socket);
          events.onReady(connected.socket);
          return connected;
        } catch (error) {
          events.onFailure(error);
          throw error;
        }
      },
      waitForReady: () => connector.waitForReady(),
      getCallCredentials: (): CallCredentials => connector.getCallCredentials(),
      destroy: () => connector.destroy(),
    };
  }
}

async function channelCredentials(secure: boolean, options: ProbeOptions): Promise<ChannelCredentials> {
  if (!secure) return credentials.createInsecure();
  const read = (path: string | undefined) => (path ? readFile(path) : Promise.resolve(null));
  const [ca, key, cert] = await Promise.all([read(options.tls?.caFile), read(options.tls?.privateKeyFile), read(options.tls?.certificateFile)]);
  return credentials.createSsl(ca, key, cert, { rejectUnauthorized: !options.insecure });
}

function statusName(code: number): string {
  const names = grpcStatus as unknown as Record<number, string | undefined>;
  return names[code] ?? `CODE_${code}`;
}

/**
 * grpc-js details as one short line, without its timestamps and resolver notes:
 * `No connection established. Last error: Protocol error (2026-…Z). Resolution note: ` →
 * `no connection: protocol error (not an HTTP/2 server?)`.
 */
export function grpcDetails(details: string): string {
  let text = details.replace(/\s*\(\d{4}-\d{2}-\d{2}T[^)]*\)/g, '').replace(/\.?\s*Resolution note:.*$/s, '').replace(/\s+/g, ' ').trim();
  text = text.replace(/^No connection established\. Last error: /, 'no connection: ');
  if (/protocol error$/i.test(text)) text = `${text.slice(0, -'protocol error'.length)}protocol error (not an HTTP/2 server?)`;
  return text || 'call failed';
}

export const probeGrpc: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = monotonicMs();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const deadline = createDeadline(options.timeoutMs, signal);
  const secure = target.url.protocol === 'grpcs:';
  const port = target.url.port ? Number(target.url.port) : secure ? DEFAULT_PORT['grpcs:'] : DEFAULT_PORT['grpc:'];
  const service = decodeURIComponent(target.url.pathname.replace(/^\/+/, ''));
  const hostname = bareHost(target.url.hostname);

  let client: Client | undefined;
  let transportError: unknown;
  let socket: Socket | undefined;
  // Every socket grpc-js was handed: closing the channel does not destroy a connection whose peer
  // never completed the HTTP/2 handshake, so the probe destroys them itself (it owns the channel).
  const sockets = new Set<Socket>();
  let finished = false;
  try {
    const address = await resolveInto(result, target.url.hostname, options, deadline.signal);
    const connectStart = monotonicMs();
    let tlsStart = 0;
    const events: TransportEvents = {
      onTcp(tcp) {
        sockets.add(tcp);
        if (finished) tcp.destroy();
        result.phasesMs.connect = elapsedMs(connectStart);
        tlsStart = monotonicMs();
      },
      onReady(ready) {
        sockets.add(ready);
        if (finished) ready.destroy();
        if (secure) result.phasesMs.tls = elapsedMs(tlsStart);
        socket = ready;
        result.connected = true;
      },
      onFailure(error) {
        transportError ??= error;
      },
    };
    const nameOverride = options.tls?.serverName ?? (isIP(hostname) === 0 ? hostname : undefined);
    const channelOptions: ChannelOptions = {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.default_authority': target.url.host,
      'grpc.enable_retries': 0,
      ...(secure && nameOverride ? { 'grpc.ssl_target_name_override': nameOverride } : {}),
    };
    const channelTarget = address.family === 6 ? `ipv6:[${address.address}]:${port}` : `ipv4:${address.address}:${port}`;
    const opened = new Client(channelTarget, new ObservedCredentials(await channelCredentials(secure, options), events), channelOptions);
    client = opened;
    if (deadline.signal.aborted) throw deadline.reason;

    const outcome = await new Promise<{ body?: string; error?: unknown }>((resolve) => {
      const call = opened.makeUnaryRequest(
        HEALTH_CHECK_PATH,
        encodeHealthCheckRequest,
        decodeHealthCheckResponse,
        service,
        new Metadata(),
        { deadline: Date.now() + options.timeoutMs },
        (error: ServiceError | null, value?: string) => {
          deadline.signal.removeEventListener('abort', onAbort);
          resolve(error ? { error } : { body: value ?? 'UNKNOWN' });
        },
      );
      const onAbort = () => call.cancel();
      deadline.signal.addEventListener('abort', onAbort, { once: true });
    });
    if (result.phasesMs.connect !== undefined) {
      result.phasesMs.processing = Math.max(0, elapsedMs(connectStart) - result.phasesMs.connect - (result.phasesMs.tls ?? 0));
    }
    if (outcome.body !== undefined) {
      result.body = JSON.stringify({ status: outcome.body });
    } else if (deadline.reason) {
      result.error = describeError(deadline.reason);
    } else {
      const failure = outcome.error as Partial<ServiceError> | undefined;
      const code = typeof failure?.code === 'number' ? failure.code : grpcStatus.UNKNOWN;
      if (code === grpcStatus.NOT_FOUND) result.body = JSON.stringify({ status: 'SERVICE_UNKNOWN' });
      const details = grpcDetails(failure?.details ?? '');
      // grpc-js only keeps the socket error as text in `details` (`... Last error: Error: connect ECONNREFUSED ...`).
      const errno = /\b(E[A-Z]{4,})\b/.exec(details)?.[1];
      const socketError = !result.connected && code === grpcStatus.UNAVAILABLE && errno ? describeError({ code: errno }) : 'unknown error';
      if (code === grpcStatus.DEADLINE_EXCEEDED) result.error = new ProbeTimeoutError(options.timeoutMs).message;
      else if (!result.connected && transportError !== undefined) result.error = describeError(transportError);
      else if (socketError !== 'unknown error') result.error = socketError;
      else result.error = `grpc ${statusName(code)}: ${details}`;
    }
  } catch (error) {
    result.error = describeError(deadline.reason ?? error);
  } finally {
    if (socket instanceof TLSSocket) recordTlsSocket(result, socket);
    finished = true;
    client?.close();
    for (const opened of sockets) opened.destroy();
    deadline.dispose();
    result.responseTimeMs = elapsedMs(startedAt);
  }
  return result;
};
