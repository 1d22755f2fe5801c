import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/conditions/index.js';
describe('smoke', () => {
  it('works', () => {
    const c = compileCondition('[STATUS] == 200');
    expect(c.evaluate({ status: 500 })).toEqual({ success: false, rendered: '[STATUS] (500) == 200' });
    expect(compileCondition('[BODY].status == UP').evaluate({ body: '{}' }).rendered).toBe('[BODY].status (INVALID) == UP');
    expect(() => compileCondition('[STATU] == 200')).toThrow('unknown placeholder [STATU]');
  });
});
