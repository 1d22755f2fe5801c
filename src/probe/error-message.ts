/**
 * Turns the errors of node:net, node:tls, node:dns, node:http and undici into short, stable messages
 * such as `connection refused`, `timeout after 10s`, `certificate has expired`.
 * Messages contain no secrets (no URL, no header); callers may prefix them with host:port.
 */
import { VigilError } from '../errors.js';

/** Messages by error code (Node system errors, OpenSSL verification codes, undici codes). */
const MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection reset by peer',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'no such host',
  ENODATA: 'no such host',
  EAI_NONAME: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
  ESERVFAIL: 'dns server failure',
  EREFUSED: 'dns query refused',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls handshake failed: wrong version number (not a TLS server?)',
  EPROTO: 'tls handshake failed',
  UND_ERR_SOCKET: 'connection closed by peer',
  UND_ERR_HEADERS_TIMEOUT: 'timeout waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timeout reading response body',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body does not match Content-Length',
  HPE_HEADER_OVERFLOW: 'response headers too large',
};

/** Any other parser error of llhttp (`HPE_INVALID_CONSTANT`, `HPE_INVALID_CHUNK_SIZE`...). */
function messageFor(code: string): string | undefined {
  return MESSAGES[code] ?? (code.startsWith('HPE_') ? 'malformed HTTP response' : undefined);
}

/** The message for a TLS verification code (socket.authorizationError), e.g. `CERT_HAS_EXPIRED`. */
export function certificateErrorMessage(code: string): string {
  return MESSAGES[code] ?? `certificate verification failed: ${code}`;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * An OpenSSL error (`ERR_SSL_*`, or a message like `80CC…:error:0A0000C6:SSL routines:ssl3_get_record:
 * packet length too long:../deps/openssl/…`) as `tls handshake failed: packet length too long`.
 */
function tlsFailure(error: unknown, code: string | undefined): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { reason, message } = error as { reason?: unknown; message?: unknown };
  const dump = typeof message === 'string' ? /:error:[0-9A-F]{8}:[^:]*:[^:]*:([^:]+):/.exec(message) : null;
  if (!code?.startsWith('ERR_SSL_') && !dump) return undefined;
  const why = typeof reason === 'string' && reason ? reason : (dump?.[1] ?? code?.slice('ERR_SSL_'.length).toLowerCase().replaceAll('_', ' '));
  return `tls handshake failed: ${(why ?? 'unknown reason').toLowerCase()}`;
}

function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
}

/**
 * A short message for any error a probe can meet. Our own VigilErrors (timeout, abort,
 * too many redirects...) keep their message; known codes map to fixed text; the `cause` chain
 * is followed (undici wraps socket errors) a few levels deep.
 */
export function describeError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    if (current instanceof VigilError) return current.message;
    const code = codeOf(current);
    if (code !== undefined) {
      const known = messageFor(code);
      if (known !== undefined) {
        // undici "other side closed" keeps its detail: reset vs clean close matters.
        const cause = causeOf(current);
        if (code === 'UND_ERR_SOCKET' && cause !== undefined) {
          const inner = describeError(cause);
          if (inner !== 'unknown error') return inner;
        }
        return known;
      }
    }
    const tls = tlsFailure(current, code);
    if (tls !== undefined) return tls;
    const cause = causeOf(current);
    if (cause === undefined) break;
    current = cause;
  }
  if (error instanceof Error && error.message) {
    const code = codeOf(error);
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return typeof error === 'string' && error ? error : 'unknown error';
}
