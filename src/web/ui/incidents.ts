/**
 * Incidents from state changes: an UNHEALTHY event opens one, the next HEALTHY closes it. From the
 * endpoint's events (Gatus' START/HEALTHY/UNHEALTHY) when vigil keeps them, else from its stored results.
 */
import type { CheckResult } from '../../check/types.js';
import type { TimeSlices } from '../../slices.js';
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

/** Newest (or still open) first; among equal ends, the later start first. */
const rank = (a: Incident, b: Incident): number => (b.end ?? Number.MAX_SAFE_INTEGER) - (a.end ?? Number.MAX_SAFE_INTEGER) || b.start - a.start;

/**
 * The page's incidents: every endpoint's, ranked as `rank` (ties in endpoint order), at most `limit`.
 * Only the best `limit` are kept while going, and the walk yields between slices: when a shared
 * dependency makes 10 000 endpoints flap there are hundreds of thousands, and they are not sorted at once.
 */
export async function pageIncidents(
  endpoints: readonly { key: string; name: string; group: string }[],
  eventsOf: (key: string) => readonly EndpointEvent[],
  limit: number,
  slices: TimeSlices,
): Promise<Incident[]> {
  const top: Incident[] = [];
  for (const e of endpoints) {
    for (const incident of incidentsOf(eventsOf(e.key))) {
      const worst = top[top.length - 1];
      if (top.length >= limit && (worst === undefined || rank(incident, worst) >= 0)) continue;
      let at = top.length;
      while (at > 0 && rank(incident, top[at - 1] as Incident) < 0) at -= 1;
      top.splice(at, 0, { ...incident, key: e.key, name: e.name, group: e.group });
      if (top.length > limit) top.pop();
    }
    if (slices.due) await slices.pause();
  }
  return top;
}
