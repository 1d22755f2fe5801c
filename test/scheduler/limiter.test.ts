import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/scheduler/limiter.js';

describe('limiter', () => {
  it('runs at most `limit` tasks at once and the rest in FIFO order', async () => {
    const limiter = createLimiter(2);
    const order: number[] = [];
    let peak = 0;
    const resolvers: Array<() => void> = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        order.push(i);
        peak = Math.max(peak, limiter.active);
        await new Promise<void>((r) => resolvers.push(r));
      }),
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      resolvers.shift()?.();
    }
    await Promise.all(tasks);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('releases its slot when a task throws', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('rejects a non-positive limit', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
