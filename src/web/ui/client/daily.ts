/**
 * The 90-day bar: one slot per UTC day, coloured by that day's uptime and labelled in text, with
 * the span the data really covers ("data covers 3 days") so a young history is not read as 90
 * good days. Serialised: see dom.ts.
 */
import type * as Dom from './dom.js';
import type { Detail } from './types.js';

declare const el: typeof Dom.el;
declare const fmtPct: typeof Dom.fmtPct;
declare const plural: typeof Dom.plural;

export function dayClass(ratio: number | undefined): string {
  if (ratio === undefined) return 'dday none';
  return ratio >= 0.9999 ? 'dday ok' : ratio >= 0.99 ? 'dday warn' : 'dday fail';
}

export function renderDaily(daily: Detail['daily'], now: number): HTMLElement {
  const DAY = 86_400_000;
  const today = now - (now % DAY);
  const byDay = new Map(daily.map((d) => [d.t, d]));
  const row = el('div', { cls: 'days' });
  for (let i = 89; i >= 0; i -= 1) {
    const t = today - i * DAY;
    const d = byDay.get(t);
    const ratio = d ? d.ok / d.total : undefined;
    const date = new Date(t).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' });
    row.append(el('span', { cls: dayClass(ratio), title: d ? `${date}: ${fmtPct(ratio)} up (${plural(d.total, 'check')})` : `${date}: no data` }));
  }
  const covered = daily.length;
  const total = daily.reduce((n, d) => n + d.total, 0);
  const ok = daily.reduce((n, d) => n + d.ok, 0);
  const first = daily[0];
  const span =
    covered === 0
      ? 'No data yet'
      : `Data covers ${plural(covered, 'day')} (since ${new Date(first?.t ?? now).toLocaleDateString([], { timeZone: 'UTC' })}): ${fmtPct(ok / total)} up`;
  row.setAttribute('role', 'img');
  row.setAttribute('aria-label', `90-day uptime. ${span}.`);
  return el('section', { cls: 'card daily' }, [
    el('div', { cls: 'card-head' }, [el('h3', { text: 'Last 90 days' }), el('span', { cls: 'muted daily-span', text: span })]),
    row,
    el('div', { cls: 'days-legend muted' }, [el('span', { text: '90 days ago' }), el('span', { text: 'Today' })]),
  ]);
}
