/**
 * The list page: overall banner, toolbar (search, state, sort, layout, "only failing"),
 * remembered choices, keyboard shortcuts (/ search, j/k move, f only failing) and the
 * 15-second refresh. Serialised into app.js: see dom.ts.
 */
import type * as Banner from './banner.js';
import type * as Dom from './dom.js';
import type * as List from './list.js';
import type * as PrefsMod from './prefs.js';
import type * as Timeline from './timeline.js';
import type { BarsResponse, Overview } from './types.js';

declare const el: typeof Dom.el;
declare const getJson: typeof Dom.getJson;
declare const setSite: typeof Dom.setSite;
declare const setupTheme: typeof Dom.setupTheme;
declare const renderList: typeof List.renderList;
declare const renderIncidents: typeof Timeline.renderIncidents;
declare const pageOf: typeof List.pageOf;
declare const postJson: typeof Dom.postJson;
declare const overall: typeof Banner.overall;
declare const renderBanner: typeof Banner.renderBanner;
declare const tickUpdated: typeof Banner.tickUpdated;
declare const loadPrefs: typeof PrefsMod.loadPrefs;
declare const savePrefs: typeof PrefsMod.savePrefs;
declare const layoutSizes: typeof PrefsMod.layoutSizes;

export function selectOf(label: string, value: string, options: [string, string][]): HTMLSelectElement {
  const select = el(
    'select',
    { attrs: { 'aria-label': label } },
    options.map(([v, text]) => el('option', { text, attrs: { value: v } })),
  );
  select.value = value;
  return select;
}

/** j/k (or ↓/↑ outside inputs) move focus between endpoint names; / focuses the search; f toggles "only failing". */
export function listKeys(root: HTMLElement, search: HTMLInputElement, toggleFailing: () => void): void {
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target as HTMLElement | null;
    if (target?.closest('input, select, textarea')) {
      if (ev.key === 'Escape' && target === search) search.blur();
      return;
    }
    if (ev.key === '/') {
      ev.preventDefault();
      search.focus();
      return;
    }
    if (ev.key === 'f') {
      toggleFailing();
      return;
    }
    const step = ev.key === 'j' || ev.key === 'ArrowDown' ? 1 : ev.key === 'k' || ev.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 || target?.closest('.bars')) return;
    const links = Array.from(root.querySelectorAll<HTMLAnchorElement>('a.ep-name'));
    if (links.length === 0) return;
    ev.preventDefault();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + step));
    links[next]?.focus();
    links[next]?.scrollIntoView({ block: 'nearest' });
  });
}

