/** Gatus `announcements:` → Announcement[], validated as Gatus does, newest first. */
import { describe, Section } from './reader.js';

export const ANNOUNCEMENT_TYPES = ['outage', 'warning', 'information', 'operational', 'none'] as const;
export type AnnouncementType = (typeof ANNOUNCEMENT_TYPES)[number];

export interface Announcement {
  /** Epoch ms. */
  timestamp: number;
  type: AnnouncementType;
  message: string;
  /** Shown in the history rather than at the top of the page. */
  archived: boolean;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

export function readAnnouncements(top: Section): Announcement[] {
  const out: Announcement[] = [];
  top.list('announcements').forEach((node, i) => {
    const path = `${top.child('announcements')}[${i}]`;
    if (node.kind !== 'map') {
      top.issues.error(node.loc, path, `expected a map, got ${describe(node)}`);
      return;
    }
    const section = new Section(top.issues, node, path);
    section.checkKeys({ known: ['timestamp', 'type', 'message', 'archived'], gatus: true });
    const message = section.required('message');
    const stamp = section.required('timestamp');
    const timestamp = RFC3339.test(stamp) ? Date.parse(stamp) : Number.NaN;
    if (stamp !== '' && Number.isNaN(timestamp)) section.error('timestamp', 'expected an RFC 3339 time such as 2025-01-01T10:00:00Z');
    out.push({
      timestamp,
      type: section.oneOf('type', ANNOUNCEMENT_TYPES, 'none'),
      message,
      archived: section.bool('archived', false),
    });
  });
  return out.sort((a, b) => b.timestamp - a.timestamp);
}
