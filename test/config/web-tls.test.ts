/** web.tls at load: every problem with the files is a located error naming the file, never its content. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';
import { makeCertificate, type TestCertificate } from '../helpers/tls-cert.js';

let dir: string;
let good: TestCertificate;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-web-tls-'));
  good = await makeCertificate();
  certFile = join(dir, 'tls.crt');
  keyFile = join(dir, 'tls.key');
  await writeFile(certFile, good.cert);
  await writeFile(keyFile, good.key);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configWith(tls: string[]): Promise<string> {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  const yaml = ['web:', '  port: 8443', '  tls:', ...tls.map((l) => `    ${l}`), 'endpoints:', '  - name: a', '    url: tcp://127.0.0.1:1', '    conditions: ["[CONNECTED] == false"]', ''];
  await writeFile(file, yaml.join('\n'));
  return file;
}

async function errorsOf(file: string): Promise<string[]> {
  const err = await loadConfig(file, { env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  return err.issues.map((issue) => formatIssue({ ...issue, file: basename(issue.file) }).replace(basename(file), 'c.yaml'));
}

describe('web.tls', () => {
  it('loads a matching pair', async () => {
    const config = await loadConfig(await configWith([`certificate-file: ${certFile}`, `private-key-file: ${keyFile}`]), { env: {} });
    expect(config.web?.tls).toEqual({ certificateFile: certFile, privateKeyFile: keyFile });
    expect(config.warnings).toEqual([]);
  });

  // the key file's path sits under a secret-looking key, so config errors redact it like any such value
  it('reports a missing key, a missing file, a non-PEM file and a mismatched key, each at its line', async () => {
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'hello\n');
    const other = await makeCertificate({ commonName: 'other' });
    const otherKey = join(dir, 'other.key');
    await writeFile(otherKey, other.key);
    expect(await errorsOf(await configWith([`certificate-file: ${certFile}`]))).toEqual(['c.yaml:4:5 web.tls.private-key-file: required']);
    expect(await errorsOf(await configWith([`certificate-file: ${join(dir, 'nope.crt')}`, `private-key-file: ${keyFile}`]))).toEqual([
      `c.yaml:4:23 web.tls.certificate-file: cannot read ${join(dir, 'nope.crt')} (ENOENT)`,
    ]);
    expect(await errorsOf(await configWith([`certificate-file: ${garbage}`, `private-key-file: ${keyFile}`]))).toEqual([
      `c.yaml:4:23 web.tls.certificate-file: ${garbage} holds no PEM certificate`,
    ]);
    const badKey = await errorsOf(await configWith([`certificate-file: ${certFile}`, `private-key-file: ${garbage}`]));
    expect(badKey[0]).toMatch(
      /^c\.yaml:5:23 web\.tls\.private-key-file: <redacted> holds no usable PEM private key/,
    );
    const mismatch = await errorsOf(await configWith([`certificate-file: ${certFile}`, `private-key-file: ${otherKey}`]));
    expect(mismatch).toEqual([`c.yaml:5:23 web.tls.private-key-file: the private key in <redacted> does not match the certificate in ${certFile}`]);
    expect(mismatch.join('\n')).not.toContain('BEGIN');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo.pem');
    execFileSync('mkfifo', [fifo]);
    expect(await errorsOf(await configWith([`certificate-file: ${fifo}`, `private-key-file: ${keyFile}`]))).toEqual([
      `c.yaml:4:23 web.tls.certificate-file: ${fifo} is not a regular file`,
    ]);
  });

  it('warns about an expired certificate (it still loads: renewing it is a file change away)', async () => {
    const expired = await makeCertificate({ notBefore: new Date(Date.now() - 20 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const c = join(dir, 'expired.crt');
    const k = join(dir, 'expired.key');
    await writeFile(c, expired.cert);
    await writeFile(k, expired.key);
    const config = await loadConfig(await configWith([`certificate-file: ${c}`, `private-key-file: ${k}`]), { env: {} });
    expect(config.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([`web.tls.certificate-file: the certificate expired at ${expired.notAfter.toISOString()}`]);
  });
});
