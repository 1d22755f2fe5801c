import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionSyntaxError } from '../../src/conditions/index.js';

type ErrorRow = [condition: string, position: number, reason: string];

const errorRows: ErrorRow[] = [
  ['[STATU] == 200', 0, 'unknown placeholder [STATU]'],
  ['200 == [STATU]', 7, 'unknown placeholder [STATU]'],
  ['len([BDY].items) > 1', 4, 'unknown placeholder [BDY]'],
  ['[Status2] == 1', 0, 'unknown placeholder [Status2]'],
  ['[STATUS] =! 200', 9, 'unknown operator =! (expected one of == != > >= < <=)'],
  ['[STATUS] => 200', 9, 'unknown operator => (expected one of == != > >= < <=)'],
  ['[STATUS] === 200', 9, 'unknown operator === (expected one of == != > >= < <=)'],
  ['[STATUS] 200', 9, 'missing comparison operator (one of == != > >= < <=)'],
  ['[STATUS]', 8, 'missing comparison operator (one of == != > >= < <=)'],
  ['[STATUS]==200', 8, 'operator == must have a space on each side'],
  ['[STATUS] ==200', 9, 'operator == must have a space on each side'],
  ['', 0, 'empty condition'],
  ['   ', 0, 'empty condition'],
  ['[STATUS] ==', 11, 'missing right operand after =='],
  ['== 200', 0, 'missing left operand before =='],
  ['[STATUS] == 200 == 300', 16, 'unexpected second operator =='],
  ['[STATUS] > 200 < 300', 15, 'unexpected second operator <'],
  ['[STATUS]x == 200', 8, 'unexpected "x" after [STATUS]'],
  ['[BODY]x == 1', 6, 'unexpected "x" after [BODY]'],
  ['[BODY]. == 1', 7, 'empty JSON path'],
  ['[BODY].a..b == 1', 9, 'empty key in JSON path'],
  ['[BODY].a[x] == 1', 8, 'array index must be an integer, got [x]'],
  ['[BODY].a[1.5] == 1', 8, 'array index must be an integer, got [1.5]'],
  ['[BODY].a[*].b == 1', 8, 'wildcard index [*] is not supported'],
  ['[BODY].a[0]b == 1', 7, 'invalid JSON path element "a[0]b"'],
  ['[CONTEXT]x == 1', 9, 'expected [CONTEXT].path, got "[CONTEXT]x"'],
  ['[CONTEXT].a..b == 1', 9, 'empty key in context path ".a..b"'],
  ['len([BODY] == 1', 15, 'missing ")" to close the "(" at position 3'],
  ['[BODY] == pat(*x == y*', 22, 'missing ")" to close pat('],
  ['[BODY] == len([BODY]', 20, 'missing ")" to close len('],
  ['[IP] == pat(10.*', 16, 'missing ")" to close pat('],
  ['LEN([BODY]) == 1', 0, 'function names are lower-case: use len()'],
  ['len(foo) == 1', 4, 'len() takes a placeholder such as [BODY].items, got "foo"'],
  ['has() == true', 4, 'has() takes a placeholder such as [BODY].items, got ""'],
  ['[BODY] == pat([abc)', 14, 'invalid pattern in pat(): unterminated character class'],
  ['[BODY] == pat([]a])', 14, 'invalid pattern in pat(): unexpected "]" in character class'],
  ['[BODY] == pat(abc\\)', 14, 'invalid pattern in pat(): pattern ends with a lone "\\"'],
  ['[BODY] == pat([a-])', 14, 'invalid pattern in pat(): unexpected "]" in character class'],
  ['pat(a*) == any(a, b)', 11, 'pat() and any() need a value on the other side, not another pat() or any()'],
  ['[STATUS] < any(300, 400)', 11, 'any() can only be used with == or !=, not <'],
  ['pat(1*) >= [STATUS]', 0, 'pat() can only be used with == or !=, not >='],
];

describe('compileCondition rejects invalid conditions', () => {
  it.each(errorRows)('%j → position %i: %s', (condition, position, reason) => {
    let caught: unknown;
    try {
      compileCondition(condition);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConditionSyntaxError);
    const err = caught as ConditionSyntaxError;
    expect(err.code).toBe('VIGIL_CONDITION_INVALID');
    expect(err.condition).toBe(condition);
    expect({ position: err.position, message: err.message }).toEqual({
      position,
      message: `invalid condition "${condition}" at position ${position}: ${reason}`,
    });
  });

  it('ends the message with exactly "unknown placeholder [STATU]" for the config loader', () => {
    expect(() => compileCondition('[STATU] == 200')).toThrow(/: unknown placeholder \[STATU\]$/);
  });
});

describe('compileCondition accepts what Gatus accepts', () => {
  it.each([
    '[BODY] == <html>',
    '[BODY] == a:b!c',
    '[BODY] == pat(*a != b*)',
    '[BODY] == pat(*[OK]*)',
    '[BODY] == [not a placeholder]',
    '[BODY].items[0].tags[10] == x',
    '[CERTIFICATE_EXPIRATION] > 1.5h',
    'has([CONTEXT]) == false',
    '[BODY] == :)',
  ])('%s', (condition) => {
    expect(compileCondition(condition).text).toBe(condition);
  });
});
