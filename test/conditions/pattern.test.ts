import { describe, expect, it } from 'vitest';
import { compilePattern, PatternError } from '../../src/conditions/pattern.js';

describe('compilePattern (filepath.Match as Gatus uses it)', () => {
  it.each([
    ['*', 'anything/at/all', true],
    ['*', '', true],
    ['10.*', '10.0.0.1', true],
    ['10.*', '110.0.0.1', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'aéc', true],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[^a-c]x', 'dx', true],
    ['[^a-c]x', 'ax', false],
    ['[\\]]', ']', true],
    ['[z-a]', 'm', false],
    ['\\?', '?', true],
    ['\\?', 'x', false],
    ['*api*', 'GET /api/v1', true],
    ['a/b', 'ab', true],
    ['a*', 'a\nb', true],
    ['.*', 'x', false],
    ['(x)+', '(x)+', true],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(compilePattern(pattern)(value)).toBe(expected);
  });

  it.each(['[abc', '[]', '[a-]', '[-a]', 'abc\\', '[\\'])('%j is malformed', (pattern) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
  });
});
