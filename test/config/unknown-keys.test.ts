import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';
import type { ConfigIssue } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);
const show = (issues: readonly ConfigIssue[]): string[] => issues.map((i) => formatIssue({ ...i, file: basename(i.file) }));
const IGNORED = 'unknown key, not a Gatus or vigil setting; ignored (as Gatus does)';

describe('unknown keys in a Gatus config', () => {
  it('a key from a newer Gatus (far from any known key) is one warning, once per key path, and the config loads', async () => {
    const config = await loadConfig(fixture('gatus-newer-keys.yaml'), { env: {} });
    expect(config.endpoints.map((e) => e.key)).toEqual(['_api', '_web']);
    expect(show(config.warnings)).toEqual([
      `gatus-newer-keys.yaml:2:1 experimental-flags: ${IGNORED}`,
      `gatus-newer-keys.yaml:8:5 endpoints[0].retry-policy: ${IGNORED}`,
      `gatus-newer-keys.yaml:10:7 endpoints[0].client.happy-eyeballs: ${IGNORED}`,
      `gatus-newer-keys.yaml:15:9 endpoints[0].alerts[0].escalation-policy: ${IGNORED}`,
      `gatus-newer-keys.yaml:4:3 ui.sparkline-style: ${IGNORED}`,
    ]);
  });

  it('a key close to a known one is still an error with "did you mean"', async () => {
    const err = await loadConfig(fixture('invalid-unknown-key.yaml'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(show((err as ConfigError).issues)).toEqual(['invalid-unknown-key.yaml:4:5 endpoints[0].intreval: unknown key (did you mean interval?)']);
  });

  it("vigil's own section stays strict: any unknown key there is an error", async () => {
    const err = await loadConfig(fixture('invalid-vigil-unknown.yaml'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(show((err as ConfigError).issues)).toEqual(['invalid-vigil-unknown.yaml:3:3 vigil.quorum-size: unknown key']);
  });
});

describe('announcements', () => {
  it('are validated as Gatus does: RFC 3339 timestamp, a known type, a message', async () => {
    const err = await loadConfig(fixture('invalid-announcements.yaml'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(show((err as ConfigError).issues)).toEqual([
      'invalid-announcements.yaml:2:16 announcements[0].timestamp: expected an RFC 3339 time such as 2025-01-01T10:00:00Z',
      'invalid-announcements.yaml:3:11 announcements[0].type: must be one of outage, warning, information, operational, none',
      'invalid-announcements.yaml:5:5 announcements[1].message: required',
    ]);
  });
});
