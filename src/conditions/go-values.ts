/**
 * Value conversions that reproduce how Gatus (Go) turns strings into numbers and values into strings:
 * strconv.ParseInt with base 0, time.ParseDuration, fmt's %v for JSON values, encoding/json's Marshal,
 * and Go's byte-counting len().
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An int64 as the hot path holds it: a `number` when it is a safe integer, a `bigint` only beyond
 * that. Always normalized (see toGoInt), so `===` is integer equality and `<`/`>` compare across both.
 */
export type GoInt = number | bigint;

export function toGoInt(value: bigint): GoInt {
  return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
}

const INT_FORMS: ReadonlyArray<{ re: RegExp; prefix: string }> = [
  { re: /^0[xX]((?:_?[0-9a-fA-F])+)$/, prefix: '0x' },
  { re: /^0[bB]((?:_?[01])+)$/, prefix: '0b' },
  { re: /^0[oO]((?:_?[0-7])+)$/, prefix: '0o' },
  { re: /^0((?:_?[0-7])*)$/, prefix: '0o' },
  { re: /^([1-9](?:_?[0-9])*)$/, prefix: '' },
];

const MAX_FAST_DIGITS = 15; // 10^15 - 1 < 2^53: exact as a number

/**
 * The common case of strconv.ParseInt without a RegExp or a BigInt: `0` or a decimal integer of at
 * most 15 digits without leading zero or `_`, optionally signed. undefined means "ask the full
 * parser" (other bases, `017` octal, underscores, long numbers, or not an integer at all).
 */
export function parseSmallDecimal(s: string): number | undefined {
  const length = s.length;
  const sign = s.charCodeAt(0);
  const start = sign === 0x2d /* - */ || sign === 0x2b /* + */ ? 1 : 0;
  const digits = length - start;
  if (digits === 0 || digits > MAX_FAST_DIGITS) return undefined;
  const first = s.charCodeAt(start) - 0x30;
  if (first === 0) return digits === 1 ? 0 : undefined;
  if (!(first >= 1 && first <= 9)) return undefined;
  let value = first;
  for (let i = start + 1; i < length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return undefined;
    value = value * 10 + d;
  }
  return sign === 0x2d ? -value : value;
}

function parseGoIntForms(s: string): bigint | null {
  let sign = 1n;
  let rest = s;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    if (rest.startsWith('-')) sign = -1n;
    rest = rest.slice(1);
  }
  for (const form of INT_FORMS) {
    const m = form.re.exec(rest);
    if (!m) continue;
    const digits = (m[1] ?? '').replaceAll('_', '');
    const value = sign * BigInt(digits === '' ? '0' : form.prefix + digits);
    return value < INT64_MIN || value > INT64_MAX ? null : value;
  }
  return null;
}

/** strconv.ParseInt(s, 0, 64): sign, 0x/0o/0b/0 prefixes, `_` between digits. null when Go errors. */
export function parseGoInt(s: string): bigint | null {
  const small = parseSmallDecimal(s);
  return small === undefined ? parseGoIntForms(s) : BigInt(small);
}

/** parseGoInt as a GoInt: no BigInt at all for plain decimal integers. */
export function parseGoIntValue(s: string): GoInt | null {
  const small = parseSmallDecimal(s);
  if (small !== undefined) return small;
  const value = parseGoIntForms(s);
  return value === null ? null : toGoInt(value);
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseFloat (decimal forms) followed by Go's int64(f) truncation, saturated to int64. */
export function parseGoFloatToInt(s: string): bigint | null {
  if (!FLOAT_RE.test(s)) return null;
  const f = Number(s);
  if (!Number.isFinite(f)) return f > 0 ? INT64_MAX : INT64_MIN;
  const t = BigInt(Math.trunc(f));
  if (t > INT64_MAX) return INT64_MAX;
  if (t < INT64_MIN) return INT64_MIN;
  return t;
}

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_RE = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const MAX_DURATION_NS = 9.223372036854775807e18;

/**
 * time.ParseDuration, returned in whole milliseconds (Duration.Milliseconds() truncates).
 * Unlike Go, a bare `0` without unit is not a duration here (Go accepts it; see docs/conditions.md).
 */
export function parseGoDurationMs(s: string): bigint | null {
  if (!DURATION_RE.test(s)) return null;
  let ns = 0;
  for (const m of s.matchAll(DURATION_PART_RE)) {
    ns += Number(m[1]) * (UNIT_NS[m[2] ?? ''] ?? 0);
  }
  if (ns > MAX_DURATION_NS) return null;
  const ms = BigInt(Math.trunc(ns / 1e6));
  return s.startsWith('-') ? -ms : ms;
}

/**
 * Gatus' numeric reading of a resolved value (for < <= > >=): a duration in ms, an integer, a
 * truncated float, else 0. A plain decimal integer is never a duration (that needs a unit), so it
 * is read first, without RegExp or BigInt.
 */
export function readInt64(value: string): GoInt {
  const small = parseSmallDecimal(value);
  if (small !== undefined) return small;
  const duration = parseGoDurationMs(value);
  if (duration !== null && duration !== 0n) return toGoInt(duration);
  const parsed = parseGoIntForms(value) ?? parseGoFloatToInt(value);
  return parsed === null ? 0 : toGoInt(parsed);
}

/**
 * A duration in milliseconds shown the way Gatus intends: truncated to whole seconds, Go's
 * Duration.String() form, trailing zero units dropped (336h, 1h30m, 30s, 1h0m15s, 0s).
 */
export function formatDurationMs(ms: bigint): string {
  const negative = ms < 0n;
  let total = (negative ? -ms : ms) / 1000n;
  if (total === 0n) return '0s';
  const h = total / 3600n;
  total %= 3600n;
  const m = total / 60n;
  const s = total % 60n;
  let out: string;
  if (h > 0n) out = s === 0n ? (m === 0n ? `${h}h` : `${h}h${m}m`) : `${h}h${m}m${s}s`;
  else if (m > 0n) out = s === 0n ? `${m}m` : `${m}m${s}s`;
  else out = `${s}s`;
  return negative ? `-${out}` : out;
}

/** A JSON number as text. Integers never use exponent notation below 1e21 (Go's %v would: see docs). */
export function formatNumber(n: number): string {
  return String(n);
}

/**
 * A resolved operand: its text, or a safe integer standing for its decimal text, so that numbers
 * (status, response time, lengths, JSON integers) reach the comparison without a string round-trip.
 */
export type Resolved = string | number;

export function resolvedText(value: Resolved): string {
  return typeof value === 'number' ? String(value) : value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort();
}

/** fmt.Sprintf("%v", value) for values decoded from JSON. */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (isRecord(value)) return `map[${sortedKeys(value).map((k) => `${k}:${formatGoValue(value[k])}`).join(' ')}]`;
  return String(value);
}

const GO_JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => GO_JSON_ESCAPES[c] ?? c);
}

/** encoding/json.Marshal: minified, map keys sorted, <, >, & escaped. */
export function goJsonMarshal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(',')}]`;
  if (isRecord(value)) {
    return `{${sortedKeys(value).map((k) => `${goJsonString(k)}:${goJsonMarshal(value[k])}`).join(',')}}`;
  }
  return 'null';
}

/** Go's len(string): UTF-8 bytes, not characters (a lone surrogate counts as U+FFFD, as TextEncoder does). */
export function byteLength(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** fmt's `%.Ns`: the first N characters (runes). */
export function firstRunes(s: string, n: number): string {
  let out = '';
  let count = 0;
  for (const ch of s) {
    if (count++ >= n) break;
    out += ch;
  }
  return out;
}
