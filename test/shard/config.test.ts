import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-shard-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  const file = join(dir, 'config.yaml');
  await writeFile(file, text);
  return loadConfig(file);
}

async function errors(text: string): Promise<string[]> {
  try {
    await load(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue).map((line) => line.slice(line.indexOf('config.yaml')));
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const ENDPOINT = 'endpoints:\n  - name: a\n    url: http://127.0.0.1:1/\n    conditions: ["[STATUS] == 200"]\n';

describe('vigil.shard', () => {
  it('reads count, index, index-from-hostname and replication', async () => {
    const config = await load(`${ENDPOINT}vigil:\n  shard:\n    count: 4\n    index-from-hostname: true\n    replication: 2\n`);
    expect(config.vigil.shard).toEqual({ count: 4, indexFromHostname: true, replication: 2 });
    expect((await load(ENDPOINT)).vigil.shard).toBeUndefined();
  });

  it('reports every bad value at once with file:line:col and key path', async () => {
    expect(await errors(`${ENDPOINT}vigil:\n  shard:\n    count: 3\n    index: 3\n    replication: 5\n    replicas: 2\n`)).toEqual([
      'config.yaml:8:12 vigil.shard.index: must be less than count (3)',
      'config.yaml:9:18 vigil.shard.replication: must not be more than count (3)',
      'config.yaml:10:5 vigil.shard.replicas: unknown key',
    ]);
    expect(await errors(`${ENDPOINT}vigil:\n  shard:\n    count: 0\n    replication: x\n`)).toEqual([
      'config.yaml:7:12 vigil.shard.count: must be at least 1',
      'config.yaml:8:18 vigil.shard.replication: expected an integer',
    ]);
  });
});