export function listPage(root: HTMLElement, base: string): void {
  const prefs = loadPrefs(root);
  const state: List.ListState = {
    base,
    query: '',
    stateFilter: prefs.stateFilter,
    sort: prefs.sort,
    page: 0,
    pageSize: layoutSizes(prefs.layout).pageSize,
    collapsed: new Set(prefs.collapsed),
    onlyFailing: prefs.onlyFailing,
    layout: prefs.layout,
    publicView: root.dataset.public === '1',
    bars: new Map(),
  };
  const remember = () =>
    savePrefs({ layout: prefs.layout, onlyFailing: state.onlyFailing, stateFilter: state.stateFilter, sort: state.sort, collapsed: [...state.collapsed] });
  const search = el('input', { cls: 'search', attrs: { type: 'search', placeholder: 'Filter endpoints… ( / )', 'aria-label': 'Filter endpoints', 'aria-keyshortcuts': '/' } });
  const stateSel = selectOf('State', state.stateFilter, [['all', 'All states'], ['down', 'Down'], ['up', 'Up'], ['unstable', 'Unstable'], ['unknown', 'No data']]);
  const sortSel = selectOf('Sort', state.sort, [['state', 'Sort: state'], ['name', 'Sort: name'], ['uptime', 'Sort: uptime'], ['response', 'Sort: response time']]);
  const layoutSel = selectOf('Layout', prefs.layout, [['comfortable', 'Layout: comfortable'], ['compact', 'Layout: compact'], ['grid', 'Layout: grid']]);
  const failing = el('button', { cls: 'toggle', text: 'Only failing', attrs: { type: 'button', 'aria-pressed': String(state.onlyFailing), 'aria-keyshortcuts': 'f' } });
  const counts = el('span', { cls: 'counts' });
  const bannerMount = el('div', { cls: 'banners' });
  const mount = el('div', { cls: 'groups', attrs: { id: 'groups' } }, [el('p', { cls: 'empty-note', text: 'Loading…' })]);
  const pager = el('nav', { cls: 'pager', attrs: { 'aria-label': 'Pages' } });
  const history = el('div', { cls: 'page-incidents' });
  root.dataset.layout = prefs.layout;
  root.replaceChildren(bannerMount, el('div', { cls: 'toolbar' }, [search, stateSel, sortSel, layoutSel, failing, counts]), mount, pager, history);
  const rerender = () => {
    state.page = 0;
    renderList(state, mount, pager, counts);
    remember();
  };
  const toggleFailing = () => {
    state.onlyFailing = !state.onlyFailing;
    failing.setAttribute('aria-pressed', String(state.onlyFailing));
    rerender();
  };
  search.addEventListener('input', () => {
    state.query = search.value;
    rerender();
  });
  stateSel.addEventListener('change', () => {
    state.stateFilter = stateSel.value;
    rerender();
  });
  sortSel.addEventListener('change', () => {
    state.sort = sortSel.value;
    rerender();
  });
  layoutSel.addEventListener('change', () => {
    prefs.layout = layoutSel.value === 'grid' || layoutSel.value === 'compact' ? layoutSel.value : 'comfortable';
    state.layout = prefs.layout;
    state.pageSize = layoutSizes(prefs.layout).pageSize;
    root.dataset.layout = prefs.layout;
    rerender();
  });
  failing.addEventListener('click', toggleFailing);
  // collapsing a group re-renders through renderList itself: remember that too
  mount.addEventListener('click', (ev) => {
    if ((ev.target as HTMLElement | null)?.closest('.group-head')) remember();
  });
  listKeys(root, search, toggleFailing);
  let updatedAt: number | undefined;
  let updated: HTMLElement | undefined;
  const tick = tickUpdated(() => updated, () => updatedAt, () => state.error);
  const pending = new Set<string>();
  const fetchBars = async (keys: string[]) => {
    const { bars } = await postJson<BarsResponse>(`${base}/ui/api/bars`, { keys });
    return bars;
  };
  state.wantBars = (keys) => {
    const wanted = keys.filter((k) => !pending.has(k));
    if (wanted.length === 0) return;
    for (const k of wanted) pending.add(k);
    fetchBars(wanted)
      .then((bars) => {
        for (const k of wanted) state.bars.set(k, bars[k] ?? []);
        renderList(state, mount, pager, counts);
      })
      .catch(() => undefined)
      .finally(() => wanted.forEach((k) => pending.delete(k)));
  };
  const refresh = async () => {
    try {
      const data = await getJson<Overview>(`${base}/ui/api/overview`);
      state.data = data;
      // fresh results for the endpoints on screen; others are fetched when shown
      const shown = pageOf(state).slice.map((e) => e.key);
      const bars = shown.length > 0 ? await fetchBars(shown) : {};
      state.bars = new Map(shown.map((k) => [k, bars[k] ?? []]));
      state.error = undefined;
      updatedAt = Date.now();
      setSite(data.site);
      setupTheme(data.site.darkMode);
      document.title = data.site.title;
    } catch (err) {
      state.error = err instanceof Error ? err.message : String(err);
    }
    if (state.data) updated = renderBanner(bannerMount, overall(state.data.endpoints, state.data.maintenance), state.data.notices ?? []);
    tick();
    if (state.data) history.replaceChildren(renderIncidents(state.data.incidents ?? [], state.data.generatedAt, state.publicView ? '' : base, state.data.incidentsFrom === 'prometheus' ? 'all endpoints, every replica, from Prometheus' : 'all endpoints, since vigil started', !state.publicView));
    renderList(state, mount, pager, counts);
    document.body.dataset.ready = '1';
  };
  void refresh();
  window.setInterval(() => void refresh(), 15_000);
}
