/**
 * compileCondition: parse once, return closures. evaluate() resolves the placeholder side(s), runs
 * the comparison built at compile time (compare.ts), and renders the outcome only when it is shown.
 */
import { ConditionSyntaxError } from '../errors.js';
import { compileComparison } from './compare.js';
import { readInt64 } from './go-values.js';
import { splitCondition, type Operator } from './lexer.js';
import { parseOperand, type Operand } from './parser.js';
import { compileResolver, type Resolver } from './placeholders.js';
import { renderResolved } from './render.js';
import type { CompiledCondition, ConditionInput, ConditionOutcome, EvaluateOptions } from './types.js';

/** Gatus' numeric reading of a resolved value: a duration in ms, an integer, a truncated float, else 0. */
export function toInt64(value: string): bigint {
  return BigInt(readInt64(value));
}

function compileSide(operand: Operand): Resolver {
  if (operand.kind === 'placeholder') return compileResolver(operand.ref, operand.wrapper, operand.text);
  const text = operand.text;
  return () => text;
}

const NO_OPTIONS: EvaluateOptions = Object.freeze({});

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
  const resolveLeft = compileSide(leftOperand);
  const resolveRight = compileSide(rightOperand);
  const comparison = compileComparison(split.operator, leftOperand, rightOperand);
  const placeholders = [...new Set([placeholderName(leftOperand), placeholderName(rightOperand)])].filter(
    (p): p is string => p !== null,
  );
  const operator = split.operator;
  const leftIsPattern = leftOperand.kind === 'pat';
  const rightIsPattern = rightOperand.kind === 'pat';

  function evaluate(result: ConditionInput, options: EvaluateOptions = NO_OPTIONS): ConditionOutcome {
    const l = resolveLeft(result, options);
    const r = resolveRight(result, options);
    const success = comparison.test(l, r);
    const resolve = success ? options.resolveSuccessful === true : options.dontResolveFailed !== true;
    if (!resolve) return { success, rendered: text };
    const [shownLeft, shownRight] = comparison.show(l, r);
    const rendered = renderResolved(
      { text: leftOperand.text, resolved: shownLeft, isPattern: leftIsPattern },
      operator,
      { text: rightOperand.text, resolved: shownRight, isPattern: rightIsPattern },
    );
    return { success, rendered };
  }

  return Object.freeze({ text, placeholders: Object.freeze(placeholders), evaluate });
}
