import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileCondition } from '../../src/conditions/index.js';
import type { ConditionInput } from '../../src/conditions/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('compiled conditions', () => {
  it('lists the placeholders used, once each, upper-case, in order', () => {
    expect(compileCondition('[STATUS] == 200').placeholders).toEqual(['[STATUS]']);
    expect(compileCondition('len([body].items) > [CONTEXT].min').placeholders).toEqual(['[BODY]', '[CONTEXT]']);
    expect(compileCondition('[BODY].a == [BODY].b').placeholders).toEqual(['[BODY]']);
    expect(compileCondition('[IP] == pat(10.*)').placeholders).toEqual(['[IP]']);
    expect(compileCondition('1 == 1').placeholders).toEqual([]);
    expect(compileCondition('has([DOMAIN_EXPIRATION]) == true').placeholders).toEqual(['[DOMAIN_EXPIRATION]']);
  });

  it('keeps the original text and is immutable', () => {
    const c = compileCondition(' [STATUS] == 200 ');
    expect(c.text).toBe(' [STATUS] == 200 ');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.placeholders)).toBe(true);
  });

  it('parses a JSON body once per result object across conditions', () => {
    const conditions = ['[BODY].a == 1', '[BODY].b == 2', 'len([BODY].c) == 3', 'has([BODY].d) == false'].map(compileCondition);
    const parse = vi.spyOn(JSON, 'parse');
    const result: ConditionInput = { body: '{"a":1,"b":2,"c":[1,2,3]}' };
    for (let i = 0; i < 3; i++) {
      for (const c of conditions) expect(c.evaluate(result).success).toBe(true);
    }
    expect(parse).toHaveBeenCalledTimes(1);
    const other: ConditionInput = { body: '{"a":1}' };
    expect(conditions[0]?.evaluate(other).success).toBe(true);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('re-parses when the body of the same result object was replaced', () => {
    const c = compileCondition('[BODY].a == 1');
    const result: ConditionInput = { body: '{"a":1}' };
    expect(c.evaluate(result).success).toBe(true);
    result.body = '{"a":2}';
    expect(c.evaluate(result)).toEqual({ success: false, rendered: '[BODY].a (2) == 1' });
  });

  it('does not parse the body for conditions without a [BODY] path', () => {
    const parse = vi.spyOn(JSON, 'parse');
    compileCondition('[BODY] == pat(*ok*)').evaluate({ body: '{"ok":true}' });
    compileCondition('[STATUS] == 200').evaluate({ status: 200, body: '{}' });
    expect(parse).not.toHaveBeenCalled();
  });

  it('evaluates the same compiled condition against many results independently', () => {
    const c = compileCondition('[STATUS] == any(200, 204)');
    expect([200, 204, 500].map((status) => c.evaluate({ status }).success)).toEqual([true, true, false]);
  });

  it('accepts a full probe result with extra fields', () => {
    const probeResult = { connected: true, responseTimeMs: 12, phasesMs: { connect: 3 }, status: 200, error: undefined };
    expect(compileCondition('[CONNECTED] == true').evaluate(probeResult).success).toBe(true);
  });
});
