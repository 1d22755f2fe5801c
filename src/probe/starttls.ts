/**
 * SMTP STARTTLS prober (starttls://host:port), like Gatus `client.CanPerformStartTLS`.
 *
 * Reads the greeting, sends EHLO, STARTTLS, upgrades the same socket to TLS, reports the earliest notAfter of
 * the presented chain ([CERTIFICATE_EXPIRATION]) and the TLS version, then sends QUIT.
 * [CONNECTED] is true only once the TLS handshake succeeded (as in Gatus); [STATUS] stays undefined.
 * `insecure` skips certificate verification (the certificate is still reported).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';

/** A reply line longer than this, or a reply with more bytes than this, fails the probe. */
const MAX_REPLY_BYTES = 64 * 1024;
/** Guard against malformed chains whose issuer links never end. */
const MAX_CHAIN_LENGTH = 16;
const DEFAULT_SMTP_PORT = 25;
const QUIT_GRACE_MS = 1000;

export interface CertificateChainInfo {
  /** Earliest notAfter (epoch ms) over the presented chain. */
  notAfterMs?: number;
  /** e.g. `TLSv1.3`. */
  tlsVersion?: string;
}

/** Earliest notAfter of the chain the peer presented, and the negotiated TLS version. */
export function certificateChainInfo(socket: TLSSocket): CertificateChainInfo {
  const info: CertificateChainInfo = {};
  const version = socket.getProtocol();
  if (version) info.tlsVersion = version;
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  for (let i = 0; i < MAX_CHAIN_LENGTH && cert && cert.valid_to; i++) {
    const notAfterMs = Date.parse(cert.valid_to);
    if (Number.isFinite(notAfterMs) && (info.notAfterMs === undefined || notAfterMs < info.notAfterMs)) info.notAfterMs = notAfterMs;
    seen.add(cert.fingerprint256);
    const issuer: DetailedPeerCertificate | undefined = cert.issuerCertificate;
    if (!issuer || seen.has(issuer.fingerprint256)) break;
    cert = issuer;
  }
  return info;
}

interface SmtpReply {
  code: number;
  text: string;
}

class ProbeFailure extends Error {}

/** Reads SMTP replies (possibly multi-line: `250-...` then `250 ...`) from a plain socket. */
class ReplyReader {
  #buffer = '';
  #waiter: { resolve: (reply: SmtpReply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;
  readonly #socket: net.Socket;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer += chunk.toString('latin1');
    if (this.#buffer.length > MAX_REPLY_BYTES) this.fail(new ProbeFailure('SMTP reply too long'));
    else this.#deliver();
  };

  constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', this.#onData);
  }

  /** Stop reading; true when nothing unread is buffered (bytes after STARTTLS's 220 would be an injection). */
  detach(): boolean {
    this.#socket.off('data', this.#onData);
    return this.#buffer.length === 0;
  }

  fail(error: Error): void {
    this.#failure ??= error;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(this.#failure);
  }

  read(): Promise<SmtpReply> {
    return new Promise<SmtpReply>((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#waiter = { resolve, reject };
      this.#deliver();
    });
  }

  #deliver(): void {
    if (!this.#waiter) return;
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const end = this.#buffer.indexOf('\n', offset);
      if (end < 0) return;
      const line = this.#buffer.slice(offset, end).replace(/\r$/, '');
      offset = end + 1;
      lines.push(line);
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match) {
        this.fail(new ProbeFailure(`malformed SMTP reply: ${JSON.stringify(line.slice(0, 80))}`));
        return;
      }
      if (match[2] !== '-') {
        this.#buffer = this.#buffer.slice(offset);
        const waiter = this.#waiter;
        this.#waiter = undefined;
        waiter.resolve({ code: Number(match[1]), text: lines.map((l) => l.slice(4)).join('\n') });
        return;
      }
    }
  }
}

