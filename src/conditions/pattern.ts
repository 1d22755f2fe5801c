/**
 * pat(): Go's path/filepath.Match as Gatus uses it. `*` matches any run of characters, `?` one
 * character, `[a-z]` / `[^a-z]` a class, `\x` the character x. Gatus removes every `/` from both the
 * pattern and the value first, so `*` effectively crosses slashes. The whole value must match.
 *
 * Compiled once into chunks (the text between stars), matched without backtracking over stars,
 * as Go does: O(value length × pattern length) at worst, so no pattern can stall the event loop on a
 * large body. A malformed pattern is reported at compile time.
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

/** One character of the pattern: a literal code point, `?`, or a class of ranges. */
type Item =
  | { kind: 'char'; cp: number }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: ReadonlyArray<readonly [number, number]> };

/** The text between stars, as RegExp source. */
interface Chunk {
  /** A `*` (or several) precedes this chunk. */
  star: boolean;
  /** The items in a row, each matching exactly one character. */
  source: string;
}

interface Cursor {
  chars: string[];
  i: number;
}

const cpOf = (ch: string): number => ch.codePointAt(0) ?? 0;

/** One class character: `c` (not `-` or `]`) or `\c`. */
function classChar(cur: Cursor): number {
  const c = cur.chars[cur.i];
  if (c === undefined) throw new PatternError(cur.i, 'unterminated character class');
  if (c === '-' || c === ']') throw new PatternError(cur.i, `unexpected "${c}" in character class`);
  if (c === '\\') {
    cur.i++;
    const escaped = cur.chars[cur.i];
    if (escaped === undefined) throw new PatternError(cur.i, 'unterminated character class');
    cur.i++;
    return cpOf(escaped);
  }
  cur.i++;
  return cpOf(c);
}

function parseClass(cur: Cursor): Item {
  const open = cur.i;
  cur.i++; // '['
  const negated = cur.chars[cur.i] === '^';
  if (negated) cur.i++;
  const ranges: Array<readonly [number, number]> = [];
  for (let count = 0; ; count++) {
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
    // Go accepts a reversed range; it simply never matches.
    ranges.push([lo, hi]);
  }
  return { kind: 'class', negated, ranges };
}

function parseItem(cur: Cursor): Item {
  const c = cur.chars[cur.i] ?? '';
  if (c === '?') {
    cur.i++;
    return { kind: 'any' };
  }
  if (c === '[') return parseClass(cur);
  if (c === '\\') {
    const escaped = cur.chars[cur.i + 1];
    if (escaped === undefined) throw new PatternError(cur.i, 'pattern ends with a lone "\\"');
    cur.i += 2;
    return { kind: 'char', cp: cpOf(escaped) };
  }
  cur.i++;
  return { kind: 'char', cp: cpOf(c) };
}

function parseChunks(pattern: string): Chunk[] {
  const cur: Cursor = { chars: Array.from(pattern), i: 0 };
  const chunks: Chunk[] = [];
  while (cur.i < cur.chars.length || chunks.length === 0) {
    let star = false;
    while (cur.chars[cur.i] === '*') {
      star = true;
      cur.i++;
    }
    const items: Item[] = [];
    while (cur.i < cur.chars.length && cur.chars[cur.i] !== '*') items.push(parseItem(cur));
    chunks.push(makeChunk(star, items));
  }
  return chunks;
}

const literal = (cp: number): string => `\\u{${cp.toString(16)}}`;

function itemSource(item: Item): string {
  if (item.kind === 'any') return '.';
  if (item.kind === 'char') return literal(item.cp);
  // Go accepts a reversed range; it simply never matches (a RegExp would reject it).
  const ranges = item.ranges.filter(([lo, hi]) => lo <= hi).map(([lo, hi]) => `${literal(lo)}-${literal(hi)}`);
  if (ranges.length === 0) return item.negated ? '.' : '(?!)';
  return `[${item.negated ? '^' : ''}${ranges.join('')}]`;
}

function makeChunk(star: boolean, items: readonly Item[]): Chunk {
  return { star, source: items.map(itemSource).join('') };
}

/**
 * The value without its slashes, as Gatus matches it. For a large body full of slashes,
 * String.replaceAll costs ~100 ns per slash; compacting the UTF-16 units in place costs ~10 ns per
 * unit, whatever the slashes (lone surrogates are kept as they are).
 */
function withoutSlashes(value: string): string {
  if (!value.includes('/')) return value;
  if (value.length < 1024) return value.replaceAll('/', '');
  const buffer = Buffer.from(value, 'utf16le');
  const units = new Uint16Array(buffer.buffer, buffer.byteOffset, value.length);
  let kept = 0;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? 0;
    if (unit !== 0x2f) units[kept++] = unit;
  }
  return buffer.toString('utf16le', 0, kept * 2);
}

/**
 * Every chunk is a RegExp of single characters, without quantifiers or alternation, so it cannot
 * backtrack: an attempt at one position costs at most the chunk's length. The first chunk is
 * anchored at the start; each chunk after a star takes its leftmost match (an earlier end never
 * hurts the chunks after it, which is why Go never backtracks either); the last must end the value.
 */
function compileChunks(chunks: readonly Chunk[]): (value: string) => boolean {
  const last = chunks[chunks.length - 1];
  if (last === undefined) return () => false;
  const steps = chunks.slice(0, -1).map((c) => new RegExp(c.source, c.star ? 'sug' : 'suy'));
  const tail = last.star && last.source === '' ? null : new RegExp(`${last.source}$`, last.star ? 'sug' : 'suy');
  return (value) => {
    let pos = 0;
    for (const re of steps) {
      re.lastIndex = pos;
      const m = re.exec(value);
      if (m === null) return false;
      pos = m.index + m[0].length;
    }
    if (tail === null) return true;
    tail.lastIndex = pos;
    return tail.test(value);
  };
}

/** Throws PatternError for a pattern Go would reject with ErrBadPattern (such a pat() never matches in Gatus). */
export function compilePattern(pattern: string): PatternMatcher {
  if (pattern === '*') return () => true;
  const match = compileChunks(parseChunks(pattern.replaceAll('/', '')));
  return (value) => match(withoutSlashes(value));
}
