import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from './tls-cert.js';

describe('makeCertificate', () => {
  it('produces a certificate with exactly the requested validity dates', async () => {
    const notAfter = new Date('2031-05-06T07:08:09Z');
    const c = await makeCertificate({ notAfter });
    expect(new Date(new X509Certificate(c.cert).validTo).getTime()).toBe(notAfter.getTime());
  });
});