function expect(reply: SmtpReply, expected: number, step: string): void {
  if (Math.floor(reply.code / 100) !== Math.floor(expected / 100)) {
    throw new ProbeFailure(`${step}: unexpected SMTP reply ${reply.code} ${reply.text.split('\n')[0] ?? ''}`.trim());
  }
}

function timeoutMessage(signal: AbortSignal, timeoutSignal: AbortSignal, timeoutMs: number): string {
  return timeoutSignal.aborted && !signal.aborted ? `timeout after ${timeoutMs}ms` : 'aborted';
}

export const probeStarttls: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = performance.now();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const timeoutSignal = AbortSignal.timeout(options.timeoutMs);
  const combined = AbortSignal.any([signal, timeoutSignal]);
  const host = target.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.url.port ? Number(target.url.port) : DEFAULT_SMTP_PORT;

  let plain: net.Socket | undefined;
  let secure: TLSSocket | undefined;
  let reader: ReplyReader | undefined;
  const onAbort = () => {
    const error = new ProbeFailure(timeoutMessage(signal, timeoutSignal, options.timeoutMs));
    reader?.fail(error);
    secure?.destroy(error);
    plain?.destroy(error);
  };
  try {
    if (combined.aborted) throw new ProbeFailure(timeoutMessage(signal, timeoutSignal, options.timeoutMs));
    combined.addEventListener('abort', onAbort, { once: true });

    const socket = net.connect({ host, port, ...(options.network === 'ip4' ? { family: 4 } : options.network === 'ip6' ? { family: 6 } : {}) });
    plain = socket;
    const smtp = new ReplyReader(socket);
    reader = smtp;
    socket.on('error', (error) => smtp.fail(error));
    socket.on('close', () => smtp.fail(new ProbeFailure('connection closed by server')));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.once('close', () => reject(new ProbeFailure(timeoutMessage(signal, timeoutSignal, options.timeoutMs))));
    });
    result.phasesMs.connect = performance.now() - startedAt;
    if (socket.remoteAddress) {
      result.ip = socket.remoteAddress;
      result.ipProtocol = socket.remoteFamily === 'IPv6' ? 6 : 4;
    }

    const processingStart = performance.now();
    expect(await smtp.read(), 220, 'greeting');
    socket.write('EHLO vigil\r\n');
    expect(await smtp.read(), 250, 'EHLO');
    socket.write('STARTTLS\r\n');
    expect(await smtp.read(), 220, 'STARTTLS');
    if (!smtp.detach()) throw new ProbeFailure('STARTTLS: server sent data before the TLS handshake');
    result.phasesMs.processing = performance.now() - processingStart;

    const tlsStart = performance.now();
    const serverName = options.tls?.serverName ?? (net.isIP(host) ? undefined : host);
    const upgraded = tls.connect({ socket, host, rejectUnauthorized: !options.insecure, ...(serverName ? { servername: serverName } : {}) });
    secure = upgraded;
    upgraded.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      upgraded.once('secureConnect', resolve);
      upgraded.once('error', reject);
      upgraded.once('close', () => reject(new ProbeFailure('connection closed during TLS handshake')));
    });
    result.phasesMs.tls = performance.now() - tlsStart;
    result.connected = true;
    const info = certificateChainInfo(upgraded);
    if (info.notAfterMs !== undefined) {
      result.certificateNotAfterMs = info.notAfterMs;
      result.certificateExpirationMs = info.notAfterMs - Date.now();
    }
    if (info.tlsVersion) result.tlsVersion = info.tlsVersion;
    upgraded.end('QUIT\r\n');
    // Let the server answer 221 and close; never keep the socket beyond a short grace period.
    const grace = setTimeout(() => upgraded.destroy(), QUIT_GRACE_MS);
    grace.unref();
    upgraded.once('close', () => clearTimeout(grace));
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    combined.removeEventListener('abort', onAbort);
    result.responseTimeMs = performance.now() - startedAt;
    if (!result.connected) {
      secure?.destroy();
      plain?.destroy();
    }
    plain?.on('error', () => undefined);
  }
  return result;
};
