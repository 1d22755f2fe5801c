/**
 * Gatus `storage:`. vigil keeps results and events in memory (per replica; shared history comes
 * from Prometheus with --history.prometheus-url). The bounds are honoured; sqlite and postgres
 * are one warning each saying what vigil does instead.
 */
import { DEFAULT_HISTORY_SIZE } from './schema.js';
import type { Section } from './reader.js';

/** Gatus' DefaultMaximumNumberOfEvents. */
export const DEFAULT_MAX_EVENTS = 50;

export interface StorageConfig {
  /** Gatus `maximum-number-of-results`: default of vigil.history-size. */
  maxResults: number;
  /** Gatus `maximum-number-of-events`: events kept per endpoint. */
  maxEvents: number;
}

const TYPES = ['memory', 'sqlite', 'postgres'] as const;

const NOT_PERSISTED =
  'is not implemented by vigil: results and events are kept in memory and start empty after a restart; ' +
  'for history shared by all replicas and kept across restarts, run vigil with --history.prometheus-url';

export function readStorage(section: Section): StorageConfig {
  section.checkKeys({ known: ['type', 'path', 'caching', 'maximum-number-of-results', 'maximum-number-of-events'], gatus: true });
  const type = section.oneOf('type', TYPES, 'memory');
  if (type !== 'memory') {
    const path = section.child('type');
    section.issues.warnOnce(path, section.locOf('type'), path, `storage type ${type} ${NOT_PERSISTED}`);
  }
  return {
    maxResults: section.int('maximum-number-of-results', DEFAULT_HISTORY_SIZE, 1),
    maxEvents: section.int('maximum-number-of-events', DEFAULT_MAX_EVENTS, 1),
  };
}
