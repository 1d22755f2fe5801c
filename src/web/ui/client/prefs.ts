/**
 * The list's remembered choices (layout, filters, sort, collapsed groups) in localStorage;
 * unreadable or missing storage falls back to the defaults. Serialised: see dom.ts.
 */

export interface Prefs {
  layout: 'comfortable' | 'compact' | 'grid';
  onlyFailing: boolean;
  stateFilter: string;
  sort: string;
  collapsed: string[];
}

/** The defaults, from the config's ui.default-sort-by / default-filter-by (the shell's data-sort / data-filter). */
export function defaultPrefs(root: HTMLElement): Prefs {
  const sort = root.dataset.sort === 'name' ? 'name' : 'state';
  const filter = root.dataset.filter ?? 'none';
  return { layout: 'comfortable', onlyFailing: filter === 'failing', stateFilter: filter === 'unstable' ? 'unstable' : 'all', sort, collapsed: [] };
}

export function loadPrefs(root: HTMLElement): Prefs {
  const prefs = defaultPrefs(root);
  let raw: unknown;
  try {
    raw = JSON.parse(localStorage.getItem('vigil-prefs') ?? '{}');
  } catch {
    return prefs;
  }
  const rec = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (rec.layout === 'compact' || rec.layout === 'grid' || rec.layout === 'comfortable') prefs.layout = rec.layout;
  if (typeof rec.onlyFailing === 'boolean') prefs.onlyFailing = rec.onlyFailing;
  if (typeof rec.stateFilter === 'string' && ['all', 'down', 'up', 'unknown', 'unstable'].includes(rec.stateFilter)) prefs.stateFilter = rec.stateFilter;
  if (typeof rec.sort === 'string' && ['state', 'name', 'uptime', 'response'].includes(rec.sort)) prefs.sort = rec.sort;
  if (Array.isArray(rec.collapsed)) prefs.collapsed = rec.collapsed.filter((g): g is string => typeof g === 'string').slice(0, 500);
  return prefs;
}

export function savePrefs(prefs: Prefs): void {
  try {
    localStorage.setItem('vigil-prefs', JSON.stringify(prefs));
  } catch {
    // private mode or full storage: choices last for this page only
  }
}

/** Results per bar row and endpoints per page for a layout. */
export function layoutSizes(layout: string): { bars: number; pageSize: number } {
  return layout === 'grid' ? { bars: 20, pageSize: 200 } : layout === 'compact' ? { bars: 30, pageSize: 100 } : { bars: 40, pageSize: 50 };
}
