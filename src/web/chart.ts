/** Server-side SVG line chart of response times (`/response-times/{window}/chart.svg`). */
import { escapeXml } from './badges.js';
import { axisMs, chartFrame, niceCeiling, xAnchor } from './ui/client/axis.js';

export interface ChartPoint {
  /** Epoch ms. */
  timestamp: number;
  responseTimeMs: number;
}

export interface ChartOptions {
  fromMs: number;
  toMs: number;
  width?: number;
  height?: number;
}

function label(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
}

export function responseTimeChart(points: readonly ChartPoint[], options: ChartOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 220;
  const { left, right, top, plotW, plotH } = chartFrame(width, height);
  const span = Math.max(1, options.toMs - options.fromMs);
  const max = niceCeiling(Math.max(0, ...points.map((p) => p.responseTimeMs)));
  const x = (t: number) => (left + ((t - options.fromMs) / span) * plotW).toFixed(1);
  const y = (ms: number) => (top + plotH - (Math.max(0, ms) / max) * plotH).toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="response time">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<g font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11" fill="#666">`,
  ];
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    const yy = y(v);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${left - 6}" y="${Number(yy) + 4}" text-anchor="end">${escapeXml(axisMs(v, max / 4))}</text>`);
  }
  for (let i = 0; i <= 4; i += 1) {
    const t = options.fromMs + (span * i) / 4;
    parts.push(`<text x="${x(t)}" y="${height - 8}" text-anchor="${xAnchor(i, 5)}">${escapeXml(label(t, span))}</text>`);
  }
  parts.push('</g>');
  const sorted = [...points].sort((a, b) => a.timestamp - b.timestamp);
  if (sorted.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-family="sans-serif" font-size="13" fill="#777">No data yet</text>`);
  } else if (sorted.length === 1) {
    const only = sorted[0] as ChartPoint;
    parts.push(`<circle cx="${x(only.timestamp)}" cy="${y(only.responseTimeMs)}" r="4" fill="#3b82f6"/>`);
  } else {
    const line = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.timestamp)},${y(p.responseTimeMs)}`).join(' ');
    const first = sorted[0] as ChartPoint;
    const last = sorted[sorted.length - 1] as ChartPoint;
    const base = (top + plotH).toFixed(1);
    parts.push(`<path d="${line} L${x(last.timestamp)},${base} L${x(first.timestamp)},${base} Z" fill="#3b82f6" fill-opacity=".12"/>`);
    parts.push(`<path d="${line}" fill="none" stroke="#3b82f6" stroke-width="2" stroke-linejoin="round"/>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
