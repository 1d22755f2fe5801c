import { generate } from 'selfsigned';

export interface TestCertificate {
  key: string;
  cert: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * A self-signed certificate for 127.0.0.1 / localhost with known validity dates.
 * Whole-second dates, since X.509 stores seconds.
 */
export async function makeCertificate(options: { notBefore?: Date; notAfter?: Date; commonName?: string } = {}): Promise<TestCertificate> {
  const second = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
  const notBefore = second(options.notBefore ?? new Date(Date.now() - 24 * 3600_000));
  const notAfter = second(options.notAfter ?? new Date(Date.now() + 30 * 24 * 3600_000));
  const pems = await generate([{ name: 'commonName', value: options.commonName ?? 'localhost' }], {
    keyType: 'ec',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert, notBefore, notAfter };
}
