/**
 * What a receiver may get for one incident on a real Alertmanager cluster once it resolves.
 * Alertmanager promises the eventual state, not exactly one message per state
 * (prometheus/alertmanager#2447, open): a peer takes its flush snapshot, then waits its
 * position × peer-timeout; if the resolve reached the peers between two peers' flushes, the one
 * whose snapshot still held the alert firing finds the notification log changed by the resolved
 * message and sends FIRING again, and RESOLVED at its next group interval. That one stale pair
 * is the only extra this allows: anything else (a duplicate before the first resolve, a second
 * pair, a firing message last) fails, as a vigil flap would.
 */
import { expect } from 'vitest';
import type { NotificationStatus, Recorder } from './sinks.js';

const ONCE: NotificationStatus[] = ['firing', 'resolved'];
const STALE_PAIR: NotificationStatus[] = ['firing', 'resolved', 'firing', 'resolved'];

/** Expects firing then resolved, or that plus Alertmanager's one stale pair (then waits for its resolve). Returns whether the stale pair came. */
export async function expectResolvedOnce<T extends { status: NotificationStatus }>(
  sink: Recorder<T>,
  mine: (message: T) => boolean,
  timeoutMs: number,
  receiver: string,
): Promise<boolean> {
  const statuses = () => sink.messages.filter(mine).map((m) => m.status);
  const now = statuses();
  if (now.length === 3 && now[2] === 'firing') {
    await sink.waitFor(2, timeoutMs, (m) => mine(m) && m.status === 'resolved');
  }
  const seen = statuses();
  expect([ONCE, STALE_PAIR], `${receiver}: ${seen.join(', ')}`).toContainEqual(seen);
  const stale = seen.length === STALE_PAIR.length;
  if (stale) console.info(`[${receiver}] Alertmanager's stale-snapshot pair after the resolve (alertmanager#2447)`);
  return stale;
}
