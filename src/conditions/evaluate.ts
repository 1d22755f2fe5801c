/**
 * compileCondition: parse once, return closures. evaluate() resolves the two operands, compares them
 * the way Gatus does (== / != as integers when both parse as Go integers, else as strings, with
 * pat() and any(); < <= > >= on int64 values where durations count as milliseconds and anything
 * unparsable counts as 0), then renders the outcome.
 */
import { ConditionSyntaxError } from '../errors.js';
import { formatDurationMs, parseGoDurationMs, parseGoFloatToInt, parseGoInt } from './go-values.js';
import { splitCondition, type Operator } from './lexer.js';
import { parseOperand, type Operand } from './parser.js';
import { compileResolver, INVALID_SUFFIX, type Resolver } from './placeholders.js';
import { renderResolved } from './render.js';
import type { CompiledCondition, ConditionInput, ConditionOutcome, EvaluateOptions } from './types.js';

interface Side {
  operand: Operand;
  resolve: Resolver;
  isPattern: boolean;
}

type Comparison = (left: string, right: string) => { success: boolean; shownLeft: string; shownRight: string };

/** Gatus' numeric reading of a resolved value: a duration in ms, an integer, a truncated float, else 0. */
export function toInt64(value: string): bigint {
  const duration = parseGoDurationMs(value);
  if (duration !== null && duration !== 0n) return duration;
  return parseGoInt(value) ?? parseGoFloatToInt(value) ?? 0n;
}

function makeSide(operand: Operand): Side {
  const isPattern = operand.kind === 'pat';
  if (operand.kind === 'placeholder') {
    return { operand, resolve: compileResolver(operand.ref, operand.wrapper, operand.text), isPattern };
  }
  const text = operand.text;
  return { operand, resolve: () => text, isPattern };
}

function equality(left: Operand, right: Operand): (l: string, r: string) => boolean {
  if (left.kind === 'pat') return (_l, r) => left.match(r);
  if (right.kind === 'pat') return (l) => right.match(l);
  if (left.kind === 'any') return (_l, r) => left.options.includes(r);
  if (right.kind === 'any') return (l) => right.options.includes(l);
  return (l, r) => {
    const a = parseGoInt(l);
    if (a !== null) {
      const b = parseGoInt(r);
      if (b !== null) return a === b;
    }
    return l === r;
  };
}

const NUMERIC: Readonly<Record<Exclude<Operator, '==' | '!='>, (a: bigint, b: bigint) => boolean>> = {
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

function numericDisplay(operand: Operand): (resolved: string, value: bigint) => string {
  const invalid = operand.text + INVALID_SUFFIX;
  const asDuration = showsAsDuration(operand);
  return (resolved, value) => {
    if (resolved === invalid) return resolved;
    return asDuration ? formatDurationMs(value) : value.toString();
  };
}

function compare(operator: Operator, left: Operand, right: Operand): Comparison {
  if (operator === '==' || operator === '!=') {
    const equal = equality(left, right);
    const negate = operator === '!=';
    return (l, r) => ({ success: equal(l, r) !== negate, shownLeft: l, shownRight: r });
  }
  const test = NUMERIC[operator];
  const showLeft = numericDisplay(left);
  const showRight = numericDisplay(right);
  return (l, r) => {
    const a = toInt64(l);
    const b = toInt64(r);
    return { success: test(a, b), shownLeft: showLeft(l, a), shownRight: showRight(r, b) };
  };
}

function placeholderName(operand: Operand): string | null {
  return operand.kind === 'placeholder' ? `[${operand.ref.name}]` : null;
}

function checkFunctions(text: string, operator: Operator, left: Operand, right: Operand, positions: [number, number]): void {
  const [leftPosition, rightPosition] = positions;
  const isMatcher = (o: Operand): boolean => o.kind === 'pat' || o.kind === 'any';
  if (isMatcher(left) && isMatcher(right)) {
    throw new ConditionSyntaxError(text, rightPosition, 'pat() and any() need a value on the other side, not another pat() or any()');
  }
  if (operator !== '==' && operator !== '!=') {
    const matcher = isMatcher(left) ? left : isMatcher(right) ? right : null;
    if (matcher) {
      const position = matcher === left ? leftPosition : rightPosition;
      throw new ConditionSyntaxError(text, position, `${matcher.kind}() can only be used with == or !=, not ${operator}`);
    }
  }
}

export function compileCondition(text: string): CompiledCondition {
  const split = splitCondition(text);
  const leftOperand = parseOperand(split.left, text);
  const rightOperand = parseOperand(split.right, text);
  checkFunctions(text, split.operator, leftOperand, rightOperand, [split.left.position, split.right.position]);
  const left = makeSide(leftOperand);
  const right = makeSide(rightOperand);
  const comparison = compare(split.operator, leftOperand, rightOperand);
  const placeholders = [...new Set([placeholderName(leftOperand), placeholderName(rightOperand)])].filter(
    (p): p is string => p !== null,
  );
  const operator = split.operator;

  function evaluate(result: ConditionInput, options: EvaluateOptions = {}): ConditionOutcome {
    const l = left.resolve(result, options);
    const r = right.resolve(result, options);
    const { success, shownLeft, shownRight } = comparison(l, r);
    const resolve = success ? options.resolveSuccessful === true : options.dontResolveFailed !== true;
    if (!resolve) return { success, rendered: text };
    const rendered = renderResolved(
      { text: leftOperand.text, resolved: shownLeft, isPattern: left.isPattern },
      operator,
      { text: rightOperand.text, resolved: shownRight, isPattern: right.isPattern },
    );
    return { success, rendered };
  }

  return Object.freeze({ text, placeholders: Object.freeze(placeholders), evaluate });
}
