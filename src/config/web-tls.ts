/**
 * Gatus `web.tls`: the certificate chain and private key vigil serves HTTPS with. The files are
 * read the way config files are (opened non-blocking, regular files only, size-capped) and the
 * pair is checked by building a TLS context, so a wrong or mismatched file is a located load
 * error and a bad renewal never replaces a working certificate.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { Section } from './reader.js';
import type { WebTlsConfig } from './schema.js';

/** A PEM chain or key is a few KiB; anything past this is not one. */
export const MAX_PEM_BYTES = 1 << 20;

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  /** notAfter of the first (leaf) certificate in the chain. */
  notAfter: Date;
}

/** Which file a problem is about, and what it is (never the file's content). */
export class TlsFileError extends Error {
  constructor(
    readonly file: 'certificate-file' | 'private-key-file' | 'pair',
    message: string,
  ) {
    super(message);
  }
}

function readPem(path: string, which: 'certificate-file' | 'private-key-file'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'read error';
    throw new TlsFileError(which, `cannot read ${path} (${code})`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new TlsFileError(which, `${path} is not a regular file`);
    if (info.size > MAX_PEM_BYTES) throw new TlsFileError(which, `${path} is larger than ${MAX_PEM_BYTES} bytes`);
    const buffer = Buffer.alloc(info.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks both files; throws TlsFileError naming the file at fault. */
export function readTlsPair(files: WebTlsConfig): TlsPair {
  const cert = readPem(files.certificateFile, 'certificate-file');
  const key = readPem(files.privateKeyFile, 'private-key-file');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new TlsFileError('certificate-file', `${files.certificateFile} holds no PEM certificate`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'invalid';
    const mismatch = reason === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /KEY_VALUES_MISMATCH/.test(reason);
    throw mismatch
      ? new TlsFileError('pair', `the private key in ${files.privateKeyFile} does not match the certificate in ${files.certificateFile}`)
      : new TlsFileError('private-key-file', `${files.privateKeyFile} holds no usable PEM private key (${reason})`);
  }
  return { cert, key, notAfter: new Date(leaf.validTo) };
}

/** `web.tls` of the config: both keys required, the pair checked now; an expired certificate is a warning. */
export function readWebTls(section: Section, now: () => number = Date.now): WebTlsConfig | undefined {
  section.checkKeys({ known: ['certificate-file', 'private-key-file'] });
  const files: WebTlsConfig = { certificateFile: section.required('certificate-file'), privateKeyFile: section.required('private-key-file') };
  if (files.certificateFile.trim() === '' || files.privateKeyFile.trim() === '') return undefined;
  try {
    const pair = readTlsPair(files);
    if (pair.notAfter.getTime() <= now()) {
      const path = section.child('certificate-file');
      section.issues.warnOnce(path, section.locOf('certificate-file'), path, `the certificate expired at ${pair.notAfter.toISOString()}`);
    }
  } catch (err) {
    if (!(err instanceof TlsFileError)) throw err;
    section.error(err.file === 'pair' ? 'private-key-file' : err.file, err.message);
  }
  return files;
}
