/** vigil config files for the HA integration tests: one endpoint probed every second. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HaConfigOptions {
  /** Endpoint name (group `core`): the alert's labels, identical across replicas. */
  endpoint: string;
  targetUrl: string;
  /** Default 2s. */
  resendInterval?: string;
  /** vigil.resolve; default: vigil's default. */
  resolve?: 'confirm' | 'explicit' | 'expire';
  /** File name inside dir (default `${endpoint}.yaml`). */
  file?: string;
}

/** Writes the config into dir; fires after 2 failures, resolves after 2 successes (1 s interval), resolved notifications on. */
export async function writeHaConfig(dir: string, options: HaConfigOptions): Promise<string> {
  const file = join(dir, options.file ?? `${options.endpoint}.yaml`);
  const yaml = [
    'vigil:',
    `  resend-interval: ${options.resendInterval ?? '2s'}`,
    ...(options.resolve ? [`  resolve: ${options.resolve}`] : []),
    'endpoints:',
    `  - name: ${options.endpoint}`,
    '    group: core',
    `    url: ${options.targetUrl}`,
    '    interval: 1s',
    '    conditions:',
    "      - '[STATUS] == 200'",
    '    alerts:',
    '      - type: slack',
    '        failure-threshold: 2',
    '        success-threshold: 2',
    '        send-on-resolved: true',
    '',
  ].join('\n');
  await writeFile(file, yaml);
  return file;
}
