/**
 * The list page's data for thousands of endpoints: GET /ui/api/overview is one light summary per
 * endpoint (state, uptimes, response time; no results), cached per endpoint until it has a new
 * result or a minute passed, and built in slices; POST /ui/api/bars gives the recent results of the
 * endpoints shown.
 */
import type { Config } from '../../config/schema.js';
import { keyUnderMaintenance } from '../../maintenance/gate.js';
import { inMaintenance } from '../../maintenance/window.js';
import { DEFAULT_SLICE_MS, TimeSlices } from '../../slices.js';
import type { EndpointEvent } from '../../store/events.js';
import type { RemoteTimeline } from '../../store/prometheus-history.js';
import type { Store } from '../../store/store.js';
import { endpointIndex } from '../deps.js';
import { jsonArrayText } from '../json-stream.js';
import type { DisplayEndpoint } from '../view.js';
import type { BarsResponse, EndpointSummary, Notice, Overview } from './client/types.js';
import { BAR_RESULTS, bar, siteInfo, summary } from './data.js';
import { pageIncidents } from './incidents.js';

/** A summary is rebuilt when the endpoint has a new result, or after this long (uptime windows slide). */
const SUMMARY_TTL_MS = 60_000;
export const MAX_BAR_KEYS = 500;

interface Cached {
  latestMs: number | undefined;
  builtAt: number;
  value: EndpointSummary;
  /** Its JSON text, made when first asked for: [own, own in maintenance, public, public in maintenance]. */
  texts: (string | undefined)[];
}

const caches = new WeakMap<Store, WeakMap<DisplayEndpoint, Cached>>();

function cachedSummary(store: Store, endpoint: DisplayEndpoint, now: number): Cached {
  let cache = caches.get(store);
  if (!cache) {
    cache = new WeakMap();
    caches.set(store, cache);
  }
  const latestMs = store.latest(endpoint.key)?.timestamp;
  const hit = cache.get(endpoint);
  if (hit && hit.latestMs === latestMs && now - hit.builtAt < SUMMARY_TTL_MS && now >= hit.builtAt) return hit;
  const entry: Cached = { latestMs, builtAt: now, value: summary(store, endpoint, 0), texts: [] };
  cache.set(endpoint, entry);
  return entry;
}

/** An endpoint's summary as JSON, serialized once per summary and view (a page polling 10 000 endpoints mostly hits). */
function summaryText(store: Store, endpoint: DisplayEndpoint, now: number, maintenance: boolean, publicView: boolean): string {
  const entry = cachedSummary(store, endpoint, now);
  const variant = (publicView ? 2 : 0) + (maintenance ? 1 : 0);
  let text = entry.texts[variant];
  if (text === undefined) {
    const s = maintenance ? { ...entry.value, maintenance: true } : entry.value;
    text = JSON.stringify(publicView ? publicSummary(s) : s);
    entry.texts[variant] = text;
  }
  return text;
}

/** Page incidents listed at most. */
export const PAGE_INCIDENTS = 30;

/** Banners: the active maintenance window, then the config's announcements that are not archived. */
export function noticesOf(config: Config, maintenance: boolean): Notice[] {
  const notices: Notice[] = maintenance
    ? [{ kind: 'maintenance', title: 'Scheduled maintenance', text: 'Alerts are paused while the maintenance window lasts.' }]
    : [];
  for (const a of config.announcements.filter((x) => !x.archived).slice(0, 5)) {
    notices.push({ kind: a.type === 'none' ? 'information' : a.type, title: a.message, at: a.timestamp });
  }
  return notices;
}

export interface OverviewSources {
  eventsOf?: (key: string) => readonly EndpointEvent[];
  timeline?: RemoteTimeline;
  /** The public page's reduced view (publicSummary). */
  publicView?: boolean;
  sliceMs?: number;
}

/**
 * The overview's JSON text (an `Overview`), built and serialized a slice at a time: at 10 000
 * endpoints it is ~2 MB, and ~40-70 ms of work that must not hold up probe timers in one piece.
 */
export async function overviewJson(store: Store, config: Config, now: number, sources: OverviewSources = {}): Promise<string> {
  const slices = new TimeSlices(sources.sliceMs ?? DEFAULT_SLICE_MS);
  const maintenance = inMaintenance(config.maintenance, now);
  const list = endpointIndex(config).list;
  const { eventsOf, timeline } = sources;
  const remote = timeline?.incidentsSince() !== undefined ? timeline : undefined;
  const events = remote ? (key: string) => remote.events(key) ?? eventsOf?.(key) ?? [] : eventsOf;
  const publicView = sources.publicView === true;
  const endpoints = await jsonArrayText(list, (e) => summaryText(store, e, now, keyUnderMaintenance(config, e.key, now), publicView), slices);
  const rest: Omit<Overview, 'endpoints'> = {
    site: siteInfo(config),
    generatedAt: now,
    maintenance,
    notices: noticesOf(config, maintenance),
    incidents: events ? await pageIncidents(list, events, PAGE_INCIDENTS, slices) : [],
  };
  if (remote) rest.incidentsFrom = 'prometheus';
  // `rest` always has keys: its text is `{"site":...}`
  return `{"endpoints":${endpoints},${JSON.stringify(rest).slice(1)}`;
}

/** Recent results of the endpoints with these keys (at most MAX_BAR_KEYS; unknown keys left out). */
export function barsFor(store: Store, config: Config, keys: unknown): BarsResponse | undefined {
  if (!Array.isArray(keys) || keys.length > MAX_BAR_KEYS || !keys.every((k) => typeof k === 'string')) return undefined;
  const index = endpointIndex(config).byKey;
  const bars: Record<string, ReturnType<typeof bar>[]> = {};
  for (const key of keys as string[]) {
    const endpoint = index.get(key);
    if (endpoint) bars[key] = store.history(key, 1, BAR_RESULTS).map((c) => bar(c, endpoint));
  }
  return { bars };
}

/** An endpoint on the public page: name, group, state, uptimes; no URL, kind or response time. */
export function publicSummary(e: EndpointSummary): EndpointSummary {
  const out: EndpointSummary = { key: e.key, name: e.name, group: e.group, kind: '', state: e.state, results: [], uptime: e.uptime };
  if (e.lastT !== undefined) out.lastT = e.lastT;
  if (e.maintenance) out.maintenance = true;
  return out;
}

/** The public page's bars: up/down and when, nothing else. */
export function publicBars(b: BarsResponse): BarsResponse {
  const bars: BarsResponse['bars'] = {};
  for (const [key, list] of Object.entries(b.bars)) bars[key] = list.map((r) => ({ t: r.t, ok: r.ok }));
  return { bars };
}
