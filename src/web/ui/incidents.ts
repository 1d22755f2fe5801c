/**
 * Incidents from state changes: an UNHEALTHY event opens one, the next HEALTHY closes it. From the
 * endpoint's events (Gatus' START/HEALTHY/UNHEALTHY) when vigil keeps them, else from its stored results.
 */
import type { CheckResult } from '../../check/types.js';
import type { EndpointEvent } from '../../store/events.js';
import type { Incident } from './client/types.js';

/** State changes of stored results (oldest first) as events, for when no event log is kept. */
export function eventsFromResults(results: readonly CheckResult[]): EndpointEvent[] {
  const out: EndpointEvent[] = [];
  let last: boolean | undefined;
  for (const r of results) {
    if (r.success !== last) out.push({ type: r.success ? 'HEALTHY' : 'UNHEALTHY', timestamp: r.timestamp });
    last = r.success;
  }
  return out;
}

/** Incidents of one endpoint, newest first; an open one has no `end`. */
export function incidentsOf(events: readonly EndpointEvent[]): Incident[] {
  const out: Incident[] = [];
  let open: Incident | undefined;
  for (const e of events) {
    if (e.type === 'UNHEALTHY' && !open) open = { start: e.timestamp };
    else if (e.type === 'HEALTHY' && open) {
      out.push({ ...open, end: e.timestamp });
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out.reverse();
}

/** The page's incidents: every endpoint's, newest (or still open) first, at most `limit`. */
export function pageIncidents(
  endpoints: readonly { key: string; name: string; group: string }[],
  eventsOf: (key: string) => readonly EndpointEvent[],
  limit: number,
): Incident[] {
  const all: Incident[] = [];
  for (const e of endpoints) {
    for (const incident of incidentsOf(eventsOf(e.key))) all.push({ ...incident, key: e.key, name: e.name, group: e.group });
  }
  const sortKey = (i: Incident) => (i.end === undefined ? Number.MAX_SAFE_INTEGER : i.end);
  return all.sort((a, b) => sortKey(b) - sortKey(a) || b.start - a.start).slice(0, limit);
}
