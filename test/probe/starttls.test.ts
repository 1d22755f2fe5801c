import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { probeStarttls } from '../../src/probe/starttls.js';
import { listen } from '../helpers/listen.js';
import { closedPort, makeOptions, makeTarget, probeSilentServer } from '../helpers/protocol-probe.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import type { TestCertificate } from '../helpers/tls-cert.js';

async function startSmtp(options: SMTPServerOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const smtp = new SMTPServer({ authOptional: true, logger: false, ...options });
  const { port } = await listen(smtp.server);
  return { port, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

describe('probeStarttls', () => {
  let cert: TestCertificate;
  let server: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    cert = await makeCertificate({ notAfter: new Date('2030-06-07T08:09:10Z') });
    server = await startSmtp({ key: cert.key, cert: cert.cert });
  });
  afterAll(async () => {
    await server.close();
  });

  it('upgrades with STARTTLS and reports the certificate notAfter and TLS version when insecure', async () => {
    const result = await probeStarttls(makeTarget(`starttls://127.0.0.1:${server.port}`), makeOptions({ insecure: true }), new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.certificateNotAfterMs).toBe(cert.notAfter.getTime());
    expect(result.certificateExpirationMs).toBeGreaterThan(0);
    expect(result.certificateExpirationMs).toBeLessThanOrEqual(cert.notAfter.getTime() - Date.now() + 1000);
    expect(result.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(result.ip).toBe('127.0.0.1');
    expect(result.phasesMs.tls).toBeGreaterThan(0);
    expect(result.responseTimeMs).toBeGreaterThan(0);
  });

  it('fails verification of a self-signed certificate when not insecure', async () => {
    const result = await probeStarttls(makeTarget(`starttls://127.0.0.1:${server.port}`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.error).toMatch(/self[- ]signed/i);
  });

  it('fails when the server does not offer STARTTLS', async () => {
    const noTls = await startSmtp({ disabledCommands: ['STARTTLS'] });
    try {
      const result = await probeStarttls(makeTarget(`starttls://127.0.0.1:${noTls.port}`), makeOptions({ insecure: true }), new AbortController().signal);
      expect(result.connected).toBe(false);
      expect(result.error).toMatch(/^STARTTLS: unexpected SMTP reply 5\d\d/);
    } finally {
      await noTls.close();
    }
  });

  it('fails when the port is closed', async () => {
    const port = await closedPort();
    const result = await probeStarttls(makeTarget(`starttls://127.0.0.1:${port}`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.error).toBe('connection refused');
  });

  it('times out on a server that accepts and never greets', async () => {
    const { result, elapsedMs } = await probeSilentServer(probeStarttls, (port) => `starttls://127.0.0.1:${port}`, { timeoutMs: 300 });
    expect(result.connected).toBe(false);
    expect(result.error).toBe('timeout after 300ms');
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('stops promptly when the caller aborts', async () => {
    const { result } = await probeSilentServer(probeStarttls, (port) => `starttls://127.0.0.1:${port}`, { timeoutMs: 5000, abortAfterMs: 100 });
    expect(result.connected).toBe(false);
    expect(result.error).toBe('probe aborted');
    expect(result.responseTimeMs).toBeLessThan(1500);
  });
});
