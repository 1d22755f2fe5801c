/** Builds the status page's JSON (/ui/api/overview and /ui/api/endpoints/{key}) from store + config. */
import type { CheckResult } from '../../check/types.js';
import type { Config } from '../../config/schema.js';
import type { EndpointEvent } from '../../store/events.js';
import type { RemoteTimeline } from '../../store/prometheus-history.js';
import type { Store } from '../../store/store.js';
import type { HourBucket } from '../../store/uptime.js';
import { cleanText, type DisplayEndpoint } from '../view.js';
import { eventsFromResults, incidentsOf } from './incidents.js';
import type { BarResult, Detail, DetailResult, EndpointSummary, SiteInfo } from './client/types.js';

/** Results per endpoint in the overview bars. */
export const BAR_RESULTS = 40;
export const DETAIL_RESULTS = 100;

/** Response times keep sub-millisecond precision (a loopback check takes 0.3 ms), to 0.01 ms. */
export function roundMs(ms: number): number {
  return ms >= 100 ? Math.round(ms) : Math.round(ms * 100) / 100;
}

/** Uptime ratios to 6 decimals (0.0001 %): enough for the page, a third of the bytes. */
export function roundRatio(ratio: number | undefined): number | undefined {
  return ratio === undefined ? undefined : Math.round(ratio * 1e6) / 1e6;
}

export function siteInfo(config: Config): SiteInfo {
  const ui = config.ui;
  return {
    title: ui.title,
    header: ui.header,
    description: ui.description,
    link: ui.link,
    darkMode: ui.darkMode,
  };
}

export function bar(check: CheckResult, endpoint: DisplayEndpoint): BarResult {
  const out: BarResult = { t: check.timestamp, ok: check.success, ms: roundMs(check.result.responseTimeMs) };
  if (check.result.status) out.status = check.result.status;
  if (!check.success && !endpoint.ui.hideConditions) {
    const failed = check.conditionResults.filter((c) => !c.success).map((c) => cleanText(c.rendered || c.condition, endpoint));
    if (failed.length > 0) out.failed = failed;
  }
  return out;
}

export function summary(store: Store, endpoint: DisplayEndpoint, bars = BAR_RESULTS): EndpointSummary {
  const latest = store.latest(endpoint.key);
  const avg = store.averageResponseTimeMs(endpoint.key, '24h');
  const out: EndpointSummary = {
    key: endpoint.key,
    name: endpoint.name,
    group: endpoint.group,
    kind: endpoint.kind,
    state: latest ? (latest.success ? 'up' : 'down') : 'unknown',
    results: store.history(endpoint.key, 1, bars).map((c) => bar(c, endpoint)),
    uptime: {
      '24h': roundRatio(store.uptime(endpoint.key, '24h')),
      '7d': roundRatio(store.uptime(endpoint.key, '7d')),
      '30d': roundRatio(store.uptime(endpoint.key, '30d')),
    },
  };
  if (endpoint.url) out.url = endpoint.url;
  if (avg !== undefined) out.avgResponseTimeMs24h = roundMs(avg);
  if (latest) out.lastT = latest.timestamp;
  return out;
}

function detailResult(check: CheckResult, endpoint: DisplayEndpoint): DetailResult {
  const out: DetailResult = {
    t: check.timestamp,
    ok: check.success,
    ms: roundMs(check.result.responseTimeMs),
    conditions: endpoint.ui.hideConditions
      ? []
      : check.conditionResults.map((c) => ({ text: cleanText(c.rendered || c.condition, endpoint), ok: c.success })),
    errors: endpoint.ui.hideErrors ? [] : check.errors.map((e) => cleanText(e, endpoint)),
  };
  if (check.result.status) out.status = check.result.status;
  if (endpoint.hostname) out.hostname = endpoint.hostname;
  return out;
}

/** Hourly buckets summed per UTC day (days without checks left out), oldest first. */
export function dailyOf(hours: readonly HourBucket[]): Detail['daily'] {
  const days = new Map<number, { t: number; total: number; ok: number }>();
  for (const h of hours) {
    if (h.total === 0) continue;
    const t = h.hourStartMs - (h.hourStartMs % 86_400_000);
    const d = days.get(t) ?? { t, total: 0, ok: 0 };
    d.total += h.total;
    d.ok += h.successes;
    days.set(t, d);
  }
  return [...days.values()].sort((a, b) => a.t - b.t);
}

export function detail(
  store: Store,
  config: Config,
  endpoint: DisplayEndpoint,
  now: number,
  eventsOf?: (key: string) => readonly EndpointEvent[],
  timeline?: RemoteTimeline,
): Detail {
  const latest = store.latest(endpoint.key);
  const stored = store.history(endpoint.key);
  const round = (v: number | undefined) => (v === undefined ? undefined : roundMs(v));
  const remoteEvents = timeline?.events(endpoint.key);
  const out: Detail = {
    site: siteInfo(config),
    generatedAt: now,
    endpoint: summary(store, endpoint, DETAIL_RESULTS),
    uptime1h: store.uptime(endpoint.key, '1h'),
    avgResponseTimeMs: {
      '1h': round(store.averageResponseTimeMs(endpoint.key, '1h')),
      '24h': round(store.averageResponseTimeMs(endpoint.key, '24h')),
      '7d': round(store.averageResponseTimeMs(endpoint.key, '7d')),
      '30d': round(store.averageResponseTimeMs(endpoint.key, '30d')),
    },
    conditionsHidden: endpoint.ui.hideConditions,
    errorsHidden: endpoint.ui.hideErrors,
    recent: store
      .history(endpoint.key, 1, DETAIL_RESULTS)
      .reverse()
      .map((c) => detailResult(c, endpoint)),
    incidents: incidentsOf(remoteEvents ?? (eventsOf ? eventsOf(endpoint.key) : eventsFromResults(stored))),
    incidentsFrom: remoteEvents ? 'prometheus' : eventsOf ? 'events' : 'results',
    daily: timeline?.daily(endpoint.key) ?? dailyOf(store.hourly(endpoint.key, '30d')),
    hourly: store
      .hourly(endpoint.key, '7d')
      .filter((b) => b.total > 0)
      .map((b) => ({ t: b.hourStartMs, ms: roundMs(b.responseTimeSumMs / b.total), total: b.total, ok: b.successes })),
  };
  const since = remoteEvents ? timeline?.incidentsSince() : undefined;
  if (since !== undefined) out.incidentsSince = since;
  const oldest = stored[0];
  if (oldest) out.oldestResult = oldest.timestamp;
  if (latest?.result.certificateNotAfterMs !== undefined) out.certificateNotAfter = latest.result.certificateNotAfterMs;
  return out;
}
