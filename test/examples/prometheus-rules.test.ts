/**
 * examples/prometheus/ is checked by the real promtool: the scrape config (with its rule files),
 * the rules, and the rule unit tests in examples/prometheus/tests/.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';

const promtool = requireBinary('promtool');
const DIR = resolve(import.meta.dirname, '../../examples/prometheus');
const TIMEOUT_MS = 60_000;

interface Run {
  code: number;
  output: string;
}

async function run(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(promtool!, args, { cwd: DIR, timeout: TIMEOUT_MS });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const testFiles = readdirSync(join(DIR, 'tests'))
  .filter((name) => name.endsWith('.yml'))
  .map((name) => join('tests', name));

describe.skipIf(!promtool)('examples/prometheus with promtool', () => {
  it('prometheus.yml is a valid config and its rule files load', async () => {
    const result = await run('check', 'config', 'prometheus.yml');
    expect(result.output).toContain('rules.yml');
    expect(result.output).not.toMatch(/FAILED|WARNING/);
    expect(result.code, result.output).toBe(0);
  }, TIMEOUT_MS);

  it('rules.yml passes promtool check rules', async () => {
    const result = await run('check', 'rules', 'rules.yml');
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code, result.output).toBe(0);
  }, TIMEOUT_MS);

  it('has rule unit tests', () => {
    expect(testFiles.length).toBeGreaterThan(0);
  });

  it.each(testFiles)('rule unit tests in %s pass', async (file) => {
    const result = await run('test', 'rules', file);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  }, TIMEOUT_MS);

  it('a broken expectation makes promtool test rules fail (the runner sees failures)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-rules-'));
    try {
      const original = await readFile(join(DIR, 'tests/rules.test.yml'), 'utf8');
      const broken = original
        .replace('- ../rules.yml', `- ${join(DIR, 'rules.yml')}`)
        .replace('description: 2 vigil replicas see core/api failing.', 'description: 3 vigil replicas see core/api failing.');
      expect(broken).not.toBe(original);
      await writeFile(join(dir, 'broken.test.yml'), broken);
      const result = await run('test', 'rules', join(dir, 'broken.test.yml'));
      expect(result.output).toContain('FAILED');
      expect(result.code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, TIMEOUT_MS);
});
