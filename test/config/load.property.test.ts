import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, type ConfigIssue } from '../../src/errors.js';
import { applyMutations, boundedAsync, FUZZ_TIMEOUT_MS, fuzzRuns, mutationArb } from '../helpers/fuzz.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, '..', 'fixtures', 'config');
const SEEDS = [
  readFileSync(join(HERE, '..', '..', 'examples', 'config.yaml'), 'utf8'),
  ...readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.yaml') && statSync(join(FIXTURES, name)).isFile())
    .sort()
    .map((name) => readFileSync(join(FIXTURES, name), 'utf8')),
];
const ENV = { HOST: 'example.org', PORT: '8080', TOKEN: 'secret-token', EMPTY: '' };

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-fuzz-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Loads `text` from a file: a Config, or the issues of a ConfigError; any other throw fails the property. */
async function load(text: string): Promise<{ file: string; issues: readonly ConfigIssue[] }> {
  const file = join(dir, `case-${n++}.yaml`);
  await writeFile(file, text);
  try {
    const config = await boundedAsync(`load ${file}`, () => loadConfig(file, { env: ENV }));
    return { file, issues: config.warnings };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(err.code).toMatch(/^VIGIL_CONFIG_/);
    expect(err.issues.length).toBeGreaterThan(0);
    return { file, issues: err.issues };
  } finally {
    await rm(file, { force: true });
  }
}

/** Every issue (error or warning) names the file and, when the file has content, a line and column in it. */
function expectLocated(text: string, file: string, issues: readonly ConfigIssue[]): void {
  const lineCount = text.split('\n').length;
  const lines = new LineCounter();
  const contents = parseDocument(text, { lineCounter: lines }).contents;
  const hasContent = contents !== null;
  const root = lines.linePos(contents?.range?.[0] ?? 0);
  for (const issue of issues) {
    expect(issue.file).toBe(file);
    expect(issue.message.trim()).not.toBe('');
    expect(issue.message).not.toMatch(/undefined|\[object Object\]/);
    if (!hasContent && issue.line === 0) continue;
    expect(issue.line, JSON.stringify(issue)).toBeGreaterThanOrEqual(1);
    expect(issue.line, JSON.stringify(issue)).toBeLessThanOrEqual(lineCount);
    expect(issue.col, JSON.stringify(issue)).toBeGreaterThanOrEqual(1);
    // A key path names every problem below the document root (YAML syntax errors have none).
    const atRoot = issue.line === root.line && issue.col === root.col;
    if (!issue.message.startsWith('invalid YAML') && !atRoot) expect(issue.path, JSON.stringify(issue)).not.toBe('');
  }
}

/** What a mutation inserts: YAML punctuation, anchors and aliases, keys vigil knows, env references. */
const PIECES = fc.oneof(
  fc.constantFrom(
    ':', ': ', '- ', '\n', '\n  ', '\n    - ', '  ', '\t', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '&a ', '*a', '<<: *a', '&b', '*b',
    '? ', '!!str ', '!!binary ', '%YAML 1.2\n', '---\n', '...\n', '~', 'null', 'true', 'yes', '0x1F', '1e400', '-1', '99999999999999999999',
    'name: x', 'url: http://127.0.0.1:1/', 'interval: 0s', 'interval: -5m', 'conditions: ["[STATUS] == 200"]', 'conditions:', 'alerts:', 'endpoints:',
    'client:', 'timeout: 1h', 'dns:', 'ssh:', 'ui:', 'vigil:', 'alerting:', 'maintenance:', 'security:', 'web:', 'storage:', 'metrics: true',
    '${HOST}', '$PORT', '${UNSET}', '$$', '${TOKEN}', '[BODY].a[-1] == 1', 'pat(*)', '😀', '\u0000', '\ufeff', '\r\n',
  ),
  fc.string({ maxLength: 8 }),
);

describe('config loader: property tests (fast-check)', () => {
  it('mutated real configs load or fail with located ConfigErrors only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), fc.array(mutationArb(PIECES), { minLength: 1, maxLength: 5 }), async (seed, mutations) => {
        const text = applyMutations(seed, mutations);
        const { file, issues } = await load(text);
        expectLocated(text, file, issues);
      }),
      { numRuns: fuzzRuns(250) },
    );
  }, FUZZ_TIMEOUT_MS);

  it('configs spliced from lines of two real configs load or fail with located ConfigErrors only', async () => {
    const at = fc.double({ min: 0, max: 1, noNaN: true });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), fc.constantFrom(...SEEDS), at, at, at, fc.constantFrom('', '  ', '    '), async (a, b, cut, from, to, indent) => {
        const left = a.split('\n');
        const right = b.split('\n');
        const [lo, hi] = from <= to ? [from, to] : [to, from];
        const spliced = right.slice(Math.floor(lo * right.length), Math.ceil(hi * right.length)).map((l) => indent + l);
        const i = Math.floor(cut * left.length);
        const text = [...left.slice(0, i), ...spliced, ...left.slice(i)].join('\n');
        const { file, issues } = await load(text);
        expectLocated(text, file, issues);
      }),
      { numRuns: fuzzRuns(150) },
    );
  }, FUZZ_TIMEOUT_MS);

  it('random YAML-like text loads or fails with located ConfigErrors only', async () => {
    const line = fc
      .tuple(fc.constantFrom('', '  ', '    ', '      ', '- ', '  - '), fc.array(PIECES, { maxLength: 4 }))
      .map(([indent, parts]) => indent + parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
        const text = lines.join('\n');
        const { file, issues } = await load(text);
        expectLocated(text, file, issues);
      }),
      { numRuns: fuzzRuns(300) },
    );
  }, FUZZ_TIMEOUT_MS);
});

describe('config loader: regressions found by the property tests', () => {
  it('names the merge key in the path of its errors, also at the document root', async () => {
    const { file, issues } = await load('<<: *a\nendpoints: []\n');
    expect(issues).toEqual([
      { file, line: 1, col: 1, path: '<<', message: 'merge key << must refer to a map' },
      { file, line: 1, col: 5, path: '<<', message: 'unresolved alias *a' },
    ]);
  });

  it('names an empty key as "" in the path (fast-check found `? !!binary ` at the root)', async () => {
    const { file, issues } = await load('? !!binary \n');
    expect(issues).toContainEqual({ file, line: 1, col: 12, path: '""', message: 'unknown key (did you mean ui?)' });
  });

  it('names a collection used as a key at the document root with the key indicator ?', async () => {
    const { file, issues } = await load('? endpoints:\n  - name: a\n');
    expect(issues).toEqual([{ file, line: 1, col: 3, path: '?', message: 'a key must be a scalar, not a map' }]);
  });
});
