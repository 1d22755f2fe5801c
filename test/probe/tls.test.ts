import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { TlsOptions, TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTlsProber, probeTls } from '../../src/probe/tls.js';
import type { ProbeOptions, ProbeTarget } from '../../src/probe/types.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import type { TestCertificate } from '../helpers/tls-cert.js';

const DAY_MS = 24 * 3600_000;
const NOW_MS = Date.parse('2026-06-01T00:00:00Z');

const options: ProbeOptions = {
  timeoutMs: 3000,
  insecure: false,
  followRedirects: true,
  maxRedirects: 10,
  maxBodyBytes: 1024 * 1024,
  network: 'ip',
};

function tlsTarget(port: number, body = ''): ProbeTarget {
  return { url: new URL(`tls://127.0.0.1:${port}`), method: 'GET', headers: {}, body };
}

/** A TLS server that answers each line with `hello <client CN or anonymous>`. */
async function startTlsServer(tlsOptions: TlsOptions) {
  const server = createTlsServer(tlsOptions, (socket: TLSSocket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => {
      const peer = socket.getPeerCertificate();
      const cn = peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : 'anonymous';
      socket.end(`hello ${cn}`);
    });
  });
  server.on('tlsClientError', () => undefined);
  return listen(server as unknown as Server);
}

describe('probeTls', () => {
  let dir: string;
  let valid: TestCertificate;
  let validCaFile: string;
  let server: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-tls-'));
    valid = await makeCertificate({ notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') });
    validCaFile = join(dir, 'valid.pem');
    await writeFile(validCaFile, valid.cert);
    server = await startTlsServer({ key: valid.key, cert: valid.cert });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes the handshake and reports notAfter, expiration from now, TLS version and phases', async () => {
    const result = await createTlsProber(() => NOW_MS)(tlsTarget(server.port), { ...options, tls: { caFile: validCaFile } }, new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ connected: true, ip: '127.0.0.1', tlsVersion: 'TLSv1.3' });
    expect(result.certificateNotAfterMs).toBe(valid.notAfter.getTime());
    expect(result.certificateExpirationMs).toBe(valid.notAfter.getTime() - NOW_MS);
    expect(result.phasesMs.connect).toBeGreaterThan(0);
    expect(result.phasesMs.tls).toBeGreaterThan(0);
  });

  it('fails an untrusted (self-signed) certificate with a clear error but still reports its dates', async () => {
    const result = await probeTls(tlsTarget(server.port), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'self-signed certificate', certificateNotAfterMs: valid.notAfter.getTime() });
    expect(result.certificateExpirationMs).toBeGreaterThan(0);
  });

  it('accepts the untrusted certificate when insecure', async () => {
    const result = await probeTls(tlsTarget(server.port), { ...options, insecure: true }, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, certificateNotAfterMs: valid.notAfter.getTime() });
    expect(result.error).toBeUndefined();
  });

  it('checks the name: a certificate for localhost/127.0.0.1 does not match another server name', async () => {
    const result = await probeTls(tlsTarget(server.port), { ...options, tls: { caFile: validCaFile, serverName: 'other.test' } }, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'certificate is not valid for this host name' });
  });

  it('sends the body after the handshake and reports the first reply', async () => {
    const result = await probeTls(tlsTarget(server.port, 'hi\n'), { ...options, insecure: true }, new AbortController().signal);
    expect(result).toMatchObject({ connected: true, body: 'hello anonymous' });
    expect(result.phasesMs.processing).toBeGreaterThan(0);
  });

  it('reports an expired certificate as failed, with a negative expiration', async () => {
    const expired = await makeCertificate({ notBefore: new Date(Date.now() - 60 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) });
    const caFile = join(dir, 'expired.pem');
    await writeFile(caFile, expired.cert);
    const expiredServer = await startTlsServer({ key: expired.key, cert: expired.cert });
    try {
      const result = await probeTls(tlsTarget(expiredServer.port), { ...options, tls: { caFile } }, new AbortController().signal);
      expect(result).toMatchObject({ connected: false, error: 'certificate has expired', certificateNotAfterMs: expired.notAfter.getTime() });
      expect(result.certificateExpirationMs).toBeLessThan(0);
      const insecure = await probeTls(tlsTarget(expiredServer.port), { ...options, insecure: true }, new AbortController().signal);
      expect(insecure).toMatchObject({ connected: true, certificateNotAfterMs: expired.notAfter.getTime() });
      expect(insecure.certificateExpirationMs).toBeLessThan(0);
    } finally {
      await expiredServer.close();
    }
  });

  it('reports the earliest notAfter of the chain (an intermediate expiring before the leaf)', async () => {
    const caNotAfter = new Date('2030-01-01T00:00:00Z');
    const ca = await generate([{ name: 'commonName', value: 'vigil test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date('2026-01-01T00:00:00Z'),
      notAfterDate: caNotAfter,
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }],
    });
    const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date('2026-01-01T00:00:00Z'),
      notAfterDate: new Date('2035-01-01T00:00:00Z'),
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const caFile = join(dir, 'chain-ca.pem');
    await writeFile(caFile, ca.cert);
    const chainServer = await startTlsServer({ key: leaf.private, cert: `${leaf.cert}\n${ca.cert}` });
    try {
      const result = await probeTls(tlsTarget(chainServer.port), { ...options, tls: { caFile } }, new AbortController().signal);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ connected: true, certificateNotAfterMs: caNotAfter.getTime() });
    } finally {
      await chainServer.close();
    }
  });

  it('times out against a server that accepts TCP but never speaks TLS', async () => {
    // reads and ignores everything; closes when the probe closes its side
    const silent = createNetServer((socket) => socket.resume());
    const { port, close } = await listen(silent);
    try {
      const result = await probeTls(tlsTarget(port), { ...options, timeoutMs: 200 }, new AbortController().signal);
      expect(result).toMatchObject({ connected: false, error: 'timeout after 200ms' });
      expect(result.responseTimeMs).toBeLessThan(1500);
    } finally {
      await close();
    }
  });

  it('reports connection refused on a closed port', async () => {
    const { port, close } = await listen(createNetServer());
    await close();
    const result = await probeTls(tlsTarget(port), options, new AbortController().signal);
    expect(result).toMatchObject({ connected: false, error: 'connection refused' });
  });
});

