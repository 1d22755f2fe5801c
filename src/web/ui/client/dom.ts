/**
 * Browser helpers for the status page. These functions are serialised into /ui/assets/app.js
 * (see ../assets.ts): each must be self-contained, reference only other client functions by
 * name, and never use module-level values. Untrusted text goes through textContent only.
 */
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
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return ms >= 10 ? `${Math.round(ms)}ms` : `${ms.toFixed(2).replace(/\.?0+$/, '')}ms`;
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

/** "1 endpoint", "2 endpoints". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** An epoch-ms number or a date string (both appear in alert JSON) as epoch ms; undefined if neither. */
export function toEpochMs(value: unknown): number | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export function stateText(state: string): string {
  return state === 'up' ? 'Up' : state === 'down' ? 'Down' : 'No data';
}

/** Fetches JSON; a failed answer throws an Error carrying the HTTP `status`. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { status: res.status });
  return (await res.json()) as T;
}

/** POSTs JSON and reads JSON back; a failed answer throws like getJson. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { status: res.status });
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

/** Updates the header from fresh site info, keeping (or adding, or removing) the ui.link anchor. */
export function setSite(site: { title: string; header: string; description: string; link: string }): void {
  const header = document.getElementById('site-header');
  if (header) {
    const text = site.header || 'Health Status';
    const href = /^https?:\/\//i.test(site.link) ? site.link : '';
    const anchor = header.querySelector('a');
    if (href && anchor) {
      anchor.textContent = text;
      anchor.href = href;
    } else if (href) header.replaceChildren(el('a', { text, attrs: { href, rel: 'noopener noreferrer' } }));
    else header.textContent = text;
  }
  const desc = document.getElementById('site-description');
  if (desc) desc.textContent = site.description;
}
