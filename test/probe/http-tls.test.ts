import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/probe/http.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import type { TestCertificate } from '../helpers/tls-cert.js';
import { neverAborted, options, target } from './http-helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serveTls(certificate: TestCertificate): Promise<string> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('secure'));
  const { port, close } = await listen(server);
  closers.push(close);
  return `https://127.0.0.1:${port}/`;
}

describe('probeHttp over TLS', () => {
  it('accepts a self-signed certificate when insecure and reports its exact notAfter', async () => {
    const notAfter = new Date(Date.now() + 10 * 24 * 3600_000);
    const certificate = await makeCertificate({ notAfter });
    const url = await serveTls(certificate);
    const before = Date.now();
    const result = await probeHttp(target(url), options({ insecure: true }), neverAborted());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('secure');
    expect(result.certificateNotAfterMs).toBe(certificate.notAfter.getTime());
    expect(result.certificateExpirationMs).toBeLessThanOrEqual(certificate.notAfter.getTime() - before);
    expect(result.certificateExpirationMs).toBeGreaterThan(certificate.notAfter.getTime() - Date.now() - 1000);
    expect(result.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(result.phasesMs.tls).toBeGreaterThanOrEqual(0);
    expect(result.phasesMs.connect).toBeGreaterThanOrEqual(0);
  });

  it('fails on a self-signed certificate when not insecure, but is connected and knows the certificate', async () => {
    const certificate = await makeCertificate();
    const url = await serveTls(certificate);
    const result = await probeHttp(target(url), options({ insecure: false }), neverAborted());
    expect(result.connected).toBe(true);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('self-signed certificate');
    expect(result.certificateNotAfterMs).toBe(certificate.notAfter.getTime());
  });

  it('reports an expired certificate with a negative expiration', async () => {
    const certificate = await makeCertificate({
      notBefore: new Date(Date.now() - 20 * 24 * 3600_000),
      notAfter: new Date(Date.now() - 2 * 24 * 3600_000),
    });
    const url = await serveTls(certificate);
    const strict = await probeHttp(target(url), options({ insecure: false }), neverAborted());
    expect(strict.connected).toBe(true);
    // OpenSSL reports the first problem it finds; for an expired self-signed leaf either is true.
    expect(strict.error).toMatch(/^(certificate has expired|self-signed certificate)$/);
    expect(strict.certificateExpirationMs).toBeLessThan(0);

    const insecure = await probeHttp(target(url), options({ insecure: true }), neverAborted());
    expect(insecure.error).toBeUndefined();
    expect(insecure.status).toBe(200);
    expect(insecure.certificateNotAfterMs).toBe(certificate.notAfter.getTime());
    expect(insecure.certificateExpirationMs).toBeLessThan(-24 * 3600_000);
  });

  it('verifies an expired certificate against a trusted CA file as expired', async () => {
    const certificate = await makeCertificate({
      notBefore: new Date(Date.now() - 20 * 24 * 3600_000),
      notAfter: new Date(Date.now() - 2 * 24 * 3600_000),
    });
    const url = await serveTls(certificate);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-http-tls-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, certificate.cert);
      const result = await probeHttp(target(url), options({ tls: { caFile } }), neverAborted());
      expect(result.connected).toBe(true);
      expect(result.error).toBe('certificate has expired');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a server that drops the connection before the handshake as a connected failure', async () => {
    const server = createNetServer((socket) => socket.destroy());
    const { port, close } = await listen(server);
    closers.push(close);
    const result = await probeHttp(target(`https://127.0.0.1:${port}/`), options(), neverAborted());
    expect(result.connected).toBe(true);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/socket disconnected|reset|closed|tls/i);
  });

  it('reports a plain HTTP server on an https URL as a TLS failure', async () => {
    const server = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.resume(); // read the ClientHello so the server sees the client's close
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    const { port, close } = await listen(server);
    closers.push(close);
    const result = await probeHttp(target(`https://127.0.0.1:${port}/`), options(), neverAborted());
    expect(result.connected).toBe(true);
    expect(result.error).toBe('tls handshake failed: wrong version number (not a TLS server?)');
  });
});
