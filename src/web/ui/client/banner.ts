/**
 * The overall banner at the top of the list ("All systems operational", "Partial outage: 3 of
 * 40 down", "Maintenance") and the "Updated 5s ago" line that ticks every second. Serialised: see dom.ts.
 */
import type * as Dom from './dom.js';
import type { EndpointSummary, Notice } from './types.js';

declare const el: typeof Dom.el;
declare const plural: typeof Dom.plural;

export interface BannerView {
  kind: 'ok' | 'partial' | 'major' | 'maintenance' | 'unknown';
  icon: string;
  text: string;
}

/** What the banner says about these endpoints; an active maintenance window wins when nothing is down. */
export function overall(endpoints: EndpointSummary[], maintenance: boolean): BannerView {
  const total = endpoints.length;
  const down = endpoints.filter((e) => e.state === 'down').length;
  const up = endpoints.filter((e) => e.state === 'up').length;
  if (down > 0 && down === total) return { kind: 'major', icon: '✗', text: `Major outage: all ${plural(total, 'endpoint')} down` };
  if (down > 0) return { kind: 'partial', icon: '!', text: `Partial outage: ${down} of ${total} down` };
  if (maintenance) return { kind: 'maintenance', icon: '⚒', text: 'Maintenance in progress' };
  if (up === 0) return { kind: 'unknown', icon: '…', text: total === 0 ? 'No endpoint configured' : 'Waiting for the first checks' };
  if (up < total) return { kind: 'ok', icon: '✓', text: `All checked systems operational (${total - up} not checked yet)` };
  return { kind: 'ok', icon: '✓', text: 'All systems operational' };
}

export function fmtUpdated(updatedAt: number | undefined, now: number): string {
  if (updatedAt === undefined) return 'Not updated yet';
  const s = Math.max(0, Math.floor((now - updatedAt) / 1000));
  if (s < 2) return 'Updated just now';
  if (s < 60) return `Updated ${s}s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `Updated ${m}m ago` : `Updated ${Math.floor(m / 60)}h ${m % 60}m ago`;
}

/** Renders the banner into `mount`; the returned element's text is the ticking "Updated …". */
export function renderBanner(mount: HTMLElement, view: BannerView, notices: Notice[]): HTMLElement {
  const updated = el('span', { cls: 'updated', attrs: { 'aria-live': 'off' } });
  mount.replaceChildren(
    el('section', { cls: `banner ${view.kind}`, attrs: { role: 'status', 'data-kind': view.kind } }, [
      el('span', { cls: 'banner-icon', text: view.icon, attrs: { 'aria-hidden': 'true' } }),
      el('strong', { cls: 'banner-text', text: view.text }),
      updated,
    ]),
    ...notices.map((n) =>
      el('section', { cls: `notice ${n.kind}`, attrs: { role: 'note' } }, [
        el('strong', { text: n.title }),
        n.text ? el('span', { text: n.text }) : null,
        n.at !== undefined ? el('time', { cls: 'muted', text: new Date(n.at).toLocaleString(), attrs: { datetime: new Date(n.at).toISOString() } }) : null,
      ]),
    ),
  );
  return updated;
}

/** Keeps `target()`'s text at "Updated Ns ago", once a second, without re-rendering the page. */
export function tickUpdated(target: () => HTMLElement | undefined, updatedAt: () => number | undefined, failed: () => string | undefined): () => void {
  const tick = () => {
    const node = target();
    if (!node) return;
    const error = failed();
    node.textContent = `${fmtUpdated(updatedAt(), Date.now())}${error ? ' · refresh failed' : ''}`;
  };
  tick();
  window.setInterval(tick, 1000);
  return tick;
}
