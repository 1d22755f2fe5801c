import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);

describe('maintenance config', () => {
  it('reads the global window and per-endpoint windows (disabled ones dropped unchecked, as in Gatus), without warnings', async () => {
    const config = await loadConfig(fixture('gatus-maintenance.yaml'), { env: {} });
    expect(config.maintenance).toEqual([{ startMinutes: 23 * 60, durationMs: 3_600_000, timezone: 'Europe/Amsterdam', every: [1, 4] }]);
    expect(config.endpoints[0]?.maintenanceWindows).toEqual([{ startMinutes: 120, durationMs: 1_800_000, timezone: 'UTC', every: [0] }]);
    expect(config.externalEndpoints[0]?.maintenanceWindows).toEqual([{ startMinutes: 240, durationMs: 7_200_000, timezone: 'UTC', every: [] }]);
    expect(config.warnings).toEqual([]);
  });

  it('a disabled or absent global section means no maintenance', async () => {
    const config = await loadConfig(fixture('defaults.yaml'), { env: {} });
    expect(config.maintenance).toEqual([]);
    expect(config.endpoints[0]?.maintenanceWindows).toEqual([]);
  });

  it('reports every invalid field, located', async () => {
    const err = await loadConfig(fixture('invalid-maintenance.yaml'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => formatIssue({ ...i, file: basename(i.file) }))).toEqual([
      'invalid-maintenance.yaml:2:10 maintenance.start: must be hh:mm, between 00:00 and 23:59 (e.g. 23:00)',
      'invalid-maintenance.yaml:3:13 maintenance.duration: must be greater than 0 and at most 24h (e.g. 30m)',
      'invalid-maintenance.yaml:4:13 maintenance.timezone: unknown time zone: use an IANA name such as Europe/Amsterdam or America/Sao_Paulo',
      'invalid-maintenance.yaml:5:11 maintenance.every[0]: must be one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday',
      'invalid-maintenance.yaml:10:19 endpoints[0].maintenance-windows[0].duration: must be greater than 0 and at most 24h (e.g. 30m)',
      'invalid-maintenance.yaml:11:16 endpoints[0].maintenance-windows[0].start: must be hh:mm, between 00:00 and 23:59 (e.g. 23:00)',
    ]);
  });
});
