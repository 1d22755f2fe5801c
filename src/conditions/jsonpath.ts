/**
 * The [BODY] path language: `.key`, `.key[0]`, `[0]`, `.key[0][1]`, keys separated by dots.
 * Compiled once into segments; evaluated against an already parsed JSON value.
 * Values render as Gatus renders them: strings raw, objects as minified JSON with sorted keys,
 * arrays as Go's `[a b c]`, numbers and booleans as text.
 */
import { byteLength, formatGoValue, goJsonMarshal, isRecord, resolvedText, type Resolved } from './go-values.js';

export interface PathSegment {
  /** Object key; empty when the segment is only indexes (`[0]`). */
  key: string;
  indexes: number[];
}

export class JsonPathError extends Error {
  readonly offset: number;

  constructor(offset: number, reason: string) {
    super(reason);
    this.offset = offset;
  }
}

const SEGMENT_RE = /^([^[\]]*)((?:\[[^[\]]*\])*)$/;
const INDEX_RE = /\[([^[\]]*)\]/g;

function splitKeys(path: string): Array<{ text: string; offset: number }> {
  const keys: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '.' && depth === 0) {
      keys.push({ text: path.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  keys.push({ text: path.slice(start), offset: start });
  return keys;
}

/** `path` is what follows [BODY], without its leading dot, e.g. `data[0].name` or `[1]`. */
export function compileJsonPath(path: string): PathSegment[] {
  if (path === '') throw new JsonPathError(0, 'empty JSON path');
  return splitKeys(path).map(({ text, offset }) => {
    if (text === '') throw new JsonPathError(offset, 'empty key in JSON path');
    const m = SEGMENT_RE.exec(text);
    if (!m) throw new JsonPathError(offset, `invalid JSON path element "${text}"`);
    const indexes: number[] = [];
    const indexesOffset = offset + (m[1] ?? '').length;
    for (const im of (m[2] ?? '').matchAll(INDEX_RE)) {
      const raw = im[1] ?? '';
      const at = indexesOffset + (im.index ?? 0);
      if (raw === '*') throw new JsonPathError(at, 'wildcard index [*] is not supported');
      // Read as Go's strconv.Atoi does (`+1` is 1). A negative index never finds anything: Gatus'
      // jsonpath returns nothing for it, so the placeholder is INVALID.
      if (!/^[+-]?\d+$/.test(raw)) throw new JsonPathError(at, `array index must be an integer, got [${raw}]`);
      indexes.push(Number(raw));
    }
    return { key: m[1] ?? '', indexes };
  });
}

function step(segment: PathSegment, value: unknown): unknown {
  let current: unknown;
  if (segment.key === '') current = value;
  else if (isRecord(value) && Object.hasOwn(value, segment.key)) current = value[segment.key];
  else return undefined;
  for (const index of segment.indexes) {
    if (!Array.isArray(current) || index < 0 || index >= current.length) return undefined;
    current = current[index];
  }
  return current;
}

/** undefined when the path does not lead to a non-null value (Gatus renders that as INVALID). */
export function evaluateJsonPath(segments: readonly PathSegment[], root: unknown): unknown {
  let value = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === undefined) return undefined;
    value = step(segment, value);
    const last = i === segments.length - 1;
    if (value === null || value === undefined) return undefined;
    if (!last && !isRecord(value)) return undefined;
  }
  return value;
}

/** A found value as Gatus substitutes it; a safe integer stays a number (its text is String(n)). */
export function jsonValueText(value: unknown): Resolved {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  return isRecord(value) ? goJsonMarshal(value) : formatGoValue(value);
}

/** What len() returns for a found value: elements for arrays, bytes of its text otherwise. */
export function jsonValueLength(value: unknown): number {
  return Array.isArray(value) ? value.length : byteLength(resolvedText(jsonValueText(value)));
}
