import type { CheckResult } from '../check/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { EndpointEvent } from '../store/events.js';
import type { RemoteTimeline } from '../store/prometheus-history.js';
import type { Store } from '../store/store.js';
import { displayEndpoints, type DisplayEndpoint } from './view.js';

/** What the API and UI routers need. Everything is passed in; nothing is global. */
export interface WebDeps {
  store: Store;
  /** Current config (changes on reload). */
  getConfig: () => Config;
  clock: Clock;
  logger: Logger;
  /** Active alerts, shown as-is by GET /api/v1/alerts and on the detail page. */
  alerts?: () => unknown[];
  /** Gatus `events` of an endpoint (START, HEALTHY, UNHEALTHY), oldest first. */
  events?: (key: string) => readonly EndpointEvent[];
  /** With --history.prometheus-url: incidents and daily counts over every replica (the page prefers them). */
  timeline?: RemoteTimeline;
  /** Called with the CheckResult built from POST /api/v1/endpoints/{key}/external. */
  onExternalResult: (check: CheckResult) => void;
}

export interface EndpointIndex {
  list: DisplayEndpoint[];
  byKey: Map<string, DisplayEndpoint>;
}

const cache = new WeakMap<Config, EndpointIndex>();

/** Display views of the config's endpoints, computed once per config object. */
export function endpointIndex(config: Config): EndpointIndex {
  let index = cache.get(config);
  if (!index) {
    const list = displayEndpoints(config);
    index = { list, byKey: new Map(list.map((e) => [e.key, e])) };
    cache.set(config, index);
  }
  return index;
}

/** Max results per page (Gatus' default maximum-number-of-results). */
export const MAX_PAGE_SIZE = 100;
/** Gatus' DefaultPage / DefaultPageSize. */
export const DEFAULT_PAGE = 1;
export const DEFAULT_PAGE_SIZE = 50;

export interface Paging {
  page: number;
  pageSize: number;
}

/** A decimal integer (Go's strconv.Atoi: optional sign, digits only), else undefined. */
function atoi(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[+-]?\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Gatus `page` / `pageSize`: a missing, malformed or out-of-range value falls back to the default
 * (page 1, pageSize 50) instead of failing; pageSize above the maximum is clamped to it.
 */
export function parsePage(query: Record<string, unknown>, maxPageSize = MAX_PAGE_SIZE): Paging {
  const page = atoi(query.page) ?? DEFAULT_PAGE;
  const pageSize = atoi(query.pageSize) ?? DEFAULT_PAGE_SIZE;
  return {
    page: page < 1 ? DEFAULT_PAGE : page,
    pageSize: pageSize < 1 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, maxPageSize),
  };
}
