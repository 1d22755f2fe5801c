/**
 * `resolve: confirm`: may a replica that recovered resolve an alert, or does another replica
 * still report it? Judged from the Alertmanager peers' copies of the alert. Pure: the caller
 * reads the peers (src/alerting/confirmer.ts).
 *
 * A replica that still sees the endpoint failing re-sends the alert every resend-interval,
 * and a peer stamps `updatedAt` (its own clock) on every copy it receives, whoever sent it.
 * An alert that no peer received for `quietMs` (> resend-interval) is one that no replica
 * still reports. Ages are measured on each peer's own clock (its Date header minus
 * updatedAt), so the replicas' clocks do not enter.
 */
import type { PeerView } from './alertmanager.js';

/** One peer's copy of one alert. */
export interface PeerCopy {
  /** false: the peer did not answer. */
  answered: boolean;
  /** The peer holds the alert and it is not resolved there. */
  firing: boolean;
  /** Milliseconds since the peer last received the alert, on the peer's clock. */
  ageMs: number;
  /** The `replica` annotation of the last copy the peer received. */
  writer?: string;
}

export type Verdict =
  /** Nobody refreshed it for quietMs on any peer that answered; `lastWriteAgoMs` = its youngest copy's age. */
  | { kind: 'resolve'; lastWriteAgoMs?: number }
  /** A replica refreshed it within quietMs; judge again in `retryInMs`. */
  | { kind: 'wait'; retryInMs: number; writer?: string }
  /** No peer answered. */
  | { kind: 'unknown' };

const UNANSWERED: PeerCopy = Object.freeze({ answered: false, firing: false, ageMs: 0 });

/** The copy of alert `fingerprint` in a peer's view (undefined view: the peer did not answer). */
export function copyIn(view: PeerView | undefined, fingerprint: string): PeerCopy {
  if (!view) return UNANSWERED;
  const alert = view.alerts.find((a) => a.fingerprint === fingerprint);
  if (!alert) return { answered: true, firing: false, ageMs: 0 };
  // The Date header has 1 s resolution and is rounded down: ages come out up to 1 s short,
  // which only delays a resolve, never hastens one.
  const peerNow = view.peerTime ?? view.receivedAt;
  const ageMs = Math.max(0, peerNow - Date.parse(alert.updatedAt));
  const firing = Date.parse(alert.endsAt) > peerNow;
  const copy: PeerCopy = { answered: true, firing, ageMs };
  if (alert.annotations.replica !== undefined) copy.writer = alert.annotations.replica;
  return copy;
}

export function judge(copies: readonly PeerCopy[], quietMs: number): Verdict {
  const answered = copies.filter((c) => c.answered);
  if (answered.length === 0) return { kind: 'unknown' };
  const firing = answered.filter((c) => c.firing);
  const youngest = firing.reduce<PeerCopy | undefined>((min, c) => (min === undefined || c.ageMs < min.ageMs ? c : min), undefined);
  if (youngest === undefined) return { kind: 'resolve' };
  if (youngest.ageMs >= quietMs) return { kind: 'resolve', lastWriteAgoMs: youngest.ageMs };
  const wait: Verdict = { kind: 'wait', retryInMs: quietMs - youngest.ageMs };
  if (youngest.writer !== undefined) wait.writer = youngest.writer;
  return wait;
}
