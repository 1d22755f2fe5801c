/**
 * pat(): Go's path/filepath.Match as Gatus uses it. `*` matches any run of characters, `?` one
 * character, `[a-z]` / `[^a-z]` a class, `\x` the character x. Gatus removes every `/` from both the
 * pattern and the value first, so `*` effectively crosses slashes. The whole value must match.
 * Compiled once to a RegExp; a malformed pattern is reported at compile time.
 */

export type PatternMatcher = (value: string) => boolean;

export class PatternError extends Error {
  /** Offset of the problem in the pattern text. */
  readonly offset: number;

  constructor(offset: number, reason: string) {
    super(reason);
    this.offset = offset;
  }
}

function literal(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

interface Cursor {
  chars: string[];
  i: number;
}

/** One class character: `c` (not `-` or `]`) or `\c`. */
function classChar(cur: Cursor): string {
  const c = cur.chars[cur.i];
  if (c === undefined) throw new PatternError(cur.i, 'unterminated character class');
  if (c === '-' || c === ']') throw new PatternError(cur.i, `unexpected "${c}" in character class`);
  if (c === '\\') {
    cur.i++;
    const escaped = cur.chars[cur.i];
    if (escaped === undefined) throw new PatternError(cur.i, 'unterminated character class');
    cur.i++;
    return escaped;
  }
  cur.i++;
  return c;
}

function compileClass(cur: Cursor): string {
  const open = cur.i;
  cur.i++; // '['
  const negated = cur.chars[cur.i] === '^';
  if (negated) cur.i++;
  const ranges: string[] = [];
  let count = 0;
  for (;;) {
    const c = cur.chars[cur.i];
    if (c === undefined) throw new PatternError(open, 'unterminated character class');
    if (c === ']' && count > 0) {
      cur.i++;
      break;
    }
    const lo = classChar(cur);
    let hi = lo;
    if (cur.chars[cur.i] === '-') {
      cur.i++;
      hi = classChar(cur);
    }
    count++;
    // Go accepts a reversed range (it simply never matches); a RegExp would reject it.
    if ((lo.codePointAt(0) ?? 0) <= (hi.codePointAt(0) ?? 0)) ranges.push(`${literal(lo)}-${literal(hi)}`);
  }
  if (ranges.length === 0) return negated ? '.' : '(?!)';
  return `[${negated ? '^' : ''}${ranges.join('')}]`;
}

/** Throws PatternError for a pattern Go would reject with ErrBadPattern (such a pat() never matches in Gatus). */
export function compilePattern(pattern: string): PatternMatcher {
  if (pattern === '*') return () => true;
  const cur: Cursor = { chars: Array.from(pattern.replaceAll('/', '')), i: 0 };
  let source = '';
  while (cur.i < cur.chars.length) {
    const c = cur.chars[cur.i] ?? '';
    if (c === '*') {
      source += '.*';
      cur.i++;
    } else if (c === '?') {
      source += '.';
      cur.i++;
    } else if (c === '[') {
      source += compileClass(cur);
    } else if (c === '\\') {
      const escaped = cur.chars[cur.i + 1];
      if (escaped === undefined) throw new PatternError(cur.i, 'pattern ends with a lone "\\"');
      source += literal(escaped);
      cur.i += 2;
    } else {
      source += literal(c);
      cur.i++;
    }
  }
  const re = new RegExp(`^${source}$`, 'su');
  return (value) => re.test(value.includes('/') ? value.replaceAll('/', '') : value);
}
