import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSealer, readCookie } from '../../src/web/sealed-cookie.js';

describe('sealed cookies', () => {
  const a = createSealer('client-secret-1', 'https://idp vigil');

  it('opens on another replica with the same secret, and on no other key, purpose or after expiry', () => {
    const token = a.seal('session', { sub: 'alice' }, 2_000);
    expect(createSealer('client-secret-1', 'https://idp vigil').unseal('session', token, 1_000)).toEqual({ sub: 'alice' });
    expect(createSealer('client-secret-2', 'https://idp vigil').unseal('session', token, 1_000)).toBeUndefined();
    expect(createSealer('client-secret-1', 'https://other-idp vigil').unseal('session', token, 1_000)).toBeUndefined();
    expect(a.unseal('login', token, 1_000)).toBeUndefined();
    expect(a.unseal('session', token, 2_000)).toBeUndefined();
  });

  it('rejects every altered token (property: one changed character anywhere)', () => {
    const token = a.seal('session', { sub: 'alice' }, Number.MAX_SAFE_INTEGER);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.nat({ max: alphabet.length - 1 }), (at, pick) => {
        const replacement = alphabet[pick]!;
        fc.pre(replacement !== token[at]);
        const altered = token.slice(0, at) + replacement + token.slice(at + 1);
        // the last character may carry unused base64 bits: the decoded bytes are then equal
        if (Buffer.from(altered, 'base64url').equals(Buffer.from(token, 'base64url'))) return;
        expect(a.unseal('session', altered, 0)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    expect(a.unseal('session', `${token}!`, 0)).toBeUndefined();
    expect(a.unseal('session', 'x'.repeat(5_000), 0)).toBeUndefined();
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; vigil_session=abc; b=2', 'vigil_session')).toBe('abc');
    expect(readCookie('xvigil_session=abc', 'vigil_session')).toBeUndefined();
    expect(readCookie(undefined, 'vigil_session')).toBeUndefined();
  });
});
