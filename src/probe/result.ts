/** Fields of a ProbeResult that several probers fill the same way. */
import type { TLSSocket } from 'node:tls';
import { earliestNotAfterMs, resolveHost } from './connect.js';
import type { ResolvedAddress, TlsInfo } from './connect.js';
import { addPhase, elapsedMs } from './timing.js';
import type { ProbeOptions, ProbeResult } from './types.js';

/** resolveHost (recording the `resolve` phase), then records [IP] and the IP protocol of the address. */
export async function resolveInto(result: ProbeResult, hostname: string, options: ProbeOptions, signal: AbortSignal): Promise<ResolvedAddress> {
  const address = await resolveHost(hostname, options, signal, result.phasesMs);
  result.ip = address.address;
  result.ipProtocol = address.family;
  return address;
}

/**
 * Records a reply to a body sent at `sentAt` (a monotonicMs() value): the `processing` phase, and
 * [BODY] cut to `maxBodyBytes` with the full size and whether it was cut.
 */
export function recordReply(result: ProbeResult, reply: Buffer, sentAt: number, maxBodyBytes: number): void {
  addPhase(result.phasesMs, 'processing', elapsedMs(sentAt));
  const cap = Math.max(0, maxBodyBytes);
  result.body = reply.subarray(0, cap).toString('utf8');
  result.bodyBytes = reply.length;
  result.bodyTruncated = reply.length > cap;
}

/** Records the negotiated TLS version and the certificate's notAfter, with [CERTIFICATE_EXPIRATION] = notAfter − `nowMs`. */
export function recordTls(result: ProbeResult, details: Pick<TlsInfo, 'version' | 'certificateNotAfterMs'>, nowMs: number): void {
  if (details.version) result.tlsVersion = details.version;
  if (details.certificateNotAfterMs !== undefined) {
    result.certificateNotAfterMs = details.certificateNotAfterMs;
    result.certificateExpirationMs = details.certificateNotAfterMs - nowMs;
  }
}

/** recordTls for a TLS socket (which may have failed or closed): its protocol and the chain's earliest notAfter. */
export function recordTlsSocket(result: ProbeResult, socket: TLSSocket): void {
  recordTls(result, { version: socket.getProtocol() ?? undefined, certificateNotAfterMs: earliestNotAfterMs(socket) }, Date.now());
}
