import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

async function load(lines: string[]) {
  const file = join(await mkdtemp(join(tmpdir(), 'vigil-storage-')), 'config.yaml');
  await writeFile(file, [...lines, 'endpoints:', '  - name: a', '    url: http://127.0.0.1:1/', '    conditions: ["[STATUS] == 200"]'].join('\n'));
  return loadConfig(file, { env: {} });
}

describe('Gatus storage:', () => {
  it('maximum-number-of-results sizes the history and maximum-number-of-events the events (vigil.history-size wins)', async () => {
    const config = await load(['storage:', '  maximum-number-of-results: 250', '  maximum-number-of-events: 20']);
    expect(config.vigil.historySize).toBe(250);
    expect(config.storage).toEqual({ type: 'memory', maxResults: 250, maxEvents: 20 });
    expect(config.warnings).toEqual([]);
    expect((await load(['storage: { maximum-number-of-results: 250 }', 'vigil: { history-size: 30 }'])).vigil.historySize).toBe(30);
    expect((await load([])).storage).toEqual({ type: 'memory', maxResults: 100, maxEvents: 50 });
  });

  it('type sqlite needs a path, and keeps it', async () => {
    expect((await load(['storage:', '  type: sqlite', '  path: /var/lib/vigil/data.db'])).storage).toEqual({ type: 'sqlite', path: '/var/lib/vigil/data.db', maxResults: 100, maxEvents: 50 });
    const err = await load(['storage:', '  type: sqlite']).catch((e: unknown) => e);
    expect((err as { issues?: Array<{ path: string; message: string }> }).issues).toEqual([expect.objectContaining({ path: 'storage.path', message: 'required' })]);
  });

  it.each(['postgres'])('type %s loads with one warning pointing at --history.prometheus-url', async (type) => {
    const config = await load(['storage:', `  type: ${type}`, '  path: "postgres://u:secret-pw@db/gatus"']);
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatchObject({ line: 2, col: 9, path: 'storage.type' });
    expect(config.warnings[0]?.message).toMatch(new RegExp(`^storage type ${type} is not implemented by vigil: .*--history\\.prometheus-url$`));
    expect(JSON.stringify(config.warnings)).not.toContain('secret-pw');
  });
});

describe('endpoints[].ui.badge.response-time.thresholds', () => {
  it.each([['[50, 200, 300]'], ['[50, 20, 300, 500, 750]'], ['[a, b, c, d, e]']])('%s is a located error (Gatus wants 5 ascending numbers)', async (list) => {
    const file = join(await mkdtemp(join(tmpdir(), 'vigil-badge-')), 'config.yaml');
    await writeFile(file, ['endpoints:', '  - name: a', '    url: http://127.0.0.1:1/', '    conditions: ["[STATUS] == 200"]', `    ui: { badge: { response-time: { thresholds: ${list} } } }`].join('\n'));
    const err = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    expect((err as { issues?: Array<{ path: string; message: string }> }).issues).toEqual([
      expect.objectContaining({ path: 'endpoints[0].ui.badge.response-time.thresholds', message: 'expected 5 ascending integers (ms), e.g. [50, 200, 300, 500, 750]' }),
    ]);
  });
});
