/** Gatus `maintenance:` and `endpoints[].maintenance-windows[]` → MaintenanceWindow, validated as Gatus does. */
import { isKnownTimezone, WEEKDAYS } from '../maintenance/window.js';
import type { MaintenanceWindow } from '../maintenance/window.js';
import type { ConfigNode } from './node.js';
import { describe, scalarText, Section } from './reader.js';

const DAY_MS = 86_400_000;

function readEvery(section: Section): number[] {
  const days: number[] = [];
  section.list('every').forEach((node, i) => {
    const path = `${section.child('every')}[${i}]`;
    const text = node.kind === 'scalar' && node.value !== null ? scalarText(node) : undefined;
    const day = WEEKDAYS.findIndex((d) => d === text);
    if (day < 0) section.issues.error(node.loc, path, text === undefined ? `expected a weekday, got ${describe(node)}` : `must be one of ${WEEKDAYS.join(', ')}`);
    else if (!days.includes(day)) days.push(day);
  });
  return days;
}

/** `hh:mm` between 00:00 and 23:59 → minutes after midnight, or undefined. */
function parseStart(text: string): number | undefined {
  const match = /^(\d\d):(\d\d)$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : undefined;
}

/** One window; undefined when `enabled: false` (then, as in Gatus, nothing else is checked). */
export function readWindow(section: Section): MaintenanceWindow | undefined {
  section.checkKeys({ known: ['enabled', 'start', 'duration', 'timezone', 'every'], gatus: true });
  if (!section.bool('enabled', true)) return undefined;
  const startText = section.required('start');
  const startMinutes = parseStart(startText);
  if (startText !== '' && startMinutes === undefined) section.error('start', 'must be hh:mm, between 00:00 and 23:59 (e.g. 23:00)');
  if (!section.has('duration')) section.issues.error(section.loc, section.child('duration'), 'required');
  const durationMs = section.durationMs('duration', 0);
  if (section.has('duration') && (durationMs <= 0 || durationMs > DAY_MS)) section.error('duration', 'must be greater than 0 and at most 24h (e.g. 30m)');
  const timezone = section.str('timezone', 'UTC') || 'UTC';
  if (!isKnownTimezone(timezone)) section.error('timezone', 'unknown time zone: use an IANA name such as Europe/Amsterdam or America/Sao_Paulo');
  return { startMinutes: startMinutes ?? 0, durationMs, timezone, every: readEvery(section) };
}

/** Gatus' global `maintenance:` section (absent = no maintenance). */
export function readMaintenance(section: Section): MaintenanceWindow[] {
  if (section.node.entries.size === 0) return [];
  const window = readWindow(section);
  return window === undefined ? [] : [window];
}

/** `maintenance-windows:` of an endpoint or external endpoint. */
export function readMaintenanceWindows(section: Section): MaintenanceWindow[] {
  const out: MaintenanceWindow[] = [];
  section.list('maintenance-windows').forEach((node: ConfigNode, i) => {
    const window = readWindow(Section.of(section.issues, node, `${section.child('maintenance-windows')}[${i}]`, node.loc));
    if (window !== undefined) out.push(window);
  });
  return out;
}
