/**
 * Endpoint detail page: state, uptimes, response-time chart (inline SVG), recent results with
 * rendered conditions and errors, certificate expiry, active alerts. Serialised into app.js.
 */
import type * as Bars from './bars.js';
import type * as Chart from './chart.js';
import type * as Daily from './daily.js';
import type * as Dom from './dom.js';
import type * as Timeline from './timeline.js';
import type { Detail, DetailResult } from './types.js';

declare const el: typeof Dom.el;
declare const renderBars: typeof Bars.renderBars;
declare const toEpochMs: typeof Dom.toEpochMs;
declare const fmtPct: typeof Dom.fmtPct;
declare const fmtMs: typeof Dom.fmtMs;
declare const fmtTime: typeof Dom.fmtTime;
declare const stateText: typeof Dom.stateText;
declare const getJson: typeof Dom.getJson;
declare const setSite: typeof Dom.setSite;
declare const setupTheme: typeof Dom.setupTheme;
declare const lineChart: typeof Chart.lineChart;
declare const renderIncidents: typeof Timeline.renderIncidents;
declare const renderDaily: typeof Daily.renderDaily;

export interface AlertView {
  name: string;
  severity: string;
  status: string;
  /** Epoch ms. */
  since?: number;
  fingerprint?: string;
  summary?: string;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Alerts from /api/v1/alerts that concern this endpoint; tolerant of the exact shape. */
export function alertsFor(alerts: unknown, name: string, group: string): AlertView[] {
  if (!Array.isArray(alerts)) return [];
  const out: AlertView[] = [];
  for (const a of alerts) {
    const rec = asRecord(a);
    const labels = asRecord(rec.labels);
    const annotations = asRecord(rec.annotations);
    const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
    if (str(labels.endpoint) !== name) continue;
    if (labels.group !== undefined && str(labels.group) !== group) continue;
    out.push({
      name: str(labels.alertname) ?? 'alert',
      severity: str(labels.severity) ?? '',
      status: str(rec.status) ?? str(rec.state) ?? 'firing',
      since: toEpochMs(rec.startsAt) ?? toEpochMs(rec.since) ?? toEpochMs(rec.activeAt),
      fingerprint: str(rec.fingerprint),
      summary: str(annotations.summary) ?? str(annotations.description),
    });
  }
  return out;
}

export function resultRow(r: DetailResult): HTMLElement {
  return el('li', { cls: r.ok ? 'result ok' : 'result fail' }, [
    el('div', { cls: 'result-head' }, [
      el('span', { cls: r.ok ? 'pill up' : 'pill down', text: r.ok ? 'Success' : 'Failure' }),
      el('time', { text: fmtTime(r.t), attrs: { datetime: new Date(r.t).toISOString() } }),
      r.status ? el('span', { cls: 'muted', text: `HTTP ${r.status}` }) : null,
      el('span', { cls: 'muted', text: fmtMs(r.ms) }),
    ]),
    r.conditions.length > 0
      ? el('ul', { cls: 'conditions' }, r.conditions.map((c) => el('li', { cls: c.ok ? 'cond ok' : 'cond fail', text: `${c.ok ? '✓' : '✗'} ${c.text}` })))
      : null,
    r.errors.length > 0 ? el('ul', { cls: 'errors' }, r.errors.map((e) => el('li', { text: e }))) : null,
  ]);
}

export function stat(label: string, value: string, cls = ''): HTMLElement {
  return el('div', { cls: `stat ${cls}` }, [el('div', { cls: 'stat-value', text: value }), el('div', { cls: 'stat-label', text: label })]);
}

export interface DetailView {
  range: string;
  shown: number;
  /** Width the chart is drawn at (CSS px). */
  chartWidth: number;
  openBar?: number;
  redraw: () => void;
}

/** The chart's width: the card's inner width, so one SVG unit is one CSS pixel. */
export function chartWidthFor(root: HTMLElement): number {
  return Math.max(280, Math.min(1066, Math.round(root.clientWidth - 34)));
}

/** The page for a key no endpoint has (removed, renamed, or mistyped). */
export function notFound(root: HTMLElement, base: string, key: string): void {
  document.title = 'Endpoint not found';
  root.replaceChildren(
    el('section', { cls: 'card not-found' }, [
      el('h2', { text: `No endpoint “${key}”` }),
      el('p', { text: 'It may have been renamed or removed from the configuration, or the address is mistyped.' }),
      el('p', {}, [el('a', { text: '← All endpoints', attrs: { href: `${base}/` } })]),
    ]),
  );
}

export function renderDetail(root: HTMLElement, base: string, d: Detail, alerts: AlertView[], view: DetailView): void {
  const chartRange = view.range;
  const e = d.endpoint;
  const now = d.generatedAt;
  let cert = '–';
  let certLabel = 'certificate expires in';
  let certCls = '';
  if (d.certificateNotAfter !== undefined) {
    const days = Math.floor((d.certificateNotAfter - now) / 86_400_000);
    cert = `${days}d`;
    certLabel = `certificate expires ${new Date(d.certificateNotAfter).toISOString().slice(0, 10)}`;
    certCls = days < 14 ? 'warn' : '';
  }
  const points =
    chartRange === 'recent'
      ? e.results.map((r) => ({ t: r.t, ms: r.ms ?? 0, ok: r.ok }))
      : d.hourly.filter((h) => h.t >= now - (chartRange === '24h' ? 86_400_000 : 7 * 86_400_000)).map((h) => ({ t: h.t, ms: h.ms, ok: h.ok === h.total }));
  const rangeButtons = ['recent', '24h', '7d'].map((r) =>
    el('button', { cls: r === chartRange ? 'active' : '', text: r === 'recent' ? 'Recent' : r, attrs: { type: 'button' }, on: { click: () => ((view.range = r), view.redraw()) } }),
  );
  root.replaceChildren(
    el('nav', { cls: 'crumbs' }, [el('a', { text: '← All endpoints', attrs: { href: `${base}/` } })]),
    el('div', { cls: 'detail-head' }, [
      el('h2', { cls: 'detail-name', text: e.name }),
      el('span', { cls: `pill ${e.state}`, text: stateText(e.state) }),
      el('span', { cls: 'muted', text: [e.group, e.kind].filter(Boolean).join(' · ') }),
    ]),
    ...(e.url ? [el('p', { cls: 'url muted', text: e.url })] : []),
    renderBars(e.results.slice(-60), 60, { t: view.openBar, onChange: (t) => (view.openBar = t) }),
    el('div', { cls: 'stats' }, [
      stat('uptime 1h', fmtPct(d.uptime1h)),
      stat('uptime 24h', fmtPct(e.uptime['24h'])),
      stat('uptime 7d', fmtPct(e.uptime['7d'])),
      stat('uptime 30d', fmtPct(e.uptime['30d'])),
      stat('avg response 24h', fmtMs(d.avgResponseTimeMs['24h'])),
      stat('avg response 30d', fmtMs(d.avgResponseTimeMs['30d'])),
      stat(certLabel, cert, certCls),
    ]),
    el('section', { cls: 'card' }, [
      el('div', { cls: 'card-head' }, [el('h3', { text: 'Response time' }), el('div', { cls: 'ranges' }, rangeButtons)]),
      lineChart(points, view.chartWidth, view.chartWidth < 500 ? 200 : 240),
    ]),
    renderDaily(d.daily ?? [], now),
    renderIncidents(
      d.incidents,
      now,
      base,
      d.incidentsFrom === 'prometheus'
        ? `every replica, from Prometheus${d.incidentsSince !== undefined ? ` since ${fmtTime(d.incidentsSince)}` : ''}`
        : d.incidentsFrom === 'events'
          ? 'from state changes since vigil started'
          : `from the stored results${d.oldestResult !== undefined ? ` since ${fmtTime(d.oldestResult)}` : ''}`,
    ),
    el('section', { cls: 'card', attrs: { id: 'alerts' } }, [
      el('h3', { text: 'Active alerts' }),
      alerts.length === 0
        ? el('p', { cls: 'muted', text: 'No active alert.' })
        : el(
            'ul',
            { cls: 'alerts' },
            alerts.map((a) =>
              el('li', {}, [
                el('span', { cls: a.status === 'resolved' ? 'pill up' : 'pill down', text: a.status }),
                el('strong', { text: a.name }),
                a.severity ? el('span', { cls: 'muted', text: a.severity }) : null,
                a.summary ? el('span', { text: a.summary }) : null,
                a.since !== undefined ? el('span', { cls: 'muted', text: `since ${fmtTime(a.since)}` }) : null,
                a.fingerprint ? el('code', { cls: 'fingerprint', text: a.fingerprint, title: 'Alertmanager fingerprint' }) : null,
              ]),
            ),
          ),
    ]),
    el('section', { cls: 'card' }, [
      el('h3', { text: 'Recent results' }),
      d.conditionsHidden ? el('p', { cls: 'muted', text: 'Conditions are hidden for this endpoint.' }) : null,
      d.recent.length === 0 ? el('p', { cls: 'muted', text: 'No result yet.' }) : el('ol', { cls: 'results' }, d.recent.slice(0, view.shown).map(resultRow)),
      d.recent.length > view.shown
        ? el('button', { cls: 'more', text: `Show more (${d.recent.length - view.shown} older)`, attrs: { type: 'button' }, on: { click: () => ((view.shown += 20), view.redraw()) } })
        : null,
    ]),
  );
}

export function detailPage(root: HTMLElement, base: string, key: string): void {
  let last: Detail | undefined;
  let alerts: AlertView[] = [];
  const view: DetailView = { range: 'recent', shown: 10, chartWidth: chartWidthFor(root), redraw: () => undefined };
  const draw = () => {
    if (last) renderDetail(root, base, last, alerts, view);
  };
  view.redraw = draw;
  window.addEventListener('resize', () => {
    const width = chartWidthFor(root);
    if (Math.abs(width - view.chartWidth) < 8) return;
    view.chartWidth = width;
    draw();
  });
  const refresh = async () => {
    try {
      last = await getJson<Detail>(`${base}/ui/api/endpoints/${encodeURIComponent(key)}`);
      setSite(last.site);
      setupTheme(last.site.darkMode);
      document.title = `${last.endpoint.name} · ${last.site.title}`;
      try {
        alerts = alertsFor(await getJson<unknown>(`${base}/api/v1/alerts`), last.endpoint.name, last.endpoint.group);
      } catch {
        alerts = [];
      }
      draw();
    } catch (err) {
      if (!last && (err as { status?: number }).status === 404) notFound(root, base, key);
      else if (!last) root.replaceChildren(el('p', { cls: 'error', text: `Could not load endpoint: ${err instanceof Error ? err.message : String(err)}` }));
    }
    document.body.dataset.ready = '1';
  };
  void refresh();
  window.setInterval(() => void refresh(), 15_000);
}
