import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);

async function run(paths: string[], env: Record<string, string> = {}): Promise<{ status: number; lines: string[] }> {
  const lines: string[] = [];
  const status = await checkConfig(paths, (line) => lines.push(line), { env });
  return { status, lines };
}

describe('checkConfig', () => {
  it('prints SUCCESS with the endpoint count and returns 0 for a valid config', async () => {
    const { status, lines } = await run([fixture('defaults.yaml')]);
    expect(status).toBe(0);
    expect(lines).toEqual([`Checking ${fixture('defaults.yaml')}`, ' SUCCESS: 1 endpoint found', '']);
  });

  it('prints warnings after SUCCESS: a Gatus config is valid', async () => {
    const { status, lines } = await run([fixture('gatus-external.yaml')]);
    expect(status).toBe(0);
    expect(lines[1]).toBe(' SUCCESS: 1 endpoint found, 2 external');
    expect(lines[2]).toBe(`  WARNING: ${fixture('gatus-external.yaml')}:2:1 remote: Gatus setting not implemented by vigil; ignored`);
    expect(lines.filter((l) => l.startsWith('  WARNING: '))).toHaveLength(3);
  });

  it('prints FAILED and every located error, and returns 1', async () => {
    const { status, lines } = await run([fixture('invalid-resolve.yaml')]);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `Checking ${fixture('invalid-resolve.yaml')}`,
      ' FAILED:',
      `  ${fixture('invalid-resolve.yaml')}:7:12 vigil.resolve: must be one of confirm, explicit, expire`,
      '',
    ]);
  });

  it('checks every path and fails if any fails, including a missing file', async () => {
    const missing = fixture('nope.yaml');
    const { status, lines } = await run([fixture('dir-merge'), missing, fixture('invalid-yaml.yaml')]);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `Checking ${fixture('dir-merge')}`,
      ' SUCCESS: 2 endpoints found',
      '',
      `Checking ${missing}`,
      ' FAILED:',
      `  ${missing}: configuration file not found`,
      '',
      `Checking ${fixture('invalid-yaml.yaml')}`,
      ' FAILED:',
      `  ${fixture('invalid-yaml.yaml')}:3:30: invalid YAML: Missing closing "quote`,
      '',
    ]);
  });

  it('prints environment warnings', async () => {
    const { status, lines } = await run([fixture('env.yaml')], { API_HOST: 'h', API_TOKEN: 't', INTERVAL: '1m', PORT: '1' });
    expect(status).toBe(0);
    expect(lines).toContain(
      `  WARNING: ${fixture('env.yaml')}:6:17 endpoints[0].headers.X-Region: environment variable REGION is not set; expanded to an empty string`,
    );
  });
});
