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
 * Flow brackets and compact `- ` / `? ` indicators left open, checked before the YAML parser runs:
 * past a few hundred thousand of them it takes seconds and can run out of memory.
 */
export const MAX_SCAN_NESTING = 10_000;

export interface TooDeep {
  /** 0-based offset where the nesting passed MAX_SCAN_NESTING. */
  offset: number;
}

const OPEN = new Set(['[', '{']);
const CLOSE = new Set([']', '}']);

/**
 * A cheap upper bound of the nesting, ignoring quotes and comments (a real config never comes near
 * the limit, so a bracket inside a string cannot make it fail): open flow brackets, plus the
 * compact `- ` / `? ` indicators at the start of the current line.
 */
export function scanNesting(source: string): TooDeep | null {
  let flow = 0;
  let lineIndicators = 0;
  let atLineStart = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\n') {
      lineIndicators = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart && (c === '-' || c === '?') && (source[i + 1] === ' ' || source[i + 1] === '\t')) lineIndicators++;
    else if (c !== ' ' && c !== '\t') atLineStart = false;
    if (OPEN.has(c)) flow++;
    else if (CLOSE.has(c) && flow > 0) flow--;
    if (flow + lineIndicators > MAX_SCAN_NESTING) return { offset: i };
  }
  return null;
}
