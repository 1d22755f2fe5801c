/**
 * Gatus `storage:`. Results and events live in memory; `type: sqlite` with `path` also keeps them
 * in an SQLite file (store/sqlite-archive.ts) so a restart starts with them. postgres is one
 * warning saying what vigil does instead (shared history comes from --history.prometheus-url).
 */
import { DEFAULT_HISTORY_SIZE } from './schema.js';
import type { Section } from './reader.js';

/** Gatus' DefaultMaximumNumberOfEvents. */
export const DEFAULT_MAX_EVENTS = 50;

export interface StorageConfig {
  /** Gatus `type`; postgres is read as memory (with a warning). */
  type: 'memory' | 'sqlite';
  /** The SQLite file (`type: sqlite`). */
  path?: string;
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
  if (type === 'postgres') {
    const path = section.child('type');
    section.issues.warnOnce(path, section.locOf('type'), path, `storage type ${type} ${NOT_PERSISTED}`);
  }
  const path = type === 'sqlite' ? section.required('path') : undefined;
  return {
    type: type === 'sqlite' ? 'sqlite' : 'memory',
    ...(path ? { path } : {}),
    maxResults: section.int('maximum-number-of-results', DEFAULT_HISTORY_SIZE, 1),
    maxEvents: section.int('maximum-number-of-events', DEFAULT_MAX_EVENTS, 1),
  };
}
