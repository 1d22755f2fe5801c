/**
 * Splits a condition into `left OPERATOR right`. The operator is a run of `= ! < >` with whitespace on
 * both sides, outside parentheses (so `pat(*a == b*)` is one operand). Exactly one is allowed.
 */
import { ConditionSyntaxError } from '../errors.js';

export const OPERATORS = ['==', '!=', '>', '>=', '<', '<='] as const;
export type Operator = (typeof OPERATORS)[number];

function isOperator(s: string): s is Operator {
  return (OPERATORS as readonly string[]).includes(s);
}

export interface OperandText {
  /** Trimmed operand. */
  text: string;
  /** 0-based offset of `text` in the condition. */
  position: number;
}

export interface SplitCondition {
  left: OperandText;
  operator: Operator;
  right: OperandText;
}

interface Run {
  value: string;
  start: number;
  spaced: boolean;
}

const OPERATOR_CHARS = '=!<>';
const EXPECTED = 'one of == != > >= < <=';

function isSpace(c: string | undefined): boolean {
  return c === undefined || /\s/.test(c);
}

/** Operator-like runs outside parentheses, and where the first parenthesis left open begins (-1 if none). */
function operatorRuns(text: string): { runs: Run[]; unclosed: number } {
  const runs: Run[] = [];
  const open: number[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '(') {
      depth++;
      open.push(i);
    } else if (c === ')' && depth > 0) {
      depth--;
      open.pop();
    }
    if (depth === 0 && OPERATOR_CHARS.includes(c)) {
      const start = i;
      while (i < text.length && OPERATOR_CHARS.includes(text[i] ?? '')) i++;
      const spaced = isSpace(text[start - 1]) && isSpace(text[i]);
      runs.push({ value: text.slice(start, i), start, spaced });
      continue;
    }
    i++;
  }
  return { runs, unclosed: open[0] ?? -1 };
}

function operand(text: string, from: number, to: number): OperandText {
  const raw = text.slice(from, to);
  const lead = raw.length - raw.trimStart().length;
  return { text: raw.trim(), position: from + lead };
}

export function splitCondition(text: string): SplitCondition {
  const fail = (position: number, reason: string): never => {
    throw new ConditionSyntaxError(text, position, reason);
  };
  if (text.trim() === '') fail(0, 'empty condition');
  const { runs, unclosed } = operatorRuns(text);
  const spaced = runs.filter((r) => r.spaced);
  if (spaced.length === 0) {
    if (unclosed >= 0) fail(text.length, `missing ")" to close the "(" at position ${unclosed}`);
    const glued = runs.find((r) => isOperator(r.value));
    if (glued) fail(glued.start, `operator ${glued.value} must have a space on each side`);
    const first = /^\s*\S+\s*/.exec(text);
    fail(first ? first[0].length : 0, `missing comparison operator (${EXPECTED})`);
  }
  const [run, second] = spaced;
  if (run === undefined) return fail(0, `missing comparison operator (${EXPECTED})`);
  if (!isOperator(run.value)) fail(run.start, `unknown operator ${run.value} (expected ${EXPECTED})`);
  if (second) fail(second.start, `unexpected second operator ${second.value}`);
  const operator = run.value as Operator;
  const left = operand(text, 0, run.start);
  const right = operand(text, run.start + run.value.length, text.length);
  if (left.text === '') fail(run.start, `missing left operand before ${operator}`);
  if (right.text === '') fail(text.length, `missing right operand after ${operator}`);
  return { left, operator, right };
}
