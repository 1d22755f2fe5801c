/**
 * Gatus' endpoint events, from state changes: START when vigil first stores a result of the
 * endpoint, then HEALTHY or UNHEALTHY for that first result and for every result whose success
 * differs from the previous one. Oldest first, at most `maxEvents` per endpoint (oldest dropped).
 */
import type { CheckResult, CheckSink } from '../check/types.js';
import type { Clock } from '../clock.js';
import { DEFAULT_MAX_EVENTS } from '../config/storage.js';

export type EventType = 'START' | 'HEALTHY' | 'UNHEALTHY';

export interface EndpointEvent {
  type: EventType;
  /** Epoch ms. */
  timestamp: number;
}


export interface EventLog extends CheckSink {
  /** The endpoint's events, oldest first (empty when it has no result yet). */
  events(key: string): readonly EndpointEvent[];
  /** Drops every endpoint whose key is not in `keys` (call after a reload). */
  retain(keys: ReadonlySet<string>): void;
  /** Puts back the events an archive kept (before any new result); `lastSuccess` is the last result's. */
  restore(key: string, events: readonly EndpointEvent[], lastSuccess: boolean | undefined): void;
}

interface Entry {
  events: EndpointEvent[];
  lastSuccess?: boolean;
}

export function createEventLog(options: { maxEvents?: number; clock: Clock }): EventLog {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const entries = new Map<string, Entry>();
  const push = (entry: Entry, event: EndpointEvent): void => {
    entry.events.push(event);
    if (entry.events.length > maxEvents) entry.events.splice(0, entry.events.length - maxEvents);
  };
  return {
    observe(check: CheckResult): void {
      const key = check.endpoint.key;
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = { events: [] };
        entries.set(key, entry);
        push(entry, { type: 'START', timestamp: options.clock.now() });
      }
      if (entry.lastSuccess !== check.success) push(entry, { type: check.success ? 'HEALTHY' : 'UNHEALTHY', timestamp: check.timestamp });
      entry.lastSuccess = check.success;
    },
    events: (key) => entries.get(key)?.events ?? [],
    restore(key, events, lastSuccess) {
      if (events.length === 0) return;
      entries.set(key, { events: events.slice(-maxEvents), ...(lastSuccess === undefined ? {} : { lastSuccess }) });
    },
    retain(keys) {
      for (const key of [...entries.keys()]) if (!keys.has(key)) entries.delete(key);
    },
  };
}
