import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package names of the real components integration tests run. */
export const BINARIES = {
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  amtool: ['amtool'],
  prometheus: ['prometheus'],
  promtool: ['promtool'],
  blackbox: ['prometheus-blackbox-exporter', 'blackbox_exporter'],
  chromium: ['chromium', 'chromium-browser'],
} as const;

export type BinaryName = keyof typeof BINARIES;

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Absolute path of the binary, or undefined when it is not installed. */
export function findBinary(name: BinaryName): string | undefined {
  for (const command of BINARIES[name]) {
    const found = which(command);
    if (found) return found;
  }
  return undefined;
}

/**
 * For `describe.skipIf(!binary)`: returns the path, or undefined after a loud warning.
 * When CI=true a missing binary is an error, so the suite fails instead of skipping.
 */
export function requireBinary(name: BinaryName): string | undefined {
  const found = findBinary(name);
  if (found) return found;
  const message = `${name} (${BINARIES[name].join(' or ')}) is not installed: run .ci/run or apt-get install it`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stderr.write(`\n!!!!!!!! SKIPPING: ${message} !!!!!!!!\n\n`);
  return undefined;
}
