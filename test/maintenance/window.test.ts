import { describe, expect, it } from 'vitest';
import { inMaintenance, isInWindow, isKnownTimezone } from '../../src/maintenance/window.js';
import type { MaintenanceWindow } from '../../src/maintenance/window.js';

const H = 3_600_000;
const M = 60_000;
const win = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({ startMinutes: 23 * 60, durationMs: H, timezone: 'UTC', every: [], ...over });
// 2024-01-01 is a Monday.
const utc = (day: number, h: number, m = 0, s = 0) => Date.UTC(2024, 0, day, h, m, s);

describe('maintenance windows (Gatus semantics)', () => {
  it('is active strictly between start and start + duration, every day when every is empty', () => {
    const w = win({ startMinutes: 2 * 60, durationMs: 30 * M });
    expect(isInWindow(w, utc(3, 1, 59))).toBe(false);
    expect(isInWindow(w, utc(3, 2, 0))).toBe(false); // Gatus: now.After(start)
    expect(isInWindow(w, utc(3, 2, 0, 1))).toBe(true);
    expect(isInWindow(w, utc(3, 2, 29, 59))).toBe(true);
    expect(isInWindow(w, utc(3, 2, 30))).toBe(false); // now.Before(end)
  });

  it('spans midnight: a 23:00 window of 2h is active at 00:30 the next day', () => {
    const w = win({ durationMs: 2 * H });
    expect(isInWindow(w, utc(3, 23, 30))).toBe(true);
    expect(isInWindow(w, utc(4, 0, 30))).toBe(true);
    expect(isInWindow(w, utc(4, 1, 0, 1))).toBe(false);
  });

  it('every: the weekday on which the window starts counts (Sunday 23:00 + 2h covers Monday 00:30)', () => {
    const w = win({ durationMs: 2 * H, every: [0] });
    expect(isInWindow(w, utc(7, 23, 30))).toBe(true); // Sunday 7 Jan
    expect(isInWindow(w, utc(8, 0, 30))).toBe(true); // Monday, window started Sunday
    expect(isInWindow(w, utc(8, 23, 30))).toBe(false); // Monday's own 23:00: not scheduled
    expect(isInWindow(w, utc(6, 23, 30))).toBe(false); // Saturday
  });

  it('reads start in the configured time zone (Europe/Amsterdam is UTC+1 in January, UTC+2 in July)', () => {
    const w = win({ startMinutes: 23 * 60, durationMs: H, timezone: 'Europe/Amsterdam', every: [1, 4] });
    // Monday 1 Jan 23:30 in Amsterdam = 22:30 UTC
    expect(isInWindow(w, utc(1, 22, 30))).toBe(true);
    expect(isInWindow(w, utc(1, 23, 30))).toBe(false);
    // Thursday 4 July 23:30 in Amsterdam = 21:30 UTC
    expect(isInWindow(w, Date.UTC(2024, 6, 4, 21, 30))).toBe(true);
    expect(isInWindow(w, Date.UTC(2024, 6, 4, 22, 30))).toBe(false);
  });

  it('a full-day window (24h) starting at 10:30 is still active at 10:10 the next day', () => {
    const w = win({ startMinutes: 10 * 60 + 30, durationMs: 24 * H, every: [1] });
    expect(isInWindow(w, utc(2, 10, 10))).toBe(true); // Tuesday, from Monday's window
    expect(isInWindow(w, utc(2, 10, 40))).toBe(false);
  });

  it('inMaintenance: any window; none → false', () => {
    expect(inMaintenance([], utc(1, 0))).toBe(false);
    expect(inMaintenance([win({ startMinutes: 0, durationMs: H }), win()], utc(1, 23, 5))).toBe(true);
  });

  it('knows IANA time zones and rejects made-up ones', () => {
    expect(isKnownTimezone('America/Sao_Paulo')).toBe(true);
    expect(isKnownTimezone('UTC')).toBe(true);
    expect(isKnownTimezone('Mars/Olympus_Mons')).toBe(false);
  });
});
