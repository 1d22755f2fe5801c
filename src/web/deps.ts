import type { CheckResult } from '../check/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
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

/** Max results per page (Gatus' maximum number of results). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export type PageParse = { ok: true; page: number; pageSize: number } | { ok: false; reason: string };

function intParam(value: unknown, name: string, fallback: number): number | string {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return `${name} must be a positive integer`;
  const n = Number(value);
  return n >= 1 ? n : `${name} must be a positive integer`;
}

/** Gatus `page` / `pageSize` query parameters; pageSize above the maximum is clamped. */
export function parsePage(query: Record<string, unknown>, defaultPageSize = DEFAULT_PAGE_SIZE): PageParse {
  const page = intParam(query.page, 'page', 1);
  if (typeof page === 'string') return { ok: false, reason: page };
  const pageSize = intParam(query.pageSize, 'pageSize', defaultPageSize);
  if (typeof pageSize === 'string') return { ok: false, reason: pageSize };
  return { ok: true, page, pageSize: Math.min(pageSize, MAX_PAGE_SIZE) };
}
