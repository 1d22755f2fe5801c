/**
 * The row of recent results. Hovering a bar shows its title; tapping or clicking one, or Enter
 * on the focused row, opens a details panel under it (arrow keys move, Escape closes), so touch
 * and keyboard users reach the same details. Serialised into app.js: see dom.ts.
 */
import type * as Dom from './dom.js';
import type { BarResult } from './types.js';

declare const el: typeof Dom.el;
declare const fmtMs: typeof Dom.fmtMs;
declare const fmtTime: typeof Dom.fmtTime;
declare const plural: typeof Dom.plural;

export function barLines(r: BarResult): string[] {
  const lines = [fmtTime(r.t), `${r.ok ? '✓ Success' : '✗ Failure'}${r.status ? ` · HTTP ${r.status}` : ''}`];
  if (r.ms !== undefined) lines.push(`Response time: ${fmtMs(r.ms)}`);
  for (const f of r.failed ?? []) lines.push(`✗ ${f}`);
  return lines;
}

/** Which result is open, by timestamp, so a refresh keeps the panel open. */
export interface BarSelection {
  t?: number;
  onChange?: (t: number | undefined) => void;
}

/** A row of `slots` bars, newest on the right; empty slots pad the left; a details panel below. */
export function renderBars(results: BarResult[], slots: number, selection: BarSelection = {}): HTMLElement {
  const shown = results.slice(-slots);
  const failures = shown.filter((r) => !r.ok).length;
  const row = el('div', {
    cls: 'bars',
    attrs: {
      role: 'button',
      tabindex: '0',
      'aria-expanded': 'false',
      'aria-label': `Last ${plural(shown.length, 'result')}, ${failures} failed. Press Enter for details.`,
    },
  });
  const pad = Math.max(0, slots - shown.length);
  for (let i = 0; i < pad; i += 1) row.append(el('span', { cls: 'bar empty' }));
  for (const r of shown) row.append(el('span', { cls: r.ok ? 'bar ok' : 'bar fail', title: barLines(r).join('\n') }));
  const panel = el('div', { cls: 'bar-detail', attrs: { role: 'status' } });
  panel.hidden = true;
  let open = shown.findIndex((r) => r.t === selection.t);
  const show = (index: number) => {
    open = index;
    const r = shown[index];
    row.querySelector('.bar.selected')?.classList.remove('selected');
    row.setAttribute('aria-expanded', String(r !== undefined));
    panel.hidden = r === undefined;
    if (!r) {
      panel.replaceChildren();
      return;
    }
    row.children[pad + index]?.classList.add('selected');
    panel.replaceChildren(...barLines(r).map((line, i) => el(i === 0 ? 'strong' : 'div', { cls: line.startsWith('✗') ? 'fail-text' : '', text: line })));
  };
  const change = (index: number) => {
    show(index);
    selection.onChange?.(shown[index]?.t);
  };
  row.addEventListener('click', (ev) => {
    const index = Array.prototype.indexOf.call(row.children, ev.target) - pad;
    if (index < 0 || index >= shown.length) change(open >= 0 ? -1 : shown.length - 1);
    else change(index === open ? -1 : index);
  });
  row.addEventListener('keydown', (ev) => {
    const last = shown.length - 1;
    const at = open >= 0 ? open : last;
    const moves: Record<string, number> = { ArrowLeft: Math.max(0, at - 1), ArrowRight: Math.min(last, at + 1), Home: 0, End: last };
    if (ev.key === 'Enter' || ev.key === ' ') change(open >= 0 ? -1 : last);
    else if (ev.key === 'Escape') change(-1);
    else if (ev.key in moves) change(moves[ev.key] ?? last);
    else return;
    ev.preventDefault();
  });
  if (open >= 0) show(open);
  return el('div', { cls: 'bars-wrap' }, [row, panel]);
}
