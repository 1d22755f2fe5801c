import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/probe/error-message.js';

describe('describeError', () => {
  it('turns an OpenSSL error into one short line naming the reason', () => {
    const openssl = Object.assign(
      new Error('800C6B31717F0000:error:0A0000C6:SSL routines:ssl3_get_record:packet length too long:../deps/openssl/openssl/ssl/record/ssl3_record.c:379:\n'),
      { code: 'ERR_SSL_PACKET_LENGTH_TOO_LONG', library: 'SSL routines', reason: 'packet length too long' },
    );
    expect(describeError(openssl)).toBe('tls handshake failed: packet length too long');
    expect(describeError(Object.assign(new Error('x'), { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }))).toBe('tls handshake failed: sslv3 alert handshake failure');
    const wrapped = new Error('fetch failed', { cause: new Error('80CC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/x.c:1:') });
    expect(describeError(wrapped)).toBe('tls handshake failed: wrong version number');
  });

  it('keeps the fixed text of known codes', () => {
    expect(describeError(Object.assign(new Error('x'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }))).toBe('tls handshake failed: wrong version number (not a TLS server?)');
  });
});
