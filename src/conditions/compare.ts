/**
 * The comparison of a condition, built once from its operator and operands. Everything that depends
 * only on the condition text is worked out here, at compile time: a literal's integer value, its
 * numeric value (durations in ms) and how it is shown, the any() option set, the pat() matcher.
 * What is left for each evaluation is reading the resolved placeholder side.
 *
 * == / != compare as integers when both sides read as Go integers, else as exact text (or with the
 * pat() / any() matcher); < <= > >= compare int64 readings where durations count as milliseconds
 * and anything unparsable counts as 0 (see docs/conditions.md).
 */
import {
  formatDurationMs,
  parseGoDurationMs,
  parseGoIntValue,
  readInt64,
  resolvedText,
  type GoInt,
  type Resolved,
} from './go-values.js';
import type { Operator } from './lexer.js';
import type { Operand } from './parser.js';
import { INVALID_SUFFIX } from './placeholders.js';

export interface Comparison {
  test(left: Resolved, right: Resolved): boolean;
  /** The two sides as the rendered condition shows them (only called when rendering). */
  show(left: Resolved, right: Resolved): [string, string];
}

type IntReader = (value: Resolved) => GoInt | null;

const readGoInt: IntReader = (value) => (typeof value === 'number' ? value : parseGoIntValue(value));

/** A side's reading as a Go integer; for a literal it is fixed, and null when it never is an integer. */
function equalityReader(operand: Operand): IntReader | null {
  if (operand.kind !== 'literal') return readGoInt;
  const value = parseGoIntValue(operand.text);
  return value === null ? null : () => value;
}

function sameText(left: Resolved, right: Resolved): boolean {
  return typeof left === typeof right ? left === right : resolvedText(left) === resolvedText(right);
}

function matcher(operand: Operand): ((value: Resolved) => boolean) | null {
  if (operand.kind === 'pat') return (value) => operand.match(resolvedText(value));
  if (operand.kind === 'any') {
    const options = new Set(operand.options);
    return (value) => options.has(resolvedText(value));
  }
  return null;
}

function equality(left: Operand, right: Operand): (l: Resolved, r: Resolved) => boolean {
  const leftMatcher = matcher(left);
  if (leftMatcher) return (_l, r) => leftMatcher(r);
  const rightMatcher = matcher(right);
  if (rightMatcher) return (l) => rightMatcher(l);
  const leftInt = equalityReader(left);
  const rightInt = equalityReader(right);
  // A literal that is not an integer: the sides can only be equal as text.
  if (leftInt === null || rightInt === null) return sameText;
  return (l, r) => {
    const a = leftInt(l);
    if (a !== null) {
      const b = rightInt(r);
      if (b !== null) return a === b;
    }
    return sameText(l, r);
  };
}

const NUMERIC: Readonly<Record<Exclude<Operator, '==' | '!='>, (a: GoInt, b: GoInt) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** Shown as a duration: [CERTIFICATE_EXPIRATION], [DOMAIN_EXPIRATION], or a literal written with a unit. */
function showsAsDuration(operand: Operand): boolean {
  if (operand.kind === 'placeholder') {
    return operand.wrapper === 'none' && (operand.ref.name === 'CERTIFICATE_EXPIRATION' || operand.ref.name === 'DOMAIN_EXPIRATION');
  }
  return operand.kind === 'literal' && parseGoDurationMs(operand.text) !== null;
}

interface NumericSide {
  read(value: Resolved): GoInt;
  show(value: Resolved): string;
}

function numericSide(operand: Operand): NumericSide {
  const invalid = operand.text + INVALID_SUFFIX;
  const asDuration = showsAsDuration(operand);
  const display = (value: GoInt): string => (asDuration ? formatDurationMs(BigInt(value)) : String(value));
  if (operand.kind === 'literal') {
    const value = readInt64(operand.text);
    const shown = display(value);
    return { read: () => value, show: () => shown };
  }
  const read = (resolved: Resolved): GoInt => (typeof resolved === 'number' ? resolved : readInt64(resolved));
  return { read, show: (resolved) => (resolved === invalid ? resolved : display(read(resolved))) };
}

export function compileComparison(operator: Operator, left: Operand, right: Operand): Comparison {
  if (operator === '==' || operator === '!=') {
    const equal = equality(left, right);
    const test = operator === '!=' ? (l: Resolved, r: Resolved) => !equal(l, r) : equal;
    return { test, show: (l, r) => [resolvedText(l), resolvedText(r)] };
  }
  const holds = NUMERIC[operator];
  const leftSide = numericSide(left);
  const rightSide = numericSide(right);
  return {
    test: (l, r) => holds(leftSide.read(l), rightSide.read(r)),
    show: (l, r) => [leftSide.show(l), rightSide.show(r)],
  };
}
