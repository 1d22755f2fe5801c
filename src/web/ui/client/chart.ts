/**
 * The detail page's response-time chart as inline SVG, drawn at the width it is shown at (one
 * SVG unit = one CSS pixel), so its 12 px text stays 12 px on a phone. Serialised: see dom.ts.
 */
import type * as Axis from './axis.js';
import type * as Dom from './dom.js';

declare const svgEl: typeof Dom.svgEl;
declare const fmtMs: typeof Dom.fmtMs;
declare const fmtTime: typeof Dom.fmtTime;
declare const niceCeiling: typeof Axis.niceCeiling;
declare const axisMs: typeof Axis.axisMs;
declare const xAnchor: typeof Axis.xAnchor;
declare const chartFrame: typeof Axis.chartFrame;

export interface ChartPointView {
  t: number;
  ms: number;
  ok?: boolean;
}

/** Time label for an x tick: the time alone when the chart spans less than a day. */
export function fmtTick(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs < 86_400_000) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function chartText(x: number, y: number, text: string, cls: string, anchor: string): SVGElement {
  const node = svgEl('text', { x: x.toFixed(1), y: y.toFixed(1), 'text-anchor': anchor, class: cls });
  node.textContent = text;
  return node;
}

export function lineChart(points: ChartPointView[], width: number, height: number): SVGElement {
  const chart = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img', 'aria-label': `response time chart, ${points.length} points` });
  const { left, right, top, plotW, plotH } = chartFrame(width, height);
  if (points.length === 0) {
    chart.append(chartText(width / 2, height / 2, 'No data yet', 'axis empty', 'middle'));
    return chart;
  }
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0]?.t ?? 0;
  const t1 = sorted[sorted.length - 1]?.t ?? t0;
  const span = Math.max(1, t1 - t0);
  const max = niceCeiling(Math.max(...sorted.map((p) => p.ms)));
  const x = (t: number) => left + (sorted.length === 1 ? plotW / 2 : ((t - t0) / span) * plotW);
  const y = (ms: number) => top + plotH - (Math.max(0, ms) / max) * plotH;
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    chart.append(svgEl('line', { x1: left, x2: width - right, y1: y(v).toFixed(1), y2: y(v).toFixed(1), class: 'grid' }));
    chart.append(chartText(left - 6, y(v) + 4, axisMs(v, max / 4), 'axis y', 'end'));
  }
  const ticks = sorted.length === 1 ? [t0] : plotW > 520 ? [t0, t0 + span / 2, t1] : [t0, t1];
  for (const [i, t] of ticks.entries()) {
    const anchor = ticks.length === 1 ? 'middle' : xAnchor(i, ticks.length);
    chart.append(chartText(anchor === 'start' ? left : anchor === 'end' ? width - right : x(t), height - 7, fmtTick(t, span), 'axis x', anchor));
  }
  const d = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ');
  const base = (top + plotH).toFixed(1);
  chart.append(svgEl('path', { d: `${d} L${x(t1).toFixed(1)},${base} L${x(t0).toFixed(1)},${base} Z`, class: 'area' }));
  chart.append(svgEl('path', { d, class: 'line' }));
  for (const p of sorted) {
    const dot = svgEl('circle', { cx: x(p.t).toFixed(1), cy: y(p.ms).toFixed(1), r: sorted.length > 120 ? 1.5 : 3, class: p.ok === false ? 'dot fail' : 'dot' });
    const title = svgEl('title');
    title.textContent = `${fmtTime(p.t)} · ${fmtMs(p.ms)}${p.ok === false ? ' · failed' : ''}`;
    dot.append(title);
    chart.append(dot);
  }
  return chart;
}
