import { readFileSync } from 'node:fs';

/** vigil's version, read once from package.json next to src/ or dist/. */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

/** Git revision when built in CI/containers (VIGIL_REVISION), else "unknown". */
export const REVISION: string = process.env.VIGIL_REVISION ?? 'unknown';
