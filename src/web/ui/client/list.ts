/**
 * The status page list: endpoints by group (collapsible), a bar of recent results per endpoint,
 * paged group by group so a group's state never depends on the page. Serialised into app.js: see dom.ts.
 */
import type * as Bars from './bars.js';
import type * as Dom from './dom.js';
import type * as Prefs from './prefs.js';
import type { BarResult, EndpointSummary, Overview } from './types.js';

declare const el: typeof Dom.el;
declare const fmtPct: typeof Dom.fmtPct;
declare const fmtMs: typeof Dom.fmtMs;
declare const fmtAgo: typeof Dom.fmtAgo;
declare const stateText: typeof Dom.stateText;
declare const plural: typeof Dom.plural;
declare const renderBars: typeof Bars.renderBars;
declare const layoutSizes: typeof Prefs.layoutSizes;

export interface ListState {
  base: string;
  data?: Overview;
  query: string;
  stateFilter: string;
  sort: string;
  page: number;
  pageSize: number;
  collapsed: Set<string>;
  onlyFailing: boolean;
  layout: string;
  /** The reduced public page: no links to detail pages, no response times. */
  publicView: boolean;
  /** Recent results of the endpoints shown, by key (the overview carries none). */
  bars: Map<string, BarResult[]>;
  /** Asks for the results of endpoints about to be shown without them. */
  wantBars?: (keys: string[]) => void;
  /** The result whose details panel is open. */
  openBar?: { key: string; t: number };
  error?: string;
}

export function stateRank(state: string): number {
  return state === 'down' ? 0 : state === 'unknown' ? 1 : 2;
}

export interface GroupStats {
  total: number;
  down: number;
  up: number;
}

/** Up/down counts per group over every endpoint, whatever the filter or page shows. */
export function groupStats(all: EndpointSummary[]): Map<string, GroupStats> {
  const stats = new Map<string, GroupStats>();
  for (const e of all) {
    const s = stats.get(e.group) ?? { total: 0, down: 0, up: 0 };
    s.total += 1;
    if (e.state === 'down') s.down += 1;
    if (e.state === 'up') s.up += 1;
    stats.set(e.group, s);
  }
  return stats;
}

export function matches(e: EndpointSummary, state: ListState, q: string): boolean {
  return (
    (state.stateFilter === 'all' || e.state === state.stateFilter || (state.stateFilter === 'unstable' && (e.uptime['24h'] ?? 1) < 1)) &&
    (!state.onlyFailing || e.state === 'down') &&
    (!q || e.name.toLowerCase().includes(q) || e.group.toLowerCase().includes(q) || e.key.includes(q))
  );
}

/**
 * The filtered endpoints, group by group (so a page never splits one group's state): groups
 * with failures first when sorting by state, else by name; members by the chosen sort.
 */
export function visibleEndpoints(state: ListState, stats: Map<string, GroupStats>): EndpointSummary[] {
  const q = state.query.trim().toLowerCase();
  const list = (state.data?.endpoints ?? []).filter((e) => matches(e, state, q));
  const compare = new Intl.Collator(undefined, { numeric: true }).compare;
  const byName = (a: EndpointSummary, b: EndpointSummary) => compare(a.name, b.name);
  const groupRank = (g: string) => {
    const s = stats.get(g);
    return !s ? 2 : s.down > 0 ? 0 : s.up < s.total ? 1 : 2;
  };
  const byGroup = (a: EndpointSummary, b: EndpointSummary) =>
    (state.sort === 'state' ? groupRank(a.group) - groupRank(b.group) : 0) || (a.group === b.group ? 0 : compare(a.group, b.group));
  const within: (a: EndpointSummary, b: EndpointSummary) => number =
    state.sort === 'state'
      ? (a, b) => stateRank(a.state) - stateRank(b.state)
      : state.sort === 'uptime'
        ? (a, b) => (a.uptime['24h'] ?? 2) - (b.uptime['24h'] ?? 2)
        : state.sort === 'response'
          ? (a, b) => (b.avgResponseTimeMs24h ?? -1) - (a.avgResponseTimeMs24h ?? -1)
          : () => 0;
  return list.sort((a, b) => byGroup(a, b) || within(a, b) || byName(a, b));
}

