/**
 * Low-level, timed network steps shared by the probers: resolve a host name (honouring
 * options.network and options.dnsResolver), open a TCP connection, upgrade it to TLS.
 * Each step records its phase (`resolve`, `connect`, `tls`) and honours an AbortSignal.
 * They throw on failure; probers turn errors into results with describeError().
 */
import { readFile } from 'node:fs/promises';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { VigilError } from '../errors.js';
import { certificateErrorMessage } from './error-message.js';
import { systemResolver } from './resolve.js';
import { abortReason, timePhase } from './timing.js';
import type { PhasesMs } from './timing.js';
import type { ProbeOptions, ResolvedAddress } from './types.js';

function ignoreError(): void {
  // see untilReady
}

export type { ResolvedAddress } from './types.js';

/** `[::1]` → `::1`; URL.hostname keeps the brackets of IPv6 literals. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Resolves `hostname` (a URL hostname; brackets allowed) to one address, recording the
 * `resolve` phase (also for IP literals, which take ~0 ms, like blackbox_exporter).
 * `network` ip4/ip6 restricts the family. Names go to `options.resolver` (default the
 * process-wide one, see resolve.ts), which never holds a thread-pool thread and stops on abort.
 */
export async function resolveHost(
  hostname: string,
  options: Pick<ProbeOptions, 'network' | 'dnsResolver' | 'resolver'>,
  signal: AbortSignal,
  phases: PhasesMs,
): Promise<ResolvedAddress> {
  const host = bareHost(hostname);
  return timePhase(phases, 'resolve', async () => {
    if (signal.aborted) throw abortReason(signal);
    const literal = isIP(host);
    if (literal !== 0) {
      if ((options.network === 'ip4' && literal !== 4) || (options.network === 'ip6' && literal !== 6)) {
        throw new VigilError('VIGIL_PROBE_RESOLVE', `address ${host} is not IPv${options.network === 'ip4' ? 4 : 6}`);
      }
      return { address: host, family: literal === 6 ? 6 : 4 };
    }
    return (options.resolver ?? systemResolver()).resolve(host, options.network, signal, options.dnsResolver);
  });
}

/**
 * Opens a TCP connection to `address:port`, recording the `connect` phase. On abort the socket is
 * destroyed and the promise rejects with the abort reason.
 */
export function connectTcp(address: ResolvedAddress, port: number, signal: AbortSignal, phases: PhasesMs): Promise<Socket> {
  return timePhase(phases, 'connect', () => {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const socket = new Socket();
    const connected = untilReady(socket, 'connect', signal);
    socket.connect({ host: address.address, port, family: address.family });
    return connected;
  });
}

/**
 * Resolves with `socket` once it emits `ready`. An 'error' or an abort before that destroys the
 * socket and rejects (with the error or the abort reason); the listeners are removed either way.
 */
function untilReady<S extends Socket>(socket: S, ready: 'connect' | 'secureConnect', signal: AbortSignal): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      socket.removeListener(ready, onReady);
    };
    const onAbort = () => {
      cleanup();
      socket.destroy();
      reject(abortReason(signal));
    };
    const onError = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onReady = () => {
      cleanup();
      // Until the caller attaches its own listener, a reset must not become an uncaught
      // 'error'; the caller still sees it through socket.errored / 'close'.
      socket.on('error', ignoreError);
      resolve(socket);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(ready, onReady);
  });
}

export interface TlsSettings {
  /** The name the certificate must match (URL hostname); also sent as SNI unless it is an IP. */
  hostname: string;
  insecure: boolean;
  /** ALPN protocols to offer, e.g. ['http/1.1']. */
  alpnProtocols?: string[];
  /** ProbeOptions.tls: client certificate, extra CA, SNI override. */
  files?: ProbeOptions['tls'];
}

export interface TlsInfo {
  /** e.g. `TLSv1.3`. */
  version?: string;
  alpnProtocol?: string;
  /** Earliest notAfter in the presented chain, epoch ms. */
  certificateNotAfterMs?: number;
  /** Whether the chain and host name verified. Verification runs even when insecure. */
  authorized: boolean;
  /** Normalised verification failure, e.g. `certificate has expired`, when not authorized. */
  certificateError?: string;
}

/** Earliest notAfter (epoch ms) of the chain the peer presented, or undefined without a certificate. */
export function earliestNotAfterMs(socket: TLSSocket): number | undefined {
  const leaf = socket.getPeerCertificate(true);
  if (!leaf || typeof leaf.valid_to !== 'string') return undefined;
  let earliest: number | undefined;
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    if (seen.has(current.fingerprint256)) break;
    seen.add(current.fingerprint256);
    const ms = Date.parse(current.valid_to);
    if (Number.isFinite(ms) && (earliest === undefined || ms < earliest)) earliest = ms;
    current = current.issuerCertificate;
  }
  return earliest;
}

async function readOptional(path: string | undefined): Promise<Buffer | undefined> {
  return path ? readFile(path) : undefined;
}

/**
 * Starts TLS over a connected socket, recording the `tls` phase. The handshake never rejects
 * an untrusted certificate itself: it always completes (so the certificate's dates are known,
 * as blackbox_exporter reports them) and the verification outcome is in `info.authorized` /
 * `info.certificateError`. Callers that are not insecure must treat !authorized as a failure.
 */
export async function startTls(
  socket: Socket,
  settings: TlsSettings,
  signal: AbortSignal,
  phases: PhasesMs,
): Promise<{ socket: TLSSocket; info: TlsInfo }> {
  const files = settings.files;
  const [ca, cert, key] = await Promise.all([
    readOptional(files?.caFile),
    readOptional(files?.certificateFile),
    readOptional(files?.privateKeyFile),
  ]);
  const name = files?.serverName ?? bareHost(settings.hostname);
  return timePhase(phases, 'tls', () => {
    if (signal.aborted) {
      socket.destroy();
      return Promise.reject(abortReason(signal));
    }
    const secure = tlsConnect({
      socket,
      host: name,
      ...(isIP(name) === 0 ? { servername: name } : {}),
      rejectUnauthorized: false,
      ...(settings.alpnProtocols ? { ALPNProtocols: settings.alpnProtocols } : {}),
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    });
    return untilReady(secure, 'secureConnect', signal).then((ready) => ({ socket: ready, info: tlsInfo(ready) }));
  });
}

/** What a completed handshake tells: verification outcome, version, ALPN, earliest notAfter. */
function tlsInfo(secure: TLSSocket): TlsInfo {
  const authError = secure.authorizationError as unknown;
  const info: TlsInfo = { authorized: secure.authorized };
  const version = secure.getProtocol();
  if (version) info.version = version;
  if (typeof secure.alpnProtocol === 'string') info.alpnProtocol = secure.alpnProtocol;
  const notAfter = earliestNotAfterMs(secure);
  if (notAfter !== undefined) info.certificateNotAfterMs = notAfter;
  if (!secure.authorized) {
    const code = authError instanceof Error ? ((authError as Error & { code?: string }).code ?? authError.message) : String(authError);
    info.certificateError = certificateErrorMessage(code);
  }
  return info;
}

/** The error to raise when a certificate did not verify and the probe is not insecure. */
export class CertificateError extends VigilError {
  constructor(message: string) {
    super('VIGIL_PROBE_CERTIFICATE', message);
  }
}
