/**
 * Walks docs/gatus-migration.md's key table against the real config validator: every row's
 * example is loaded and the outcome must match the row's status.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import type { ConfigIssue } from '../../src/errors.js';

const DOC = resolve(import.meta.dirname, '../../docs/gatus-migration.md');
const ROW = /^\| `([^`]+)` \| (supported|different|ignored|refused) \| `([^`]*)` \|/;

interface Row {
  key: string;
  status: 'supported' | 'different' | 'ignored' | 'refused';
  example: string;
}

async function rows(): Promise<Row[]> {
  const text = await readFile(DOC, 'utf8');
  const table = text.slice(text.indexOf('## Every Gatus key'));
  return table.split('\n').flatMap((line) => {
    const m = ROW.exec(line);
    return m ? [{ key: m[1] ?? '', status: m[2] as Row['status'], example: m[3] ?? '' }] : [];
  });
}

/** What a list item needs besides the key under test. */
const ITEM_BASES: Record<string, Record<string, unknown>> = {
  endpoints: { name: 'a', url: 'http://127.0.0.1:1/', conditions: ['[STATUS] == 200'] },
  'external-endpoints': { name: 'x', token: 'push-token-x' },
  alerts: { type: 'slack' },
  announcements: { timestamp: '2025-01-01T10:00:00Z', message: 'm' },
};

/** A config whose only unusual setting is `key: example`. */
function configFor(row: Row): Record<string, unknown> {
  const doc: Record<string, unknown> = { endpoints: [{ ...ITEM_BASES.endpoints }] };
  if (row.key.includes('.ssh')) (doc.endpoints as Array<Record<string, unknown>>)[0]!.url = 'ssh://127.0.0.1:22';
  const parts = row.key.split('.');
  let node: Record<string, unknown> = doc;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const value: unknown = parse(row.example);
    if (part.endsWith('[]')) {
      const name = part.slice(0, -2);
      const list = (node[name] as Array<Record<string, unknown>> | undefined) ?? [{ ...ITEM_BASES[name] }];
      node[name] = list;
      node = list[0]!;
    } else if (last) {
      node[part] = value;
    } else {
      node[part] = (node[part] as Record<string, unknown> | undefined) ?? {};
      node = node[part] as Record<string, unknown>;
    }
  });
  return doc;
}

const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');
const about = (issues: readonly ConfigIssue[], key: string) =>
  issues.filter((i) => generic(i.path) === key || generic(i.path).startsWith(`${key}.`) || generic(i.path).startsWith(`${key}[`));

describe('docs/gatus-migration.md: every Gatus key row holds against the validator', async () => {
  const all = await rows();
  const dir = await mkdtemp(join(tmpdir(), 'vigil-migration-'));

  it('has rows for every status', () => {
    expect(all.length).toBeGreaterThan(80);
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['supported', 'different', 'ignored', 'refused']));
  });

  it.each(all.map((r) => [`${r.key} (${r.status}: ${r.example})`, r] as const))('%s', async (_name, row) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, stringify(configFor(row)));
    const outcome = await loadConfig(file, { env: {} }).then(
      (config) => ({ errors: [] as ConfigIssue[], warnings: config.warnings }),
      (err: unknown) => {
        if (err instanceof ConfigError) return { errors: err.issues, warnings: [] as ConfigIssue[] };
        throw err;
      },
    );
    if (row.status === 'refused') {
      expect(about(outcome.errors, row.key).length, JSON.stringify(outcome.errors)).toBeGreaterThan(0);
      return;
    }
    expect(outcome.errors, JSON.stringify(outcome.errors)).toEqual([]);
    const warnings = about(outcome.warnings, row.key);
    if (row.status === 'ignored') expect(warnings, JSON.stringify(outcome.warnings)).toHaveLength(1);
    else expect(warnings, JSON.stringify(outcome.warnings)).toEqual([]);
  });
});
