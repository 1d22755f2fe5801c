import type { EndpointConfig } from '../config/schema.js';

/** Label names every per-endpoint metric has, before the user's extra labels. */
export const BASE_LABELS = ['endpoint', 'group', 'type'] as const;
const RESERVED = new Set<string>([...BASE_LABELS, 'condition', 'phase', 'key', 'name', 'success', 'code', 'url', 'le', 'quantile']);

/** Sorted union of the extra label names used by the endpoints, without reserved names. */
export function extraLabelNames(endpoints: readonly Pick<EndpointConfig, 'labels'>[]): string[] {
  const names = new Set<string>();
  for (const e of endpoints) for (const name of Object.keys(e.labels)) if (!RESERVED.has(name)) names.add(name);
  return [...names].sort();
}

/** Extra label values for one endpoint: every name in `names`, '' where the endpoint lacks it. */
export function extraLabels(endpoint: Pick<EndpointConfig, 'labels'>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, endpoint.labels[n] ?? '']));
}

/** Whether the endpoint is an external one (results pushed to the API, not probed), as externalAsEndpoint builds it. */
export function isPushed(endpoint: Pick<EndpointConfig, 'target'>): boolean {
  return endpoint.target.url.protocol === 'external:';
}
