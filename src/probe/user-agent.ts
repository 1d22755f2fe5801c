/** `vigil/<version>`, the default User-Agent of the HTTP-speaking probers. Read once at import. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // src/probe/ and dist/probe/ are both two levels below package.json.
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    const version = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const VIGIL_VERSION: string = readVersion();
export const USER_AGENT = `vigil/${VIGIL_VERSION}`;
