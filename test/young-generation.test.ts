/**
 * The young-generation cap's policy, with V8 replaced by fakes: growth off until the first
 * scavenge, V8's factor below the cap, 1 at or above it, restored on stop; and who is left alone.
 * test/integration/young-generation.test.ts checks the effect on a real V8 heap.
 */
import { describe, expect, it } from 'vitest';
import { capYoungGeneration, youngGenerationConfigured, type YoungGenerationHooks } from '../src/young-generation.js';

const MiB = 1024 * 1024;

function fakeV8() {
  const factors: number[] = [];
  let size = 2 * MiB;
  let listener: (() => void) | undefined;
  const hooks: YoungGenerationHooks = {
    newSpaceBytes: () => size,
    setGrowthFactor: (factor) => factors.push(factor),
    onScavenge: (next) => {
      listener = next;
      return () => (listener = undefined);
    },
  };
  return {
    hooks,
    factors,
    scavenge(newSize: number) {
      size = newSize;
      listener?.();
    },
    listening: () => listener !== undefined,
  };
}

describe('the young-generation cap', () => {
  it('stops growth at the cap and allows it again below, after the first scavenge', () => {
    const v8 = fakeV8();
    const stop = capYoungGeneration(8, v8.hooks);
    expect(v8.factors).toEqual([1]); // start-up burst: no growth before the first check
    v8.scavenge(2 * MiB);
    v8.scavenge(8 * MiB);
    expect(v8.factors).toEqual([1, 2]); // set only when it changes
    v8.scavenge(16 * MiB); // two 8 MB semi-spaces: the cap
    v8.scavenge(32 * MiB);
    expect(v8.factors).toEqual([1, 2, 1]);
    v8.scavenge(4 * MiB); // V8 shrank it (memory reducer): growth allowed again
    expect(v8.factors).toEqual([1, 2, 1, 2]);
    stop();
    expect(v8.listening()).toBe(false);
    v8.scavenge(16 * MiB);
    expect(v8.factors).toEqual([1, 2, 1, 2]);
  });

  it('restores V8’s growth when stopped at the cap', () => {
    const v8 = fakeV8();
    const stop = capYoungGeneration(1, v8.hooks);
    v8.scavenge(2 * MiB);
    stop();
    expect(v8.factors).toEqual([1, 2]);
  });

  it('leaves a process started with its own young-generation flags alone', () => {
    expect(youngGenerationConfigured([], '')).toBe(false);
    expect(youngGenerationConfigured(['--max-old-space-size=4096'], '--enable-source-maps')).toBe(false);
    expect(youngGenerationConfigured(['--max-semi-space-size=32'], '')).toBe(true);
    expect(youngGenerationConfigured([], '--enable-source-maps  --max_semi_space_size=4')).toBe(true);
    expect(youngGenerationConfigured(['--min-semi-space-size=1'], '')).toBe(true);
    expect(youngGenerationConfigured([], '--semi-space-growth-factor=3')).toBe(true);
  });
});
