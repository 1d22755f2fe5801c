/**
 * `vigil check-config`, like `promtool check config`: one block per path, every error and
 * warning located; 0 when every path is valid, else 1.
 */
import { ConfigError, formatIssue } from '../errors.js';
import { inspectConfig } from './load.js';
import type { LoadOptions } from './load.js';

export async function checkConfig(paths: string[], write: (line: string) => void, options: LoadOptions = {}): Promise<number> {
  let status = 0;
  for (const path of paths) {
    write(`Checking ${path}`);
    try {
      const report = await inspectConfig(path, options);
      if (report.config !== undefined) {
        const n = report.config.endpoints.length;
        const external = report.config.externalEndpoints.length;
        write(` SUCCESS: ${n} endpoint${n === 1 ? '' : 's'} found${external > 0 ? `, ${external} external` : ''}`);
      } else {
        status = 1;
        write(` FAILED:`);
        for (const issue of report.errors) write(`  ${formatIssue(issue)}`);
      }
      for (const issue of report.warnings) write(`  WARNING: ${formatIssue(issue)}`);
    } catch (err) {
      status = 1;
      if (err instanceof ConfigError) {
        write(` FAILED:`);
        for (const issue of err.issues) write(`  ${formatIssue(issue)}`);
      } else {
        write(` FAILED: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    write('');
  }
  return status;
}
