/**
 * Browser helpers for the status page. These functions are serialised into /ui/assets/app.js
 * (see ../assets.ts): each must be self-contained, reference only other client functions by
 * name, and never use module-level values. Untrusted text goes through textContent only.
 */
import type { BarResult } from './types.js';

export interface ElProps {
  cls?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  on?: Record<string, (ev: Event) => void>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElProps = {},
  children: (Node | string | null | undefined | false)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.cls) node.className = props.cls;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props.on ?? {})) node.addEventListener(k, fn);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export function svgEl(tag: string, attrs: Record<string, string | number> = {}): SVGElement {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function fmtPct(ratio: number | undefined): string {
  if (ratio === undefined || ratio === null) return '–';
  return `${(ratio * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || ms === null) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Math.round(ms)}ms`;
}

export function fmtTime(t: number): string {
  return new Date(t).toLocaleString();
}

export function fmtAgo(t: number, now: number): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function stateText(state: string): string {
  return state === 'up' ? 'Up' : state === 'down' ? 'Down' : 'No data';
}

export function barTitle(r: BarResult): string {
  const lines = [fmtTime(r.t), `${r.ok ? 'Success' : 'Failure'}${r.status ? ` · HTTP ${r.status}` : ''}`, `Response time: ${fmtMs(r.ms)}`];
  for (const f of r.failed ?? []) lines.push(`✗ ${f}`);
  return lines.join('\n');
}

/** A row of `slots` bars, newest on the right; empty slots pad the left. */
export function renderBars(results: BarResult[], slots: number): HTMLElement {
  const row = el('div', { cls: 'bars', attrs: { role: 'img', 'aria-label': `last ${results.length} results` } });
  for (let i = results.length; i < slots; i += 1) row.append(el('span', { cls: 'bar empty' }));
  for (const r of results.slice(-slots)) row.append(el('span', { cls: r.ok ? 'bar ok' : 'bar fail', title: barTitle(r) }));
  return row;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Light/dark toggle persisted in localStorage; the default follows the site config or the OS. */
export function setupTheme(defaultDark: boolean): void {
  const root = document.documentElement;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('vigil-theme');
  } catch {
    stored = null;
  }
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  root.dataset.theme = stored ?? (defaultDark || prefersDark ? 'dark' : 'light');
  const button = document.getElementById('theme-toggle');
  if (button && !button.dataset.bound) {
    button.dataset.bound = '1';
    button.addEventListener('click', () => {
      root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem('vigil-theme', root.dataset.theme);
      } catch {
        // private mode: not persisted
      }
    });
  }
}

export function setSite(site: { title: string; header: string; description: string; link: string }): void {
  const header = document.getElementById('site-header');
  if (header) header.textContent = site.header || 'Health Status';
  const desc = document.getElementById('site-description');
  if (desc) desc.textContent = site.description;
}

/** A line chart of response times as inline SVG (with a <path>), tooltips per point. */
export function lineChart(points: { t: number; ms: number; ok?: boolean }[], width: number, height: number): SVGElement {
  const chart = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': 'response time chart' });
  const left = 56;
  const right = 10;
  const top = 10;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  if (points.length === 0) {
    const t = svgEl('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'axis' });
    t.textContent = 'No data yet';
    chart.append(t);
    return chart;
  }
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0]?.t ?? 0;
  const t1 = sorted[sorted.length - 1]?.t ?? t0;
  const span = Math.max(1, t1 - t0);
  let max = Math.max(1, ...sorted.map((p) => p.ms));
  const exp = 10 ** Math.floor(Math.log10(max));
  max = ([1, 2, 2.5, 5, 10].map((m) => m * exp).find((v) => v >= max) ?? max);
  const x = (t: number) => left + (sorted.length === 1 ? plotW / 2 : ((t - t0) / span) * plotW);
  const y = (ms: number) => top + plotH - (Math.max(0, ms) / max) * plotH;
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    chart.append(svgEl('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
    const label = svgEl('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' });
    label.textContent = fmtMs(v);
    chart.append(label);
  }
  for (const [i, t] of [t0, t1].entries()) {
    const label = svgEl('text', { x: i === 0 ? left : width - right, y: height - 6, 'text-anchor': i === 0 ? 'start' : 'end', class: 'axis' });
    label.textContent = fmtTime(t);
    chart.append(label);
  }
  const d = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ');
  const base = (top + plotH).toFixed(1);
  chart.append(svgEl('path', { d: `${d} L${x(t1).toFixed(1)},${base} L${x(t0).toFixed(1)},${base} Z`, class: 'area' }));
  chart.append(svgEl('path', { d, class: 'line' }));
  for (const p of sorted) {
    const dot = svgEl('circle', { cx: x(p.t).toFixed(1), cy: y(p.ms).toFixed(1), r: 3, class: p.ok === false ? 'dot fail' : 'dot' });
    const title = svgEl('title');
    title.textContent = `${fmtTime(p.t)} · ${fmtMs(p.ms)}`;
    dot.append(title);
    chart.append(dot);
  }
  return chart;
}
