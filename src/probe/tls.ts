/**
 * TLS prober (`tls://host:port`, port 443 when absent), like Gatus `client.CanPerformTLS`.
 *
 * - Resolves, connects and completes a TLS handshake (phases `resolve`, `connect`, `tls`); [CONNECTED] is true
 *   once the handshake succeeded and the certificate verified (or `insecure` is set).
 * - Reports the earliest notAfter of the presented chain (`certificateNotAfterMs`) and
 *   [CERTIFICATE_EXPIRATION] = that − now, and the negotiated `tlsVersion`. These are reported even when the
 *   certificate does not verify: then, unless `insecure`, the result fails with connected=false and a clear
 *   error such as `certificate has expired` or `self-signed certificate`.
 * - `options.tls` adds a client certificate (mTLS), extra trusted CAs and an SNI / verification name.
 *   A TLS 1.2 server that rejects a missing client certificate fails the handshake; a TLS 1.3 server rejects
 *   it only after the handshake, so it is noticed when a body is exchanged.
 * - When `target.body` is not empty (`[LOCAL_ADDRESS]` replaced by the local ip:port), it is sent after the
 *   handshake and [BODY] is the first reply, cut to `maxBodyBytes`, as in Gatus.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { connectTcp, startTls, CertificateError } from './connect.js';
import { describeError } from './error-message.js';
import { sendAndReadFirstReply } from './tcp.js';
import { recordReply, recordTls, resolveInto } from './result.js';
import { createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeResult, Prober } from './types.js';

const DEFAULT_TLS_PORT = 443;

function localAddress(socket: TLSSocket): string {
  const address = socket.localAddress ?? '';
  return address.includes(':') ? `[${address}]:${socket.localPort ?? 0}` : `${address}:${socket.localPort ?? 0}`;
}

/** A TLS prober reading "now" from `now` (for [CERTIFICATE_EXPIRATION]); probeTls uses Date.now. */
export function createTlsProber(now: () => number = Date.now): Prober {
  return async (target, options, signal) => {
    const start = monotonicMs();
    const deadline = createDeadline(options.timeoutMs, signal);
    const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
    let plain: Socket | undefined;
    let secure: TLSSocket | undefined;
    try {
      const { hostname, port } = target.url;
      const address = await resolveInto(result, hostname, options, deadline.signal);
      plain = await connectTcp(address, port ? Number(port) : DEFAULT_TLS_PORT, deadline.signal, result.phasesMs);
      const upgraded = await startTls(plain, { hostname, insecure: options.insecure, files: options.tls }, deadline.signal, result.phasesMs);
      secure = upgraded.socket;
      secure.on('error', () => undefined);
      const { info } = upgraded;
      recordTls(result, info, now());
      if (!info.authorized && !options.insecure) throw new CertificateError(info.certificateError ?? 'certificate verification failed');
      result.connected = true;
      if (target.body !== '') {
        const sentAt = monotonicMs();
        const reply = await sendAndReadFirstReply(secure, target.body.replaceAll('[LOCAL_ADDRESS]', localAddress(secure)), deadline.signal);
        recordReply(result, reply, sentAt, options.maxBodyBytes);
      }
    } catch (error) {
      // like Gatus, [CONNECTED] stays true when only the body exchange after a verified handshake failed
      result.error = deadline.reason?.message ?? describeError(error);
    } finally {
      deadline.dispose();
      secure?.destroy();
      // a handshake cut short by the deadline leaves the TCP socket open: close it too
      plain?.destroy();
      result.responseTimeMs = elapsedMs(start);
    }
    return result;
  };
}

/** The TLS prober. */
export const probeTls: Prober = createTlsProber();
