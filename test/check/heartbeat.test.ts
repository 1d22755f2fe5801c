import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import type { CheckResult } from '../../src/check/types.js';
import { createHeartbeats, formatGoDuration, heartbeatError, type Heartbeats } from '../../src/check/heartbeat.js';
import type { ExternalEndpointConfig } from '../../src/config/schema.js';
import { parseFlags } from '../../src/flags.js';
import { silentLogger } from '../../src/log.js';
import { createStore } from '../../src/store/index.js';
import { externalCheck } from '../../src/web/external.js';
import { makeExternal } from '../helpers/fixtures.js';

const START = Date.UTC(2024, 0, 1, 12, 0, 0);
const clock = { now: () => Date.now() };

interface Missed {
  key: string;
  timestamp: number;
  error: string;
}

describe('heartbeat messages', () => {
  it('prints intervals like Go time.Duration.String()', () => {
    expect(formatGoDuration(10_000)).toBe('10s');
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
    expect(formatGoDuration(5_430_500)).toBe('1h30m30.5s');
    expect(formatGoDuration(250)).toBe('250ms');
    expect(heartbeatError(300_000)).toBe('heartbeat: no update received within 5m0s');
  });
});

describe('heartbeats', () => {
  let heartbeats: Heartbeats;
  let missed: Missed[];

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    missed = [];
    heartbeats = createHeartbeats({
      clock,
      logger: silentLogger,
      onMissed: (external, m) => missed.push({ key: external.key, ...m }),
    });
  });
  afterEach(() => {
    heartbeats.stop();
    vi.useRealTimers();
  });

  const backup = makeExternal({ name: 'backup', heartbeatIntervalMs: 60_000 });
  const report = makeExternal({ name: 'report', heartbeatIntervalMs: 600_000 });

  it('publishes a failure when no push arrives within the interval, once per missed interval', () => {
    heartbeats.update([backup]);
    vi.advanceTimersByTime(59_999);
    expect(missed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(missed).toEqual([{ key: backup.key, timestamp: START + 60_000, error: 'heartbeat: no update received within 1m0s' }]);
    vi.advanceTimersByTime(59_999);
    expect(missed).toHaveLength(1);
    vi.advanceTimersByTime(1 + 60_000);
    expect(missed.map((m) => m.timestamp)).toEqual([START + 60_000, START + 120_000, START + 180_000]);
  });

  it('restarts the interval on every push', () => {
    heartbeats.update([backup]);
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(50_000);
      heartbeats.beat(backup.key);
    }
    expect(missed).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(missed.map((m) => m.timestamp)).toEqual([START + 250_000 + 60_000]);
    // a push after a miss starts a fresh interval from the push
    vi.advanceTimersByTime(10_000);
    heartbeats.beat(backup.key);
    vi.advanceTimersByTime(59_999);
    expect(missed).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(missed).toHaveLength(2);
  });

  it('keeps one timer per endpoint', () => {
    heartbeats.update([backup, report]);
    expect(heartbeats.size).toBe(2);
    vi.advanceTimersByTime(599_999);
    heartbeats.beat(report.key); // only report is pushed
    expect(missed.filter((m) => m.key === report.key)).toEqual([]);
    expect(missed.filter((m) => m.key === backup.key)).toHaveLength(9);
    expect(missed[0]?.error).toBe('heartbeat: no update received within 1m0s');
  });

  it('ignores endpoints without a heartbeat interval, disabled ones, and pushes for unknown keys', () => {
    const none = makeExternal({ name: 'none', heartbeatIntervalMs: 0 });
    const disabled = makeExternal({ name: 'off', heartbeatIntervalMs: 60_000, enabled: false });
    heartbeats.update([none, disabled]);
    expect(heartbeats.size).toBe(0);
    heartbeats.beat('unknown_key');
    vi.advanceTimersByTime(10 * 60_000);
    expect(missed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('on reload keeps the deadline of unchanged endpoints, reschedules changed intervals and stops removed ones', () => {
    heartbeats.update([backup, report]);
    vi.advanceTimersByTime(40_000);
    // same interval: a reload does not postpone the deadline
    heartbeats.update([{ ...backup, alerts: [] }, { ...report, heartbeatIntervalMs: 0 }]);
    expect(heartbeats.size).toBe(1);
    vi.advanceTimersByTime(20_000);
    expect(missed.map((m) => [m.key, m.timestamp])).toEqual([[backup.key, START + 60_000]]);
    // a longer interval counts from the last event (the miss at +60 s)
    heartbeats.update([{ ...backup, heartbeatIntervalMs: 120_000 }]);
    vi.advanceTimersByTime(119_999);
    expect(missed).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(missed[1]).toEqual({ key: backup.key, timestamp: START + 180_000, error: 'heartbeat: no update received within 2m0s' });
    // a shorter interval already over fires at once
    vi.advanceTimersByTime(30_000);
    heartbeats.update([{ ...backup, heartbeatIntervalMs: 10_000 }]);
    vi.advanceTimersByTime(0);
    expect(missed).toHaveLength(3);
    // removed: no timer left
    heartbeats.update([]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(missed).toHaveLength(3);
  });

  it('publishes with the updated config after a reload (name, labels, alerts)', () => {
    heartbeats.update([backup]);
    const relabelled: ExternalEndpointConfig = { ...backup, labels: { team: 'ops' } };
    const seen: ExternalEndpointConfig[] = [];
    heartbeats.stop();
    heartbeats = createHeartbeats({ clock, logger: silentLogger, onMissed: (e) => seen.push(e) });
    heartbeats.update([backup]);
    heartbeats.update([relabelled]);
    vi.advanceTimersByTime(60_000);
    expect(seen).toEqual([relabelled]);
  });

  it('stop() clears every timer and later updates and pushes do nothing', () => {
    heartbeats.update([backup, report]);
    heartbeats.stop();
    expect(vi.getTimerCount()).toBe(0);
    heartbeats.update([backup]);
    heartbeats.beat(backup.key);
    vi.advanceTimersByTime(3_600_000);
    expect(missed).toEqual([]);
    expect(heartbeats.size).toBe(0);
  });

  it('a miss reaches the sinks as a failed result of the external endpoint, like a failed push', () => {
    const store = createStore({ historySize: 10, clock });
    const published: CheckResult[] = [];
    const publish = (check: CheckResult) => {
      published.push(check);
      store.observe(check);
    };
    heartbeats.stop();
    heartbeats = createHeartbeats({
      clock,
      logger: silentLogger,
      onMissed: (external, m) => publish(externalCheck(external, { ...m, success: false, durationMs: 0 })),
    });
    heartbeats.update([backup]);
    vi.advanceTimersByTime(60_000);
    const latest = store.latest(backup.key);
    expect(latest?.success).toBe(false);
    expect(latest?.errors).toEqual(['heartbeat: no update received within 1m0s']);
    expect(latest?.timestamp).toBe(START + 60_000);
    expect(latest?.endpoint).toMatchObject({ name: backup.name, group: backup.group, key: backup.key });
    expect(store.uptime(backup.key, '1h')).toBe(0);
  });

  it('a throwing publisher is logged and does not stop the heartbeat', () => {
    let calls = 0;
    heartbeats.stop();
    heartbeats = createHeartbeats({
      clock,
      logger: silentLogger,
      onMissed: () => {
        calls += 1;
        throw new Error('sink broke');
      },
    });
    heartbeats.update([backup]);
    vi.advanceTimersByTime(180_000);
    expect(calls).toBe(3);
  });
});

describe('heartbeats in the running app', () => {
  let dir: string | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    vi.useRealTimers();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes a missed heartbeat through the push path: statuses API and metrics', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-heartbeat-'));
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      ['external-endpoints:', '  - name: backup', '    group: jobs', '    token: secret-token-123', '    heartbeat:', '      interval: 10s', ''].join('\n'),
    );
    const cmd = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0', '--shutdown.grace-period=1s']);
    if (cmd.kind !== 'run') throw new Error('expected run');
    // only the timers vigil schedules are faked; sockets keep working
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: START });
    app = await startApp(cmd.flags, silentLogger);
    const push = await fetch(`${app.url}/api/v1/endpoints/jobs_backup/external?success=true&duration=1s`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token-123' },
    });
    expect(push.status).toBe(200);
    vi.advanceTimersByTime(9_999);
    const statuses = async () =>
      ((await (await fetch(`${app!.url}/api/v1/endpoints/jobs_backup/statuses`)).json()) as { results: { success: boolean; errors?: string[] }[] }).results;
    expect((await statuses()).map((r) => r.success)).toEqual([true]);
    vi.advanceTimersByTime(1);
    const results = await statuses();
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect(results[1]?.errors).toEqual(['heartbeat: no update received within 10s']);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_probe_success\{endpoint="backup",group="jobs"[^}]*\} 0$/m);
  });
});
