import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { MAX_ALIAS_NODES, MAX_ALIAS_REFERENCES, MAX_CONFIG_BYTES, MAX_NESTING, MAX_SCAN_NESTING, scanSource } from '../../src/config/limits.js';
import { ConfigError } from '../../src/errors.js';
import type { ConfigIssue } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENDPOINT = 'endpoints:\n  - name: a\n    url: http://127.0.0.1:1/\n    conditions: ["[STATUS] == 200"]\n';

async function issuesOf(text: string | null, name = 'config.yaml'): Promise<ConfigIssue[]> {
  const file = join(dir, name);
  if (text !== null) await writeFile(file, text);
  try {
    await loadConfig(file, { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

/** The "billion laughs": 9 levels of 10 aliases each (10^9 strings once expanded) in 600 bytes. */
function billionLaughs(): string {
  const lines = ['x-lol0: &lol0 "lol"'];
  for (let i = 1; i <= 9; i++) lines.push(`x-lol${i}: &lol${i} [${Array.from({ length: 10 }, () => `*lol${i - 1}`).join(',')}]`);
  return `${ENDPOINT}${lines.join('\n')}\n`;
}

describe('config limits: aliases, nesting, size, file type', () => {
  it('stops a billion-laughs file at the alias budget with a located error', async () => {
    const issues = await issuesOf(billionLaughs());
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue?.line).toBeGreaterThan(0);
    expect(issue?.col).toBeGreaterThan(0);
    expect(issue?.path).toMatch(/^x-lol\d\[\d\]/);
    expect(issue?.message).toBe(`YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes`);
  });

  it('reports an alias inside the node it refers to, at the alias', async () => {
    const line = 'x-loop: &a {b: [*a, *a]}';
    const issues = await issuesOf(`${ENDPOINT}${line}\n`);
    const file = join(dir, 'config.yaml');
    const message = 'alias *a refers to a node that contains it';
    expect(issues).toEqual([
      { file, line: 5, col: line.indexOf('*a') + 1, path: 'x-loop.b[0]', message },
      { file, line: 5, col: line.lastIndexOf('*a') + 1, path: 'x-loop.b[1]', message },
    ]);
  });

  it('reports 100-level block nesting at the level past the limit, with its key path', async () => {
    const nested = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n');
    const issues = await issuesOf(`${ENDPOINT}x-deep:\n${nested} x\n`);
    const keys = Array.from({ length: MAX_NESTING - 1 }, (_, i) => `k${i}`);
    expect(issues).toEqual([
      { file: join(dir, 'config.yaml'), line: 5 + MAX_NESTING, col: MAX_NESTING + 2, path: `x-deep.${keys.join('.')}`, message: `nested deeper than ${MAX_NESTING} levels` },
    ]);
  });

  it('reports 2000-level block nesting before the YAML parser recurses that deep, with the keys leading there', async () => {
    const nested = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n');
    const issues = await issuesOf(`${ENDPOINT}x-deep:\n${nested} x\n`);
    const keys = Array.from({ length: MAX_SCAN_NESTING }, (_, i) => `k${i}`);
    expect(issues).toEqual([
      {
        file: join(dir, 'config.yaml'),
        line: 5 + MAX_SCAN_NESTING,
        col: MAX_SCAN_NESTING + 2,
        path: `x-deep.${keys.join('.')}`,
        message: `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels`,
      },
    ]);
  });

  it.each([
    ['100 flow sequences', `${ENDPOINT}x-deep: ${'['.repeat(100)}${']'.repeat(100)}\n`, `nested deeper than ${MAX_NESTING} levels`],
    ['100 compact sequences', `${ENDPOINT}x-deep:\n  ${'- '.repeat(100)}x\n`, `nested deeper than ${MAX_NESTING} levels`],
    ['2000 flow sequences', `${ENDPOINT}x-deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels`],
    ['2000 flow maps', `${ENDPOINT}x-deep: ${'{a: '.repeat(2000)}1${'}'.repeat(2000)}\n`, `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels`],
    ['2000 compact sequences', `${ENDPOINT}x-deep:\n  ${'- '.repeat(2000)}x\n`, `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels`],
    ['9999 complex keys', `${ENDPOINT}x-deep:\n  ${'? '.repeat(9999)}x\n`, `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels`],
  ])('reports %s as nested too deeply, located under x-deep', async (_label, text, message) => {
    const issues = await issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(message);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(5);
    expect(issues[0]?.col).toBeGreaterThan(1);
    expect(issues[0]?.path).toMatch(/^x-deep/);
  });

  it('refuses half a MiB of unclosed brackets before the YAML parser sees them', async () => {
    const issues = await issuesOf(`${ENDPOINT}x-deep: ${'['.repeat(512 * 1024)}\n`);
    expect(issues).toEqual([
      { file: join(dir, 'config.yaml'), line: 5, col: 9 + MAX_SCAN_NESTING - 1, path: 'x-deep', message: `invalid YAML: nested deeper than ${MAX_SCAN_NESTING} levels` },
    ]);
  });

  it('refuses more alias references than the parser handles quickly, at the first one past the limit', async () => {
    const issues = await issuesOf(`${ENDPOINT}x-a: &a [1]\nx-b: [${'*a, '.repeat(MAX_ALIAS_REFERENCES + 5)}]\n`);
    expect(issues).toEqual([
      { file: join(dir, 'config.yaml'), line: 6, col: 7 + 4 * MAX_ALIAS_REFERENCES, path: 'x-b', message: `invalid YAML: more than ${MAX_ALIAS_REFERENCES} aliases` },
    ]);
  });

  it('refuses a collection used as a key', async () => {
    const issues = await issuesOf(`${ENDPOINT}x-k:\n  ? [a, b]\n  : 1\n`);
    expect(issues).toEqual([{ file: join(dir, 'config.yaml'), line: 6, col: 5, path: 'x-k.?', message: 'a key must be a scalar, not a list' }]);
  });

  it('shows the first 20 YAML syntax errors of a file and counts the rest', async () => {
    const issues = await issuesOf(`${ENDPOINT}x-open: ${'['.repeat(100)}\n`);
    expect(issues).toHaveLength(21);
    expect(issues[0]?.message).toMatch(/^invalid YAML: /);
    expect(issues[20]?.message).toMatch(/^invalid YAML: \d+ more errors not shown$/);
  });

  it('refuses a file larger than the byte cap', async () => {
    const issues = await issuesOf(`${ENDPOINT}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(issues).toEqual([
      { file: join(dir, 'config.yaml'), line: 0, col: 0, path: '', message: `file is larger than ${MAX_CONFIG_BYTES} bytes` },
    ]);
  });

  it('refuses a FIFO as the config file instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const issues = await issuesOf(null, 'fifo.yaml');
    expect(issues).toEqual([{ file: fifo, line: 0, col: 0, path: '', message: 'not a regular file or directory (a FIFO)' }]);
  });

  it('refuses a device as the config file', async () => {
    await expect(loadConfig('/dev/zero', { env: {} })).rejects.toMatchObject({
      issues: [{ file: '/dev/zero', line: 0, col: 0, path: '', message: 'not a regular file or directory (a character device)' }],
    });
  });

  it('skips a FIFO inside a config directory and loads the YAML files', async () => {
    const sub = await mkdtemp(join(dir, 'd-'));
    await writeFile(join(sub, 'a.yaml'), ENDPOINT);
    execFileSync('mkfifo', [join(sub, 'b.yaml')]);
    const config = await loadConfig(sub, { env: {} });
    expect(config.endpoints.map((e) => e.name)).toEqual(['a']);
  });

  it('finds nothing to refuse in any config shipped in examples/ or test/fixtures/', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect([file, scanSource(readFileSync(join(root, file), 'utf8'))]).toEqual([file, null]);
  });

  it('still loads aliases and merge keys used as a real config uses them', async () => {
    const defaults = 'x-defaults: &defaults\n  interval: 30s\n  conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 300"]\n  client: {timeout: 5s}\n';
    const endpoints = Array.from({ length: 1000 }, (_, i) => `  - name: e${i}\n    url: http://127.0.0.1:1/${i}\n    <<: *defaults\n`).join('');
    const config = await loadConfig(await writeAndPath('many.yaml', `${defaults}endpoints:\n${endpoints}`), { env: {} });
    expect(config.endpoints).toHaveLength(1000);
    expect(config.endpoints[999]?.conditions).toHaveLength(2);
  });
});

async function writeAndPath(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}
