/**
 * Chart axis arithmetic shared by the browser chart (serialised into app.js) and the server's
 * chart.svg: a "nice" top value and labels precise enough that sub-millisecond ticks differ.
 */

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above `value` (10 for nothing to show). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 10;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value * (1 - 1e-9)) return m * exp;
  return 10 * exp;
}

/** A tick label: as many decimals as the tick step needs (0.25ms, 1.5s), trailing zeros dropped. */
export function axisMs(ms: number, stepMs: number): string {
  const seconds = stepMs >= 250 && ms >= 1000;
  const value = seconds ? ms / 1000 : ms;
  const step = seconds ? stepMs / 1000 : stepMs;
  let decimals = 0;
  while (decimals < 4 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals += 1;
  const text = value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return `${text}${seconds ? 's' : 'ms'}`;
}

/** Where the x labels of a chart go: the first left-aligned, the last right-aligned, so none is clipped. */
export function xAnchor(index: number, count: number): 'start' | 'middle' | 'end' {
  return index === 0 ? 'start' : index === count - 1 ? 'end' : 'middle';
}

export interface ChartFrame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  plotW: number;
  plotH: number;
}

/** The plot area of a chart: room on the left for the y labels and below for the x labels. */
export function chartFrame(width: number, height: number): ChartFrame {
  const [left, right, top, bottom] = [58, 10, 12, 28];
  return { left, right, top, bottom, plotW: width - left - right, plotH: height - top - bottom };
}
