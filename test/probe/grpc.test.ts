import { readdirSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, grpcDetails, probeGrpc } from '../../src/probe/grpc.js';
import { NOT_SERVING, SERVING, startHealthServer } from '../helpers/grpc-health-server.js';
import { closedPort, listenSilent, makeOptions, makeTarget, probeSilentServer } from '../helpers/protocol-probe.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import type { TestCertificate } from '../helpers/tls-cert.js';

const statuses = new Map([
  ['', SERVING],
  ['my.Service', SERVING],
  ['sick.Service', NOT_SERVING],
]);

describe('health protobuf codec', () => {
  it('encodes the service name as field 1 and omits an empty one', () => {
    expect(encodeHealthCheckRequest('')).toEqual(Buffer.alloc(0));
    expect(encodeHealthCheckRequest('a.B')).toEqual(Buffer.from([0x0a, 3, 0x61, 0x2e, 0x42]));
    expect(encodeHealthCheckRequest('x'.repeat(200)).subarray(0, 3)).toEqual(Buffer.from([0x0a, 0xc8, 0x01]));
  });

  it('decodes the status, defaulting to UNKNOWN, and rejects truncated input', () => {
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 3]))).toBe('SERVICE_UNKNOWN');
    expect(() => decodeHealthCheckResponse(Buffer.from([0x12, 5, 1]))).toThrow(/truncated/);
  });
});

describe('probeGrpc', () => {
  let plain: { port: number; close: () => Promise<void> };
  let secure: { port: number; close: () => Promise<void> };
  let cert: TestCertificate;

  beforeAll(async () => {
    cert = await makeCertificate({ notAfter: new Date('2029-09-09T09:09:09Z') });
    plain = await startHealthServer(statuses);
    secure = await startHealthServer(statuses, cert);
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  it('reports overall server health as {"status":"SERVING"} when the path is empty', async () => {
    const result = await probeGrpc(makeTarget(`grpc://127.0.0.1:${plain.port}`), makeOptions(), new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.body).toBe('{"status":"SERVING"}');
    expect(result.status).toBeUndefined();
    expect(result.ip).toBe('127.0.0.1');
    expect(result.responseTimeMs).toBeGreaterThan(0);
  });

  it('asks for the service named by the URL path', async () => {
    const serving = await probeGrpc(makeTarget(`grpc://127.0.0.1:${plain.port}/my.Service`), makeOptions(), new AbortController().signal);
    expect(serving.body).toBe('{"status":"SERVING"}');
    const sick = await probeGrpc(makeTarget(`grpc://127.0.0.1:${plain.port}/sick.Service`), makeOptions(), new AbortController().signal);
    expect(sick.connected).toBe(true);
    expect(sick.error).toBeUndefined();
    expect(sick.body).toBe('{"status":"NOT_SERVING"}');
  });

  it('reports an unknown service as SERVICE_UNKNOWN with the NOT_FOUND error', async () => {
    const result = await probeGrpc(makeTarget(`grpc://127.0.0.1:${plain.port}/nope.Service`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(true);
    expect(result.body).toBe('{"status":"SERVICE_UNKNOWN"}');
    expect(result.error).toBe('grpc NOT_FOUND: unknown service');
  });

  it('speaks TLS for grpcs:// when insecure, and reports the certificate notAfter', async () => {
    const result = await probeGrpc(makeTarget(`grpcs://127.0.0.1:${secure.port}/my.Service`), makeOptions({ insecure: true }), new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.body).toBe('{"status":"SERVING"}');
    expect(result.certificateNotAfterMs).toBe(cert.notAfter.getTime());
    expect(result.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(result.phasesMs.tls).toBeGreaterThan(0);
  });

  it('rejects the self-signed certificate for grpcs:// when not insecure', async () => {
    const result = await probeGrpc(makeTarget(`grpcs://127.0.0.1:${secure.port}`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.body).toBeUndefined();
    expect(result.error).toBe('self-signed certificate');
  });

  it('fails with connected=false on a closed port', async () => {
    const port = await closedPort();
    const result = await probeGrpc(makeTarget(`grpc://127.0.0.1:${port}`), makeOptions(), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(result.error).toBe('connection refused');
  });

  it('times out on a server that accepts and never speaks HTTP/2', async () => {
    const { result, elapsedMs } = await probeSilentServer(probeGrpc, (port) => `grpc://127.0.0.1:${port}`, { timeoutMs: 300 });
    expect(result.body).toBeUndefined();
    expect(result.error).toBe('timeout after 300ms');
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('says in one line that a server answering HTTP/1.1 is not an HTTP/2 server', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    });
    const { port, close } = await listen(server);
    try {
      const result = await probeGrpc(makeTarget(`grpc://127.0.0.1:${port}`), makeOptions(), new AbortController().signal);
      expect(result.error).toBe('grpc UNAVAILABLE: no connection: protocol error (not an HTTP/2 server?)');
    } finally {
      await close();
    }
  });

  it('cleans grpc-js details of timestamps and resolver notes', () => {
    expect(grpcDetails('No connection established. Last error: Protocol error (2026-12-03T13:13:02.391Z). Resolution note: ')).toBe(
      'no connection: protocol error (not an HTTP/2 server?)',
    );
    expect(grpcDetails('')).toBe('call failed');
    expect(grpcDetails('Received RST_STREAM with code 2')).toBe('Received RST_STREAM with code 2');
  });

  it('stops promptly when the caller aborts', async () => {
    const { result } = await probeSilentServer(probeGrpc, (port) => `grpc://127.0.0.1:${port}`, { timeoutMs: 5000, abortAfterMs: 100 });
    expect(result.error).toBe('probe aborted');
    expect(result.responseTimeMs).toBeLessThan(1500);
  });
});

describe('probeGrpc does not leak sockets', () => {
  const openFds = () => readdirSync('/proc/self/fd').length;

  async function fdsSettle(baseline: number): Promise<number> {
    // a few fds may come and go (vitest's own pipes): allow a small constant above the baseline
    await expect.poll(openFds, { timeout: 10_000, interval: 100 }).toBeLessThanOrEqual(baseline + 6);
    return openFds();
  }

  it('closes the connection to a server that accepts and never speaks HTTP/2 (50 probes)', async () => {
    const silent = await listenSilent();
    try {
      const baseline = openFds();
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => probeGrpc(makeTarget(`grpc://127.0.0.1:${silent.port}`), makeOptions({ timeoutMs: 200 }), new AbortController().signal)),
        );
        expect(results.every((r) => r.error === 'timeout after 200ms')).toBe(true);
      }
      await fdsSettle(baseline);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('closes the connection of a probe aborted in flight (50 probes)', async () => {
    const silent = await listenSilent();
    try {
      const baseline = openFds();
      for (let round = 0; round < 5; round++) {
        const controller = new AbortController();
        const pending = Array.from({ length: 10 }, () => probeGrpc(makeTarget(`grpc://127.0.0.1:${silent.port}`), makeOptions({ timeoutMs: 5000 }), controller.signal));
        setTimeout(() => controller.abort(), 100);
        const results = await Promise.all(pending);
        expect(results.every((r) => r.error === 'probe aborted')).toBe(true);
      }
      await fdsSettle(baseline);
    } finally {
      await silent.close();
    }
  }, 30_000);
});
