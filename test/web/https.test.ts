/** web.tls: vigil serves HTTPS only, and serves a renewed certificate without a restart. */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseFlags } from '../../src/flags.js';
import { createLogger } from '../../src/log.js';
import { watchCertificate } from '../../src/web/certificate-reloader.js';
import { makeCertificate, type TestCertificate } from '../helpers/tls-cert.js';

let dir: string;
let app: RunningApp | undefined;
const logs: string[] = [];
const logger = createLogger({ write: (line) => logs.push(line) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-https-'));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fingerprint = (cert: TestCertificate): string => new X509Certificate(cert.cert).fingerprint256;

/** Replaces both files atomically, as cert-manager and certbot do. */
async function install(cert: TestCertificate, certFile: string, keyFile: string): Promise<void> {
  await writeFile(`${certFile}.new`, cert.cert);
  await writeFile(`${keyFile}.new`, cert.key);
  await rename(`${keyFile}.new`, keyFile);
  await rename(`${certFile}.new`, certFile);
}

interface Served {
  status: number;
  body: string;
  fingerprint: string;
}

/** One request on a fresh connection, trusting only `ca`. */
function get(url: string, ca: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      const socket = res.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint: peer.fingerprint256 }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function startWithTls(cert: TestCertificate): Promise<{ file: string; certFile: string; keyFile: string }> {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await install(cert, certFile, keyFile);
  const file = join(dir, 'config.yaml');
  const yaml = ['web:', '  tls:', `    certificate-file: ${certFile}`, `    private-key-file: ${keyFile}`, 'endpoints:', '  - name: self', '    url: tcp://127.0.0.1:1', '    conditions: ["[CONNECTED] == false"]', ''];
  await writeFile(file, yaml.join('\n'));
  const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s', '--web.enable-lifecycle']);
  if (cmd.kind !== 'run') throw new Error('expected run');
  app = await startApp(cmd.flags, logger);
  return { file, certFile, keyFile };
}

const reload = async (a: RunningApp): Promise<boolean> => (await a.reload()).ok;

describe('web.tls', () => {
  it('serves HTTPS with the configured certificate, and nothing over plain HTTP', async () => {
    const cert = await makeCertificate();
    await startWithTls(cert);
    const a = app!;
    expect(a.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const served = await get(`${a.url}/-/healthy`, cert.cert);
    expect(served).toMatchObject({ status: 200, body: 'vigil is Healthy.\n', fingerprint: fingerprint(cert) });
    const plain = await new Promise<string>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${a.port}/-/healthy`, { agent: false }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (err) => resolve(`refused: ${err.message}`));
      req.end();
    });
    expect(plain).not.toBe('answered 200');
  });

  it('serves a renewed certificate after a reload; a broken renewal keeps the old one and the running config', async () => {
    const first = await makeCertificate({ commonName: 'first' });
    const { certFile, keyFile } = await startWithTls(first);
    const a = app!;
    const renewed = await makeCertificate({ commonName: 'renewed' });
    await install(renewed, certFile, keyFile);
    expect(await reload(a)).toBe(true);
    expect((await get(`${a.url}/-/healthy`, renewed.cert)).fingerprint).toBe(fingerprint(renewed));

    // a key that does not belong to the certificate: the reload fails with a located error, nothing changes
    const other = await makeCertificate({ commonName: 'other' });
    await writeFile(keyFile, other.key);
    const outcome = await a.reload();
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.join('\n')).toMatch(/web\.tls\.private-key-file: the private key in .* does not match the certificate/);
    expect(outcome.errors.join('\n')).not.toContain('PRIVATE KEY');
    expect((await get(`${a.url}/-/healthy`, renewed.cert)).fingerprint).toBe(fingerprint(renewed));
  });
});

describe('watchCertificate', () => {
  it('serves files replaced in place without any reload, and keeps serving when a replacement is broken', async () => {
    const certFile = join(dir, 'w.crt');
    const keyFile = join(dir, 'w.key');
    const first = await makeCertificate({ commonName: 'first' });
    await install(first, certFile, keyFile);
    const served: string[] = [];
    const errors: string[] = [];
    const watchLogger = createLogger({ write: (line) => (line.includes('level=error') || line.includes('"error"') ? errors : []).push(line) });
    const watcher = watchCertificate({
      files: () => ({ certificateFile: certFile, privateKeyFile: keyFile }),
      serve: (pair) => served.push(new X509Certificate(pair.cert).fingerprint256),
      logger: watchLogger,
      intervalMs: 3_600_000,
    });
    try {
      expect(watcher.check()).toBe(false);
      const renewed = await makeCertificate({ commonName: 'renewed' });
      await install(renewed, certFile, keyFile);
      expect(watcher.check()).toBe(true);
      expect(served).toEqual([fingerprint(renewed)]);
      expect(watcher.check()).toBe(false);

      await writeFile(`${certFile}.new`, 'not a certificate\n');
      await rename(`${certFile}.new`, certFile);
      expect(watcher.check()).toBe(false);
      expect(served).toEqual([fingerprint(renewed)]);
      expect(errors.join('\n')).toContain('still serving the previous certificate');
      expect(watcher.check()).toBe(false);
      expect(errors).toHaveLength(1);
    } finally {
      watcher.stop();
    }
  });
});
