/**
 * SMTP STARTTLS prober (starttls://host:port), like Gatus `client.CanPerformStartTLS`.
 *
 * Reads the greeting, sends EHLO, STARTTLS, upgrades the same socket to TLS, reports the earliest notAfter of
 * the presented chain ([CERTIFICATE_EXPIRATION]) and the TLS version, then sends QUIT.
 * [CONNECTED] is true only once the TLS handshake succeeded (as in Gatus); [STATUS] stays undefined.
 * `insecure` skips certificate verification (the certificate is still reported).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { VigilError } from '../errors.js';
import { CertificateError, connectTcp, startTls } from './connect.js';
import { describeError } from './error-message.js';
import { recordTls, resolveInto } from './result.js';
import { abortReason, createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';

/** A reply with more bytes than this fails the probe. */
const MAX_REPLY_BYTES = 64 * 1024;
const DEFAULT_SMTP_PORT = 25;
const QUIT_GRACE_MS = 1000;

interface SmtpReply {
  code: number;
  text: string;
}

/** The SMTP dialogue went wrong (unexpected reply, closed connection...). */
class ProbeFailure extends VigilError {
  constructor(message: string) {
    super('VIGIL_PROBE_SMTP', message);
  }
}

/** Reads SMTP replies (possibly multi-line: `250-...` then `250 ...`) from a plain socket. */
class ReplyReader {
  #buffer = '';
  #waiter: { resolve: (reply: SmtpReply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;
  readonly #socket: Socket;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer += chunk.toString('latin1');
    if (this.#buffer.length > MAX_REPLY_BYTES) this.fail(new ProbeFailure('SMTP reply too long'));
    else this.#deliver();
  };

  constructor(socket: Socket) {
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

export const probeStarttls: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = monotonicMs();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const deadline = createDeadline(options.timeoutMs, signal);
  const port = target.url.port ? Number(target.url.port) : DEFAULT_SMTP_PORT;

  let plain: Socket | undefined;
  let secure: TLSSocket | undefined;
  let reader: ReplyReader | undefined;
  const onAbort = () => {
    const error = abortReason(deadline.signal);
    reader?.fail(error);
    secure?.destroy();
    plain?.destroy();
  };
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const address = await resolveInto(result, target.url.hostname, options, deadline.signal);
    const socket = await connectTcp(address, port, deadline.signal, result.phasesMs);
    plain = socket;
    const smtp = new ReplyReader(socket);
    reader = smtp;
    socket.on('error', (error) => smtp.fail(error));
    socket.on('close', () => smtp.fail(new ProbeFailure('connection closed by server')));
    if (deadline.signal.aborted) throw abortReason(deadline.signal);

    const processingStart = monotonicMs();
    expect(await smtp.read(), 220, 'greeting');
    socket.write('EHLO vigil\r\n');
    expect(await smtp.read(), 250, 'EHLO');
    socket.write('STARTTLS\r\n');
    expect(await smtp.read(), 220, 'STARTTLS');
    if (!smtp.detach()) throw new ProbeFailure('STARTTLS: server sent data before the TLS handshake');
    result.phasesMs.processing = elapsedMs(processingStart);

    const upgraded = await startTls(
      socket,
      { hostname: target.url.hostname, insecure: options.insecure, files: options.tls },
      deadline.signal,
      result.phasesMs,
    );
    secure = upgraded.socket;
    secure.on('error', () => undefined);
    const { info } = upgraded;
    recordTls(result, info, Date.now());
    if (!info.authorized && !options.insecure) throw new CertificateError(info.certificateError ?? 'certificate verification failed');
    result.connected = true;
    const closing = secure;
    closing.end('QUIT\r\n');
    // Let the server answer 221 and close; never keep the socket beyond a short grace period.
    const grace = setTimeout(() => closing.destroy(), QUIT_GRACE_MS);
    grace.unref();
    closing.once('close', () => clearTimeout(grace));
  } catch (error) {
    result.error = describeError(deadline.reason ?? error);
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    deadline.dispose();
    result.responseTimeMs = elapsedMs(startedAt);
    if (!result.connected) {
      secure?.destroy();
      plain?.destroy();
    }
  }
  return result;
};
