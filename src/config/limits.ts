/**
 * Bounds on what one config file may cost to load, so that a typo (an alias inside its own anchor),
 * a generated file or a hostile one can neither freeze nor crash the process, on start or on reload.
 * Each limit is far above what a real config needs.
 */

/**
 * Bytes per file: a Gatus config of 6000 endpoints is about 2 MiB (a directory can hold more files).
 * The YAML parser needs about a second per MiB, longer for dense aliases, and blocks while it runs.
 */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** Nodes that YAML aliases and merge keys may add to one file (a billion-laughs file stops here). */
export const MAX_ALIAS_NODES = 100_000;

/** Levels of maps and lists (a Gatus config uses about 6). */
export const MAX_NESTING = 64;

/**
 * Levels seen by a scan of the text before the YAML parser runs (indentation, compact `- ` / `? `
 * indicators, flow brackets). The parser recurses once per level; near the stack's end (about 800
 * levels) V8 can abort the whole process instead of throwing, so it never sees this many.
 */
export const MAX_SCAN_NESTING = 256;

/**
 * Alias references (`*name`) per file, also counted before the parser runs: it spends tens of
 * microseconds on each (seconds for a few hundred thousand). A real config has one per endpoint at most.
 */
export const MAX_ALIAS_REFERENCES = 10_000;

export interface SourceProblem {
  /** 0-based offset where a limit was passed. */
  offset: number;
  /** Block keys leading there, as far as the scan can tell (`x.y[].z`). */
  path: string;
  message: string;
}

/** Characters after which a `*` starts an alias in YAML (and rarely anything else in a config). */
const BEFORE_ALIAS = new Set([' ', '\t', '[', '{', ',']);
const INDICATORS = /^(?:[-?:](?: +|$))+/;
const KEY = /^([^\s#'"[\]{},&*!|>%@`][^:#]*?)\s*:(?:\s|$)/;
const BLOCK_SCALAR = /(?:^|[\s:])[|>][0-9+-]*\s*(?:#.*)?$/;

interface Level {
  indent: number;
  key: string;
}

/**
 * Cheap upper bounds of the nesting and the alias count, ignoring quotes (a real config never comes
 * near the limits, so a bracket or a star inside a string cannot make it fail). Lines inside a block
 * scalar (`|`, `>`) are skipped.
 */
export function scanSource(source: string): SourceProblem | null {
  const levels: Level[] = [];
  let aliases = 0;
  let flow = 0;
  let blockScalarIndent = -1;
  let start = 0;
  while (start <= source.length) {
    const end = source.indexOf('\n', start) < 0 ? source.length : source.indexOf('\n', start);
    const line = source.slice(start, end);
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    const inBlockScalar = blockScalarIndent >= 0 && (content === '' || indent > blockScalarIndent);
    if (!inBlockScalar && content !== '' && !content.startsWith('#')) {
      blockScalarIndent = -1;
      const indicators = INDICATORS.exec(content)?.[0] ?? '';
      const count = indicators.replace(/[^-?:]/g, '').length;
      if (flow === 0) {
        while (levels.length > 0 && (levels.at(-1)?.indent ?? 0) >= indent) levels.pop();
        const key = KEY.exec(content.slice(indicators.length))?.[1] ?? '';
        levels.push({ indent, key: `${'[]'.repeat(count)}${key}` });
      }
      const path = (): string => levels.map((l) => l.key).filter((k) => k !== '').join('.').replaceAll('.[]', '[]');
      for (let i = indent; i < line.length; i++) {
        const c = line[i] ?? '';
        if (c === '#' && (i === indent || line[i - 1] === ' ')) break;
        if (c === '[' || c === '{') flow++;
        else if ((c === ']' || c === '}') && flow > 0) flow--;
        else if (c === '*' && (i === indent || BEFORE_ALIAS.has(line[i - 1] ?? '')) && ++aliases > MAX_ALIAS_REFERENCES) {
          return { offset: start + i, path: path(), message: `more than ${MAX_ALIAS_REFERENCES} aliases` };
        }
        if (levels.length + count + flow > MAX_SCAN_NESTING) {
          return { offset: start + Math.max(i, indent), path: path(), message: `nested deeper than ${MAX_SCAN_NESTING} levels` };
        }
      }
      if (BLOCK_SCALAR.test(content)) blockScalarIndent = indent;
    }
    start = end + 1;
  }
  return null;
}
