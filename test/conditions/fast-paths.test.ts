import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/conditions/index.js';
import { toInt64 } from '../../src/conditions/evaluate.js';
import { byteLength, parseGoInt } from '../../src/conditions/go-values.js';

// The hot path reads plain decimal integers without RegExp or BigInt and keeps numeric fields as
// numbers; these pin its edges to the results of the full Go-compatible conversions.
describe('fast paths keep Go-compatible results', () => {
  it.each([
    ['999999999999999', 999999999999999n], ['-999999999999999', -999999999999999n], ['1000000000000000', 1000000000000000n],
    ['9007199254740993', 9007199254740993n], ['-0', 0n], ['+0', 0n], ['00', 0n],
  ])('parseGoInt and toInt64 read %s exactly as %s', (s, n) => {
    expect(parseGoInt(s)).toBe(n);
    expect(toInt64(s)).toBe(n);
  });

  it('counts UTF-8 bytes of surrogate pairs and lone surrogates as TextEncoder does', () => {
    expect(byteLength('😀')).toBe(4);
    expect(byteLength('\ud800')).toBe(3);
    expect(byteLength('a\udc00b😀')).toBe(9);
  });

  it('shows numeric fields that are not safe integers as JavaScript prints them', () => {
    expect(compileCondition('[STATUS] == 0').evaluate({ status: Number.NaN })).toEqual({ success: false, rendered: '[STATUS] (NaN) == 0' });
    expect(compileCondition('[RESPONSE_TIME] > 9223372036854775806').evaluate({ responseTimeMs: 1e20 }, { resolveSuccessful: true })).toEqual({
      success: true,
      rendered: '[RESPONSE_TIME] (9223372036854775807) > 9223372036854775806',
    });
  });

  it('compares JSON integers as integers with integer literals and as text otherwise', () => {
    const body = '{"n":1,"big":9007199254740993}';
    expect(compileCondition('[BODY].n == 0x1').evaluate({ body }).success).toBe(true);
    expect(compileCondition('[BODY].n == 1.0').evaluate({ body }).success).toBe(false);
    expect(compileCondition('[BODY].big == 9007199254740992').evaluate({ body }).success).toBe(true);
    expect(compileCondition('len([STATUS]) == 3').evaluate({ status: 200 }).success).toBe(true);
  });
});
