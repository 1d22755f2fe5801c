/** storage.type sqlite: what a replica saw comes back after a restart, bounded as configured. */
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createEventLog } from '../../src/store/events.js';
import { createStore } from '../../src/store/index.js';
import { openArchive, restoreFromArchive } from '../../src/store/sqlite-archive.js';
import { makeCheck, makeClock, makeEndpoint } from '../helpers/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;

describe('sqlite archive', () => {
  it('brings back the newest results, the hourly counts and the events after a restart', () => {
    const path = join(dir, 'restart.db');
    const clock = makeClock(Date.UTC(2024, 0, 2, 12, 0, 0));
    const api = makeEndpoint({ name: 'api' });
    const db = makeEndpoint({ name: 'db' });
    const store = createStore({ historySize: 3, clock });
    const events = createEventLog({ clock, maxEvents: 2 });
    const archive = openArchive({ path, maxResults: 3, maxEvents: 2, events: (k) => events.events(k), clock, logger: silentLogger });
    const sinks = [store, events, archive];
    const checks = [
      makeCheck(api, { timestamp: clock.now() - 2 * HOUR, success: true }),
      makeCheck(api, { timestamp: clock.now() - HOUR, success: false, errors: ['connection refused'], result: { responseTimeMs: 7 } }),
      makeCheck(api, { timestamp: clock.now() - 30 * 60_000, success: true, result: { responseTimeMs: 99 } }),
      makeCheck(api, { timestamp: clock.now() - 60_000, success: false, result: { connected: false, status: undefined } }),
      makeCheck(db, { timestamp: clock.now() - 60_000 }),
    ];
    for (const check of checks) for (const sink of sinks) sink.observe(check);
    archive.flush();
    // more than a flush interval's worth: the second flush must trim to maxResults
    const last = makeCheck(api, { timestamp: clock.now(), success: true });
    for (const sink of sinks) sink.observe(last);
    archive.close();

    const reopened = openArchive({ path, maxResults: 3, maxEvents: 2, events: () => [], clock, logger: silentLogger });
    const again = { store: createStore({ historySize: 3, clock }), events: createEventLog({ clock, maxEvents: 2 }) };
    expect(restoreFromArchive(reopened, [api, db], again)).toBe(4);
    expect(again.store.history(api.key)).toEqual(store.history(api.key).map((c) => ({ ...c, result: { ...c.result, phasesMs: {} } })));
    expect(again.store.history(api.key).map((c) => c.timestamp)).toEqual([checks[2]!.timestamp, checks[3]!.timestamp, last.timestamp]);
    for (const window of ['1h', '24h', '7d', '30d'] as const) {
      expect(again.store.uptime(api.key, window)).toBe(store.uptime(api.key, window));
      expect(again.store.averageResponseTimeMs(api.key, window)).toBe(store.averageResponseTimeMs(api.key, window));
    }
    expect(again.store.uptime(api.key, '24h')).toBe(3 / 5);
    expect(again.events.events(api.key)).toEqual(events.events(api.key));
    expect(again.events.events(api.key).map((e) => e.type)).toEqual(['UNHEALTHY', 'HEALTHY']);
    expect(again.store.history(db.key)).toHaveLength(1);

    // endpoints gone from the config are deleted from the file
    reopened.retain(new Set([db.key]));
    expect(reopened.load(api)).toEqual({ results: [], hours: [], events: [] });
    expect(reopened.load(db).results).toHaveLength(1);
    reopened.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not an SQLite database, naming storage.path', async () => {
    const path = join(dir, 'not-a-db.db');
    await writeFile(path, 'hello, this is a text file and not a database at all\n'.repeat(200));
    expect(() => openArchive({ path, maxResults: 3, maxEvents: 2, events: () => [], clock: makeClock(), logger: silentLogger })).toThrow(
      /^storage\.path: cannot use .*not-a-db\.db as an SQLite database \(file is not a database\)$/,
    );
  });
});