export function endpointRow(e: EndpointSummary, state: ListState, now: number): HTMLElement {
  const selection = {
    t: state.openBar?.key === e.key ? state.openBar.t : undefined,
    onChange: (t: number | undefined) => (state.openBar = t === undefined ? undefined : { key: e.key, t }),
  };
  return el('article', { cls: `endpoint state-${e.state}`, attrs: { 'data-key': e.key } }, [
    el('div', { cls: 'ep-head' }, [
      state.publicView
        ? el('span', { cls: 'ep-name', text: e.name })
        : el('a', { cls: 'ep-name', text: e.name, attrs: { href: `${state.base}/endpoints/${encodeURIComponent(e.key)}` } }),
      el('span', { cls: `pill ${e.state}`, text: stateText(e.state) }),
      e.maintenance ? el('span', { cls: 'pill maint', text: '⚒ Maintenance' }) : null,
      state.publicView ? null : el('span', { cls: 'ep-rt', text: fmtMs(e.avgResponseTimeMs24h), title: 'average response time, 24h' }),
    ]),
    renderBars(state.bars.get(e.key) ?? [], layoutSizes(state.layout).bars, selection),
    el('div', { cls: 'ep-foot' }, [
      el('span', { cls: 'uptimes' }, [
        el('span', { text: `24h ${fmtPct(e.uptime['24h'])}` }),
        el('span', { text: `7d ${fmtPct(e.uptime['7d'])}` }),
        el('span', { text: `30d ${fmtPct(e.uptime['30d'])}` }),
      ]),
      el('span', { cls: 'ago', text: e.lastT !== undefined ? fmtAgo(e.lastT, now) : 'never checked' }),
    ]),
  ]);
}

export function groupPill(stats: GroupStats | undefined): HTMLElement {
  if (stats && stats.down > 0) return el('span', { cls: 'pill down', text: `${stats.down} down` });
  if (stats && stats.up > 0) return el('span', { cls: 'pill up', text: 'all up' });
  return el('span', { cls: 'pill', text: 'no data' });
}

export function groupSection(state: ListState, group: string, members: EndpointSummary[], stats: GroupStats | undefined, rerender: () => void): HTMLElement {
  const open = !state.collapsed.has(group);
  const now = state.data?.generatedAt ?? Date.now();
  const body = el('div', { cls: 'group-body' }, open ? members.map((e) => endpointRow(e, state, now)) : []);
  body.hidden = !open;
  const total = stats?.total ?? members.length;
  const head = el(
    'button',
    {
      cls: 'group-head',
      attrs: { type: 'button', 'aria-expanded': String(open) },
      on: {
        click: () => {
          if (state.collapsed.has(group)) state.collapsed.delete(group);
          else state.collapsed.add(group);
          rerender();
        },
      },
    },
    [
      el('span', { cls: 'chevron', text: open ? '▾' : '▸', attrs: { 'aria-hidden': 'true' } }),
      el('span', { cls: 'group-name', text: group || 'Ungrouped' }),
      el('span', { cls: 'group-count muted', text: members.length < total ? `${members.length} of ${total} here` : plural(total, 'endpoint') }),
      groupPill(stats),
    ],
  );
  return el('section', { cls: 'group', attrs: { 'data-group': group } }, [head, body]);
}

/** The filtered list, its pages, and the endpoints of the current page (clamping the page). */
export function pageOf(state: ListState): { stats: Map<string, GroupStats>; list: EndpointSummary[]; pages: number; slice: EndpointSummary[] } {
  const stats = groupStats(state.data?.endpoints ?? []);
  const list = visibleEndpoints(state, stats);
  const pages = Math.max(1, Math.ceil(list.length / state.pageSize));
  state.page = Math.max(0, Math.min(state.page, pages - 1));
  return { stats, list, pages, slice: list.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize) };
}

export function renderList(state: ListState, mount: HTMLElement, pager: HTMLElement, counts: HTMLElement): void {
  if (state.error && !state.data) {
    mount.replaceChildren(el('p', { cls: 'error', text: `Could not load statuses: ${state.error}` }));
    return;
  }
  const all = state.data?.endpoints ?? [];
  const down = all.filter((e) => e.state === 'down').length;
  counts.textContent = `${plural(all.length, 'endpoint')} · ${down} down${state.error ? ` · refresh failed: ${state.error}` : ''}`;
  const { stats, list, pages, slice } = pageOf(state);
  const missing = slice.filter((e) => !state.bars.has(e.key)).map((e) => e.key);
  if (missing.length > 0) state.wantBars?.(missing);
  const groups = new Map<string, EndpointSummary[]>();
  for (const e of slice) groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
  const rerender = () => renderList(state, mount, pager, counts);
  const sections = [...groups].map(([group, members]) => groupSection(state, group, members, stats.get(group), rerender));
  mount.replaceChildren(...(sections.length > 0 ? sections : [el('p', { cls: 'empty-note', text: 'No endpoint matches.' })]));
  const go = (p: number) => () => {
    state.page = p;
    rerender();
    window.scrollTo(0, 0);
  };
  pager.replaceChildren(
    ...(pages > 1
      ? [
          el('button', { text: '‹ Prev', attrs: { type: 'button' }, on: { click: go(state.page - 1) } }),
          el('span', { text: `Page ${state.page + 1} of ${pages} (${slice.length} of ${list.length} shown)` }),
          el('button', { text: 'Next ›', attrs: { type: 'button' }, on: { click: go(state.page + 1) } }),
        ]
      : []),
  );
  const buttons = pager.querySelectorAll('button');
  if (buttons[0]) buttons[0].disabled = state.page === 0;
  if (buttons[1]) buttons[1].disabled = state.page >= pages - 1;
}
