/**
 * Parses one operand: a placeholder (`[STATUS]`, `[BODY].a[0].b`, `[CONTEXT].x`), a len()/has()
 * around a placeholder, a pat()/any() literal, or a plain literal. Names of placeholders are
 * case-insensitive (as in Gatus); function names are lower-case.
 */
import { ConditionSyntaxError } from '../errors.js';
import { compileJsonPath, JsonPathError } from './jsonpath.js';
import type { OperandText } from './lexer.js';
import { compilePattern, PatternError, type PatternMatcher } from './pattern.js';
import { isPlaceholderName, type PlaceholderRef, type Wrapper } from './placeholders.js';

export type Operand =
  | { kind: 'literal'; text: string }
  | { kind: 'placeholder'; text: string; wrapper: Wrapper; ref: PlaceholderRef }
  | { kind: 'pat'; text: string; match: PatternMatcher }
  | { kind: 'any'; text: string; options: readonly string[] };

const FUNCTION_RE = /^(len|has|pat|any)\(/i;
const PLACEHOLDER_RE = /^\[([A-Za-z][A-Za-z0-9_]*)\]/;

type Fail = (position: number, reason: string) => never;

function parseRef(text: string, position: number, fail: Fail): PlaceholderRef | null {
  const m = PLACEHOLDER_RE.exec(text);
  if (!m) return null;
  const written = m[0];
  const name = (m[1] ?? '').toUpperCase();
  if (!isPlaceholderName(name)) fail(position, `unknown placeholder ${written}`);
  const rest = text.slice(written.length);
  const restPosition = position + written.length;
  if (name === 'BODY') {
    if (rest === '') return { name, path: null };
    if (!rest.startsWith('.') && !rest.startsWith('[')) fail(restPosition, `unexpected "${rest}" after ${written}`);
    const path = rest.startsWith('.') ? rest.slice(1) : rest;
    const pathPosition = restPosition + (rest.length - path.length);
    try {
      return { name, path: compileJsonPath(path) };
    } catch (err) {
      if (err instanceof JsonPathError) fail(pathPosition + err.offset, err.message);
      throw err;
    }
  }
  if (name === 'CONTEXT') {
    if (rest === '') return { name, path: [] };
    if (!rest.startsWith('.') || rest.length === 1) fail(restPosition, `expected ${written}.path, got "${text}"`);
    const keys = rest.slice(1).split('.');
    if (keys.some((k) => k === '')) fail(restPosition, `empty key in context path "${rest}"`);
    return { name, path: keys };
  }
  if (rest !== '') fail(restPosition, `unexpected "${rest}" after ${written}`);
  return { name: name as Exclude<typeof name, 'BODY' | 'CONTEXT'> };
}

function parseFunction(op: OperandText, fn: string, fail: Fail): Operand {
  const { text, position } = op;
  if (fn !== fn.toLowerCase()) fail(position, `function names are lower-case: use ${fn.toLowerCase()}()`);
  if (!text.endsWith(')')) fail(position + text.length, `missing ")" to close ${fn}(`);
  const inner = text.slice(fn.length + 1, -1);
  const innerPosition = position + fn.length + 1;
  if (fn === 'pat') {
    try {
      return { kind: 'pat', text, match: compilePattern(inner) };
    } catch (err) {
      if (err instanceof PatternError) fail(innerPosition, `invalid pattern in pat(): ${err.message}`);
      throw err;
    }
  }
  if (fn === 'any') {
    return { kind: 'any', text, options: inner.split(',').map((o) => o.trim()) };
  }
  const trimmed = inner.trim();
  const trimmedPosition = innerPosition + (inner.length - inner.trimStart().length);
  const ref = parseRef(trimmed, trimmedPosition, fail);
  if (ref === null) fail(trimmedPosition, `${fn}() takes a placeholder such as [BODY].items, got "${inner}"`);
  return { kind: 'placeholder', text, wrapper: fn as Wrapper, ref: ref as PlaceholderRef };
}

export function parseOperand(op: OperandText, condition: string): Operand {
  const fail: Fail = (position, reason) => {
    throw new ConditionSyntaxError(condition, position, reason);
  };
  const fnMatch = FUNCTION_RE.exec(op.text);
  if (fnMatch) return parseFunction(op, fnMatch[1] ?? '', fail);
  const ref = parseRef(op.text, op.position, fail);
  if (ref) return { kind: 'placeholder', text: op.text, wrapper: 'none', ref };
  return { kind: 'literal', text: op.text };
}
