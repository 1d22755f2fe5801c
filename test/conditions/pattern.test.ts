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

// A backtracking matcher takes minutes on these (a RegExp like ^.*a.*a.*b$ on 1 MiB); the linear
// matcher answers at once. Correctness is asserted here; the speed is measured in bench/pattern.mjs.
describe('compilePattern on adversarial 1 MiB values (the default body cap)', () => {
  const MiB = 1024 * 1024;
  const as = 'a'.repeat(MiB);
  it.each([
    ['*a*a*b', '1 MiB of a', as, false],
    ['*a*a*b', '1 MiB of a, then b', `${as}b`, true],
    ['*a*a*a*b*', '1 MiB of a', as, false],
    ['*a*b*c*d*e', '1 MiB of a', as, false],
    ['*?a?a?a?b', '1 MiB of a', as, false],
    ['*[a]*[a]*[b]', '1 MiB of a', as, false],
    ['*aaaaaaaaab*', '1 MiB of a', as, false],
    ['*a?*a?*a?*', '1 MiB of a', as, true],
    ['a*a*a', '1 MiB of a', as, true],
    ['*b', '1 MiB of ab', 'ab'.repeat(MiB / 2), true],
    ['*/*/*/x', '1 MiB of /', '/'.repeat(MiB), false],
    ['*/*/*/x', '1 MiB of /, then x', `${'/'.repeat(MiB)}x`, true],
    ['*a*/b*', '1 MiB of a/', 'a/'.repeat(MiB / 2), false],
    ['a*b', '1 MiB of a/, then b', `${'a/'.repeat(MiB / 2)}b`, true],
    ['*\ud800x', '2000 slashes, a lone surrogate, /x', `${'/'.repeat(2000)}\ud800/x`, true],
    ['*😀x', '2000 slashes, 😀/x', `${'/'.repeat(2000)}😀/x`, true],
  ])('%j on %s: %s', (pattern, _label, value, expected) => {
    expect(compilePattern(pattern)(value)).toBe(expected);
  });
});

describe('compilePattern keeps filepath.Match semantics', () => {
  it.each([
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'abcX', false],
    ['a*b*c', 'acb', false],
    ['*ab', 'aab', true],
    ['*ab', 'abab', true],
    ['*ab', 'aba', false],
    ['*a*', 'bab', true],
    ['**', '', true],
    ['a**b', 'ab', true],
    ['*?', '', false],
    ['*?', 'é', true],
    ['*??', '😀', false],
    ['?', '😀', true],
    ['??', '😀', false],
    ['*😀?', 'x😀y', true],
    ['[😀-😂]', '😁', true],
    ['*[*]', 'a*', true],
    ['*[*]', 'ab', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['a\\*b*', 'a*bc', true],
    ['', '', true],
    ['', 'x', false],
    ['/', '', true],
    ['x*y*', 'x//y', true],
    ['*x', '\ud800x', true],
    ['?x', '\ud800x', true],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(compilePattern(pattern)(value)).toBe(expected);
  });
});

/** The textbook recursive glob (exponential, fine on tiny inputs): the meaning the matcher must keep. */
function reference(pattern: string, value: string): boolean {
  if (pattern === '') return value === '';
  const [p, ...rest] = pattern;
  const tail = rest.join('');
  if (p === '*') return reference(tail, value) || (value !== '' && reference(pattern, value.slice(1)));
  return value !== '' && (p === '?' || p === value[0]) && reference(tail, value.slice(1));
}

function words(alphabet: string, maxLength: number): string[] {
  const out = [''];
  for (let i = 0; i < out.length; i++) {
    const w = out[i] ?? '';
    if (w.length < maxLength) for (const c of alphabet) out.push(w + c);
  }
  return out;
}

describe('compilePattern agrees with a recursive glob on every small case', () => {
  it('every pattern over {a, b, *, ?} up to 5 characters against every value over {a, b} up to 6', () => {
    const values = words('ab', 6);
    let checked = 0;
    for (const pattern of words('ab*?', 5)) {
      const match = compilePattern(pattern);
      for (const value of values) {
        if (match(value) !== reference(pattern, value)) expect.fail(`pat(${pattern}) on "${value}"`);
        checked++;
      }
    }
    expect(checked).toBe(1365 * 127);
  });
});
