/**
 * Incidents as a timeline grouped by day ("Today", "Yesterday", "Mon, Jan 1"): down since, recovered
 * after, how long. Used per endpoint (detail page) and for the whole page. Serialised: see dom.ts.
 */
import type * as Dom from './dom.js';
import type { Incident } from './types.js';

declare const el: typeof Dom.el;
declare const plural: typeof Dom.plural;

export function fmtDuration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 1) return `${Math.max(0, Math.round(ms / 1000))}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function dayLabel(t: number, now: number): string {
  const day = (x: number) => new Date(x).toDateString();
  if (day(t) === day(now)) return 'Today';
  if (day(t) === day(now - 86_400_000)) return 'Yesterday';
  return new Date(t).toLocaleDateString([], { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
}

export function incidentRow(i: Incident, now: number, base: string, links: boolean): HTMLElement {
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const open = i.end === undefined;
  const text = open
    ? `Down since ${time(i.start)} (ongoing, ${fmtDuration(now - i.start)})`
    : `Down ${time(i.start)} → ${time(i.end ?? i.start)}, recovered after ${fmtDuration((i.end ?? i.start) - i.start)}`;
  return el('li', { cls: open ? 'incident open' : 'incident' }, [
    el('span', { cls: open ? 'pill down' : 'pill up', text: open ? '✗ Ongoing' : '✓ Resolved' }),
    i.key === undefined
      ? null
      : links
        ? el('a', { cls: 'incident-name', text: i.name ?? i.key, attrs: { href: `${base}/endpoints/${encodeURIComponent(i.key)}` } })
        : el('strong', { cls: 'incident-name', text: i.name ?? i.key }),
    el('span', { text }),
  ]);
}

/** A card listing incidents by day (newest first); `note` says where they come from. */
export function renderIncidents(incidents: Incident[], now: number, base: string, note: string, links = true): HTMLElement {
  const days = new Map<string, Incident[]>();
  for (const i of incidents) {
    const label = dayLabel(i.start, now);
    days.set(label, [...(days.get(label) ?? []), i]);
  }
  return el('section', { cls: 'card timeline', attrs: { id: 'incidents' } }, [
    el('div', { cls: 'card-head' }, [
      el('h3', { text: 'Incidents' }),
      el('span', { cls: 'muted', text: incidents.length === 0 ? note : `${plural(incidents.length, 'incident')} · ${note}` }),
    ]),
    incidents.length === 0
      ? el('p', { cls: 'muted', text: 'No incident: every check in this period succeeded.' })
      : el('div', {}, [...days].flatMap(([label, list]) => [el('h4', { cls: 'day', text: label }), el('ul', { cls: 'incidents' }, list.map((i) => incidentRow(i, now, base, links)))])),
  ]);
}
