import { describe, expect, it } from 'vitest';
import { axisMs, niceCeiling, xAnchor } from '../../src/web/ui/client/axis.js';

const ticks = (max: number) => {
  const top = niceCeiling(max);
  return [0, 1, 2, 3, 4].map((i) => axisMs((top * i) / 4, top / 4));
};

describe('chart axis', () => {
  it('labels sub-millisecond ticks with the decimals they need, all distinct', () => {
    expect(ticks(0.9)).toEqual(['0ms', '0.25ms', '0.5ms', '0.75ms', '1ms']);
    expect(ticks(0.04)).toEqual(['0ms', '0.0125ms', '0.025ms', '0.0375ms', '0.05ms']);
    expect(ticks(7)).toEqual(['0ms', '2.5ms', '5ms', '7.5ms', '10ms']);
  });

  it('keeps whole milliseconds whole and switches to seconds above 1 s', () => {
    expect(ticks(180)).toEqual(['0ms', '50ms', '100ms', '150ms', '200ms']);
    expect(ticks(4800)).toEqual(['0ms', '1.25s', '2.5s', '3.75s', '5s']);
    expect(ticks(1200)).toEqual(['0ms', '500ms', '1s', '1.5s', '2s']);
  });

  it('rounds the top up to 1, 2, 2.5 or 5 × 10^n, and 10 when there is nothing', () => {
    expect([niceCeiling(0), niceCeiling(1), niceCeiling(101), niceCeiling(240), niceCeiling(251)]).toEqual([10, 1, 200, 250, 500]);
  });

  it('anchors the first x label at its start and the last at its end', () => {
    expect([0, 1, 2].map((i) => xAnchor(i, 3))).toEqual(['start', 'middle', 'end']);
  });
});
