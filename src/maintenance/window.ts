/**
 * Gatus maintenance windows: `start` (hh:mm wall-clock time in `timezone`), `duration`
 * (up to 24h), `every` (weekdays on which a window starts; empty = every day). A window is
 * active strictly after its start and strictly before its end, as in Gatus. Pure: the time is
 * passed in.
 */

export interface MaintenanceWindow {
  /** Minutes after local midnight at which the window starts (`start: "23:00"` → 1380). */
  startMinutes: number;
  durationMs: number;
  /** IANA time zone, `UTC` by default. */
  timezone: string;
  /** Weekdays (0 = Sunday) on which a window starts; empty = every day. */
  every: number[];
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timezone, format);
  }
  return format;
}

/** Whether `timezone` is a time zone this runtime knows (IANA names, `UTC`). */
export function isKnownTimezone(timezone: string): boolean {
  try {
    formatFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timezone` at `nowMs`, as milliseconds of a UTC calendar. */
function wallClockMs(nowMs: number, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timezone).formatToParts(nowMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second, nowMs % 1000);
}

/** Whether `nowMs` falls inside a window that started today or yesterday (local time). */
export function isInWindow(window: MaintenanceWindow, nowMs: number): boolean {
  const local = wallClockMs(nowMs, window.timezone);
  const midnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  for (const dayStart of [midnight, midnight - DAY_MS]) {
    const weekday = new Date(dayStart).getUTCDay();
    if (window.every.length > 0 && !window.every.includes(weekday)) continue;
    const start = dayStart + window.startMinutes * 60_000;
    if (local > start && local < start + window.durationMs) return true;
  }
  return false;
}

/** Whether any of `windows` is active at `nowMs`. */
export function inMaintenance(windows: readonly MaintenanceWindow[], nowMs: number): boolean {
  return windows.some((w) => isInWindow(w, nowMs));
}
