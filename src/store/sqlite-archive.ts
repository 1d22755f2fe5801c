/**
 * `storage.type: sqlite`: results, hourly counts and events kept in an SQLite file (better-sqlite3),
 * so a restart starts with them, as in Gatus. Nothing is written per probe: results are queued and
 * flushed once a second in one transaction. Each endpoint keeps its newest maximum-number-of-results
 * results and maximum-number-of-events events, and 30 days of hourly counts; endpoints no longer in
 * the config are deleted. A failed write is logged and dropped: the archive never stalls probing.
 * The file is created readable by its owner only (results may quote what targets answered).
 * better-sqlite3 is an optional dependency compiled by `npm ci`: without it only this feature fails.
 */
import { chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { CheckResult, CheckSink, ConditionResult } from '../check/types.js';
import type { Clock } from '../clock.js';
import type { EndpointConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { EndpointEvent, EventType } from './events.js';
import { HOUR_MS, UPTIME_RETENTION_HOURS, type HourBucket } from './uptime.js';

export interface ArchivedEndpoint {
  /** Oldest first. */
  results: CheckResult[];
  hours: HourBucket[];
  events: EndpointEvent[];
}

export interface ResultArchive extends CheckSink {
  /** What the file holds for this endpoint. */
  load(endpoint: EndpointConfig): ArchivedEndpoint;
  /** Deletes every endpoint whose key is not in `keys`. */
  retain(keys: ReadonlySet<string>): void;
  /** Writes what is queued now (also done every flush interval). */
  flush(): void;
  /** Flushes and closes the file. */
  close(): void;
}

export interface ArchiveOptions {
  path: string;
  maxResults: number;
  maxEvents: number;
  /** The event log's current events of an endpoint (written when they change). */
  events: (key: string) => readonly EndpointEvent[];
  clock: Clock;
  logger: Logger;
  /** Default 1 s. */
  flushIntervalMs?: number;
}

/** Queued results past this are dropped (oldest first) while the disk does not keep up. */
const MAX_QUEUED = 200_000;

interface Stored {
  s: 0 | 1;
  c: 0 | 1;
  rt: number;
  st?: number;
  cr: Array<[string, 0 | 1, string]>;
  e: string[];
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS results (key TEXT NOT NULL, ts INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS results_by_key ON results (key, ts);
  CREATE TABLE IF NOT EXISTS hours (key TEXT NOT NULL, hour INTEGER NOT NULL, total INTEGER NOT NULL,
    successes INTEGER NOT NULL, rt_sum REAL NOT NULL, PRIMARY KEY (key, hour));
  CREATE INDEX IF NOT EXISTS hours_by_hour ON hours (hour);
  CREATE TABLE IF NOT EXISTS events (key TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
    ts INTEGER NOT NULL, PRIMARY KEY (key, seq));
`;

function encode(check: CheckResult): string {
  const stored: Stored = {
    s: check.success ? 1 : 0,
    c: check.result.connected ? 1 : 0,
    rt: check.result.responseTimeMs,
    cr: check.conditionResults.map((c) => [c.condition, c.success ? 1 : 0, c.rendered]),
    e: check.errors,
  };
  if (check.result.status !== undefined) stored.st = check.result.status;
  return JSON.stringify(stored);
}

function decode(endpoint: EndpointConfig, ts: number, data: string): CheckResult | undefined {
  try {
    const stored = JSON.parse(data) as Stored;
    const conditionResults: ConditionResult[] = stored.cr.map(([condition, success, rendered]) => ({ condition, success: success === 1, rendered }));
    return {
      endpoint,
      timestamp: ts,
      success: stored.s === 1,
      result: { connected: stored.c === 1, responseTimeMs: stored.rt, phasesMs: {}, ...(stored.st === undefined ? {} : { status: stored.st }) },
      conditionResults,
      errors: stored.e.map(String),
    };
  } catch {
    return undefined;
  }
}

const EVENT_TYPES: readonly EventType[] = ['START', 'HEALTHY', 'UNHEALTHY'];

function loadDriver(): typeof Database {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch {
    throw new Error(
      'storage.type sqlite: the better-sqlite3 module is not installed (npm ci builds it from source: install python3, make and g++, then run npm rebuild better-sqlite3)',
    );
  }
}

/** Opens (creating) the file; throws an Error whose message says what is wrong with it. */
export function openArchive(options: ArchiveOptions): ResultArchive {
  const { clock, logger, maxResults, maxEvents } = options;
  const Driver = loadDriver();
  let db: Database.Database;
  try {
    db = new Driver(options.path);
    chmodSync(options.path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (err) {
    throw new Error(`storage.path: cannot use ${options.path} as an SQLite database (${err instanceof Error ? err.message : String(err)})`);
  }
  const insertResult = db.prepare('INSERT INTO results (key, ts, data) VALUES (?, ?, ?)');
  const addHour = db.prepare(
    'INSERT INTO hours (key, hour, total, successes, rt_sum) VALUES (?, ?, 1, ?, ?) ' +
      'ON CONFLICT (key, hour) DO UPDATE SET total = total + 1, successes = successes + excluded.successes, rt_sum = rt_sum + excluded.rt_sum',
  );
  const trimResults = db.prepare('DELETE FROM results WHERE key = ? AND ts < (SELECT ts FROM results WHERE key = ? ORDER BY ts DESC LIMIT 1 OFFSET ?)');
  const deleteEvents = db.prepare('DELETE FROM events WHERE key = ?');
  const insertEvent = db.prepare('INSERT INTO events (key, seq, type, ts) VALUES (?, ?, ?, ?)');
  const dropOldHours = db.prepare('DELETE FROM hours WHERE hour < ?');
  const selectResults = db.prepare<[string, number], { ts: number; data: string }>('SELECT ts, data FROM results WHERE key = ? ORDER BY ts DESC, rowid DESC LIMIT ?');
  const selectHours = db.prepare<[string, number], { hour: number; total: number; successes: number; rt_sum: number }>(
    'SELECT hour, total, successes, rt_sum FROM hours WHERE key = ? AND hour >= ? ORDER BY hour',
  );
  const selectEvents = db.prepare<[string], { type: string; ts: number }>('SELECT type, ts FROM events WHERE key = ? ORDER BY seq');
  const selectKeys = db.prepare<[], { key: string }>('SELECT key FROM results UNION SELECT key FROM hours UNION SELECT key FROM events');
  const deleteKey = ['results', 'hours', 'events'].map((table) => db.prepare(`DELETE FROM ${table} WHERE key = ?`));

  let queue: CheckResult[] = [];
  let dropped = 0;
  let lastFailureLog = 0;
  let lastHourCleanup = 0;
  const writtenEvents = new Map<string, string>();

  const write = db.transaction((batch: CheckResult[]) => {
    const touched = new Set<string>();
    for (const check of batch) {
      const key = check.endpoint.key;
      touched.add(key);
      insertResult.run(key, check.timestamp, encode(check));
      addHour.run(key, Math.floor(check.timestamp / HOUR_MS) * HOUR_MS, check.success ? 1 : 0, Math.max(0, check.result.responseTimeMs));
    }
    for (const key of touched) {
      trimResults.run(key, key, maxResults - 1);
      const events = options.events(key).slice(-maxEvents);
      const last = events.at(-1);
      const signature = `${events.length}:${last?.type}:${last?.timestamp}`;
      if (writtenEvents.get(key) === signature) continue;
      deleteEvents.run(key);
      events.forEach((event, seq) => insertEvent.run(key, seq, event.type, event.timestamp));
      writtenEvents.set(key, signature);
    }
    const now = clock.now();
    if (now - lastHourCleanup >= HOUR_MS) {
      dropOldHours.run(now - (UPTIME_RETENTION_HOURS + 1) * HOUR_MS);
      lastHourCleanup = now;
    }
  });

  const flush = (): void => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      write(batch);
    } catch (err) {
      dropped += batch.length;
      const now = clock.now();
      if (now - lastFailureLog >= 60_000) {
        lastFailureLog = now;
        logger.error('storage: writing results to the SQLite file failed; they stay in memory only', {
          path: options.path,
          dropped,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };
  const timer = setInterval(flush, options.flushIntervalMs ?? 1_000);
  timer.unref();

  return {
    observe(check) {
      queue.push(check);
      if (queue.length > MAX_QUEUED) {
        queue.splice(0, queue.length - MAX_QUEUED);
        dropped += 1;
      }
    },
    load(endpoint) {
      const key = endpoint.key;
      const results = selectResults
        .all(key, maxResults)
        .reverse()
        .flatMap((row) => decode(endpoint, row.ts, row.data) ?? []);
      const since = clock.now() - UPTIME_RETENTION_HOURS * HOUR_MS - HOUR_MS;
      const hours = selectHours.all(key, since).map((row) => ({ hourStartMs: row.hour, total: row.total, successes: row.successes, responseTimeSumMs: row.rt_sum }));
      const events = selectEvents.all(key).flatMap((row) => {
        const type = EVENT_TYPES.find((t) => t === row.type);
        return type ? [{ type, timestamp: row.ts }] : [];
      });
      const last = events.at(-1);
      if (last) writtenEvents.set(key, `${events.length}:${last.type}:${last.timestamp}`);
      return { results, hours, events };
    },
    retain(keys) {
      const gone = selectKeys.all().filter((row) => !keys.has(row.key));
      if (gone.length === 0) return;
      db.transaction(() => {
        for (const { key } of gone) for (const statement of deleteKey) statement.run(key);
      })();
      for (const { key } of gone) writtenEvents.delete(key);
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
      db.close();
    },
  };
}

/** Fills the store and the event log with what the archive kept for these endpoints (at start, before probing). */
export function restoreFromArchive(
  archive: ResultArchive,
  endpoints: readonly EndpointConfig[],
  into: { store: { restore(key: string, results: readonly CheckResult[], hours: readonly HourBucket[]): void }; events: { restore(key: string, events: readonly EndpointEvent[], lastSuccess: boolean | undefined): void } },
): number {
  let restored = 0;
  for (const endpoint of endpoints) {
    const kept = archive.load(endpoint);
    into.store.restore(endpoint.key, kept.results, kept.hours);
    into.events.restore(endpoint.key, kept.events, kept.results.at(-1)?.success);
    restored += kept.results.length;
  }
  return restored;
}
