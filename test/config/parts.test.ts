import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/duration.js';
import { expandEnv } from '../../src/config/env.js';
import { endpointKey } from '../../src/config/key.js';
import { mergeNodes } from '../../src/config/merge.js';
import { parseConfigText } from '../../src/config/node.js';
import { Issues, Section } from '../../src/config/reader.js';
import type { ConfigIssue } from '../../src/errors.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['0', 0],
    ['2m0s', 120_000],
    ['100us', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['30', 'invalid duration "30": missing unit (e.g. 30s)'],
    ['abc', 'invalid duration "abc": expected e.g. 30s, 5m, 1h30m'],
    ['5 m', 'invalid duration "5 m": expected e.g. 30s, 5m, 1h30m'],
    ['-5s', 'invalid duration "-5s": must not be negative'],
  ])('rejects %s', (text, message) => {
    expect(parseDuration(text)).toBe(message);
  });
});

describe('endpointKey', () => {
  it('follows Gatus: lower-case, trimmed, " /_,.#+&" → "-"', () => {
    expect(endpointKey('core', 'api')).toBe('core_api');
    expect(endpointKey('', 'api')).toBe('_api');
    expect(endpointKey(' My Group ', 'a/b_c,d.e#f+g&h')).toBe('my-group_a-b-c-d-e-f-g-h');
  });
});

describe('expandEnv', () => {
  it('expands ${VAR} and $VAR, keeps $$ as $, reports unset names once', () => {
    expect(expandEnv('a ${X} $Y $$Z $UNSET ${UNSET}', { X: '1', Y: '2' })).toEqual({ text: 'a 1 2 $Z  ', unset: ['UNSET'], used: { X: '1', Y: '2' } });
    expect(expandEnv('no dollar', {})).toEqual({ text: 'no dollar', unset: [], used: {} });
  });
});

describe('located YAML tree', () => {
  it('locates nodes and resolves aliases and merge keys', () => {
    const parsed = parseConfigText('f.yaml', 'base: &b\n  x: 1\n  y: 2\nitem:\n  <<: *b\n  y: 3\n', {});
    expect(parsed.errors).toEqual([]);
    const root = parsed.root;
    if (root?.kind !== 'map') throw new Error('expected map');
    const item = root.entries.get('item')?.value;
    if (item?.kind !== 'map') throw new Error('expected map');
    expect([...item.entries.keys()].sort()).toEqual(['x', 'y']);
    const y = item.entries.get('y')?.value;
    expect(y).toMatchObject({ kind: 'scalar', value: 3, loc: { file: 'f.yaml', line: 6, col: 6 } });
  });

  it('re-types a plain scalar that came from the environment', () => {
    const parsed = parseConfigText('f.yaml', 'a: $N\nb: "$N"\nc: $B\n', { N: '42', B: 'true' });
    if (parsed.root?.kind !== 'map') throw new Error('expected map');
    const value = (k: string): unknown => {
      const node = parsed.root?.kind === 'map' ? parsed.root.entries.get(k)?.value : undefined;
      return node?.kind === 'scalar' ? node.value : undefined;
    };
    expect([value('a'), value('b'), value('c')]).toEqual([42, '42', true]);
  });

  it('reports duplicate keys as located YAML errors', () => {
    const parsed = parseConfigText('f.yaml', 'a: 1\na: 2\n', {});
    expect(parsed.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(['2:1 invalid YAML: Map keys must be unique']);
  });
});

describe('mergeNodes', () => {
  it('deep-merges maps, appends lists and reports a scalar set twice and a kind mismatch', () => {
    const a = parseConfigText('a.yaml', 'm: {x: 1, l: [1]}\ns: 1\nk: [1]\n', {}).root;
    const b = parseConfigText('b.yaml', 'm: {y: 2, l: [2]}\ns: 2\nk: {z: 1}\n', {}).root;
    if (a === undefined || b === undefined) throw new Error('parse failed');
    const errors: ConfigIssue[] = [];
    const merged = mergeNodes(a, b, '', errors);
    expect(errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path}: ${e.message}`)).toEqual([
      'b.yaml:2:4 s: set in both a.yaml:2:4 and b.yaml:2:4',
      'b.yaml:3:4 k: a seq at a.yaml:3:4 cannot be merged with a map at b.yaml:3:4',
    ]);
    if (merged.kind !== 'map') throw new Error('expected map');
    const m = merged.entries.get('m')?.value;
    if (m?.kind !== 'map') throw new Error('expected map');
    expect([...m.entries.keys()]).toEqual(['x', 'l', 'y']);
    const l = m.entries.get('l')?.value;
    expect(l?.kind === 'seq' ? l.items.map((i) => (i.kind === 'scalar' ? i.value : null)) : null).toEqual([1, 2]);
  });
});

describe('string fields', () => {
  it('keep the source text of plain numbers (0123 stays 0123, 1.10 stays 1.10)', () => {
    const parsed = parseConfigText('f.yaml', 'password: 0123\nversion: 1.10\nport: 8080\n', {});
    const section = Section.of(new Issues(), parsed.root, '', { file: 'f.yaml', line: 1, col: 1 });
    expect([section.str('password'), section.str('version'), section.int('port', 0)]).toEqual(['0123', '1.10', 8080]);
  });
});