describe('probeTls with a server requiring a client certificate (mTLS)', () => {
  let dir: string;
  let server: TestCertificate;
  let files: { caFile: string; certificateFile: string; privateKeyFile: string };
  let tls13: { port: number; close: () => Promise<void> };
  let tls12: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-mtls-'));
    server = await makeCertificate();
    const client = await makeCertificate({ commonName: 'vigil-probe' });
    files = { caFile: join(dir, 'server.pem'), certificateFile: join(dir, 'client.pem'), privateKeyFile: join(dir, 'client-key.pem') };
    await writeFile(files.caFile, server.cert);
    await writeFile(files.certificateFile, client.cert);
    await writeFile(files.privateKeyFile, client.key);
    const mtls: TlsOptions = { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true };
    tls13 = await startTlsServer(mtls);
    tls12 = await startTlsServer({ ...mtls, maxVersion: 'TLSv1.2' });
  });
  afterAll(async () => {
    await tls13.close();
    await tls12.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('presents the client certificate from options.tls and is accepted', async () => {
    const result = await probeTls(tlsTarget(tls13.port, 'who am i\n'), { ...options, tls: files }, new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ connected: true, body: 'hello vigil-probe', tlsVersion: 'TLSv1.3' });
  });

  it('fails the handshake without a client certificate (TLS 1.2 server)', async () => {
    const result = await probeTls(tlsTarget(tls12.port), { ...options, tls: { caFile: files.caFile } }, new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.error).toMatch(/handshake failure|certificate/i);
  });

  it('gets the rejection after the handshake without a client certificate (TLS 1.3 server, body exchanged)', async () => {
    const result = await probeTls(tlsTarget(tls13.port, 'who am i\n'), { ...options, tls: { caFile: files.caFile } }, new AbortController().signal);
    expect(result.body).toBeUndefined();
    expect(result.error).toMatch(/certificate required/i);
  });
});
