/**
 * Keeps the served certificate current. cert-manager, certbot and Kubernetes secret volumes
 * replace the web.tls files in place without telling anyone, so the files are looked at every
 * interval (and on every config reload); a changed pair is read, checked and served to new
 * connections. A pair that fails the check is logged once and the one being served stays.
 */
import { statSync } from 'node:fs';
import type { WebTlsConfig } from '../config/schema.js';
import { readTlsPair, type TlsPair } from '../config/web-tls.js';
import type { Logger } from '../log.js';

export interface CertificateReloader {
  /** Reads the files again if they changed since the last look; true when a new pair is served. */
  check(): boolean;
  stop(): void;
}

export interface CertificateReloaderOptions {
  files: () => WebTlsConfig | undefined;
  serve: (pair: TlsPair) => void;
  logger: Logger;
  /** How often the files are looked at (default 60 s). */
  intervalMs?: number;
}

function signature(files: WebTlsConfig): string {
  const one = (path: string): string => {
    try {
      const info = statSync(path);
      return `${path}:${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return `${path}:missing`;
    }
  };
  return `${one(files.certificateFile)}|${one(files.privateKeyFile)}`;
}

export function watchCertificate(options: CertificateReloaderOptions): CertificateReloader {
  const initial = options.files();
  let seen = initial ? signature(initial) : '';
  const check = (): boolean => {
    const files = options.files();
    if (!files) return false;
    const now = signature(files);
    if (now === seen) return false;
    seen = now;
    try {
      const pair = readTlsPair(files);
      options.serve(pair);
      options.logger.info('serving a renewed web.tls certificate', { file: files.certificateFile, notAfter: pair.notAfter.toISOString() });
      return true;
    } catch (err) {
      options.logger.error('web.tls files changed but cannot be used; still serving the previous certificate', {
        file: files.certificateFile,
        error: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  };
  const timer = setInterval(check, options.intervalMs ?? 60_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
