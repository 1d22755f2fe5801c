/**
 * Values sealed into cookies: AES-256-GCM with a key derived (HKDF-SHA256) from a secret every
 * replica shares through its config, so a login made on one replica is accepted by all of them
 * and survives restarts, with nothing stored server-side. The purpose is authenticated data: a
 * value sealed for one cookie cannot be replayed as another. Expiry is inside the sealed value.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  seal(purpose: string, value: Record<string, unknown>, expiresAtMs: number): string;
  /** The value, or undefined when tampered with, sealed for another purpose or key, or expired. */
  unseal(purpose: string, token: string, nowMs: number): Record<string, unknown> | undefined;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Cookies stay well under browsers' 4 KiB limit; longer input is not ours. */
const MAX_TOKEN_CHARS = 3_000;

export function createSealer(secret: string, context: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'vigil sealed cookie', context, 32));
  return {
    seal(purpose, value, expiresAtMs) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp: expiresAtMs })), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    unseal(purpose, token, nowMs) {
      if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
      const raw = Buffer.from(token, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
        const parsed = JSON.parse(text) as { v?: unknown; exp?: unknown };
        if (typeof parsed.exp !== 'number' || parsed.exp <= nowMs) return undefined;
        return typeof parsed.v === 'object' && parsed.v !== null ? (parsed.v as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** The named cookie of a request's Cookie header (first occurrence), undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
