/**
 * How a condition is shown once evaluated, following Gatus: each side that resolved to something
 * other than its own text gets the value in parentheses (`[STATUS] (500) == 200`), a side that
 * could not be resolved shows `(INVALID)`, and the value compared with a pat() is cut to 25
 * characters (`...(truncated)`) so a whole HTML page is not displayed.
 */
import { byteLength, firstRunes } from './go-values.js';
import { INVALID_SUFFIX } from './placeholders.js';

export const PATTERN_TRUNCATE_AT = 25;

export interface RenderSide {
  /** The operand as written (trimmed). */
  text: string;
  /** What it resolved to (for numeric operators: the number or duration as text). */
  resolved: string;
  /** The operand is a pat(): the other side's value is truncated for display. */
  isPattern: boolean;
}

function truncateForPattern(value: string): string {
  // A string longer than the limit in UTF-16 units is longer in bytes too: no need to count a 1 MiB body.
  if (value.length <= PATTERN_TRUNCATE_AT && byteLength(value) <= PATTERN_TRUNCATE_AT) return value;
  return `${firstRunes(value, PATTERN_TRUNCATE_AT)}...(truncated)`;
}

function side(text: string, resolved: string): string {
  if (resolved === text + INVALID_SUFFIX) return resolved;
  if (resolved === text) return text;
  return `${text} (${resolved})`;
}

export function renderResolved(left: RenderSide, operator: string, right: RenderSide): string {
  const leftValue = right.isPattern ? truncateForPattern(left.resolved) : left.resolved;
  const rightValue = left.isPattern ? truncateForPattern(right.resolved) : right.resolved;
  return `${side(left.text, leftValue)} ${operator} ${side(right.text, rightValue)}`;
}
