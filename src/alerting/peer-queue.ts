/**
 * One Alertmanager peer's delivery queue: bounded (the oldest alert is dropped when full),
 * coalesced by fingerprint (a newer copy of an alert replaces the queued one), sent in
 * batches, retried with exponential backoff and jitter. Each peer has its own queue and
 * loop, so a slow or dead peer never delays another.
 *
 * Alert times are sent in the peer's time: every reply's Date header gives the peer's clock,
 * and once it differs from this replica's by SKEW_TOLERANCE_MS or more, startsAt and endsAt
 * are shifted by that offset. A replica whose clock is behind would otherwise send a firing
 * alert whose endsAt is already past for the peer (a resolve), and one ahead would resolve late.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AlertmanagerError } from './alertmanager.js';
import type { AlertmanagerClient, PeerReply } from './alertmanager.js';
import type { NotifierMetrics } from './metrics.js';
import type { PostableAlert } from './types.js';

export type DeliveryStatus = 'queued' | 'sent' | 'retrying' | 'rejected' | 'dropped';
export type PeerHealth = 'unknown' | 'up' | 'down';

export interface QueuedAlert {
  fingerprint: string;
  alert: PostableAlert;
}

export interface DeliveryEvent {
  alertmanager: string;
  fingerprints: readonly string[];
  status: DeliveryStatus;
  at: number;
  error?: string;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface PeerQueueOptions {
  client: AlertmanagerClient;
  capacity: number;
  batchSize: number;
  backoff: BackoffOptions;
  /** [0, 1); the jitter source. */
  random: () => number;
  metrics: NotifierMetrics;
  logger: Logger;
  clock: Clock;
  onDelivery: (event: DeliveryEvent) => void;
}

export interface PeerQueue {
  readonly name: string;
  enqueue(items: readonly QueuedAlert[]): void;
  setClient(client: AlertmanagerClient): void;
  health(): PeerHealth;
  size(): number;
  /** Stops the loop, aborts the request in flight, forgets the queue. */
  stop(): Promise<void>;
}

/** Clock differences below this are left alone (the Date header has 1 s resolution). */
export const SKEW_TOLERANCE_MS = 2_000;

/** The peer's clock minus ours, from one reply; 0 when within SKEW_TOLERANCE_MS or unknown. */
export function peerOffsetMs(reply: PeerReply): number {
  if (reply.peerTime === undefined) return 0;
  // Date is rounded down to the second: its midpoint is the best estimate.
  const offset = reply.peerTime + 500 - reply.receivedAt;
  return Math.abs(offset) < SKEW_TOLERANCE_MS ? 0 : offset;
}

const shiftTime = (iso: string | undefined, offsetMs: number): string | undefined =>
  iso === undefined ? undefined : new Date(Date.parse(iso) + offsetMs).toISOString();

/** The alert with startsAt/endsAt moved into the peer's time. */
export function inPeerTime(alert: PostableAlert, offsetMs: number): PostableAlert {
  if (offsetMs === 0) return alert;
  const shifted: PostableAlert = { ...alert };
  const startsAt = shiftTime(alert.startsAt, offsetMs);
  const endsAt = shiftTime(alert.endsAt, offsetMs);
  if (startsAt !== undefined) shifted.startsAt = startsAt;
  if (endsAt !== undefined) shifted.endsAt = endsAt;
  return shifted;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped at maxMs. */
export function backoffDelayMs(attempt: number, backoff: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export function createPeerQueue(options: PeerQueueOptions): PeerQueue {
  let client = options.client;
  const name = client.name;
  const labels = { alertmanager: name };
  const log = options.logger.child({ alertmanager: name });
  const { metrics, clock } = options;
  let queue = new Map<string, PostableAlert>();
  let state: PeerHealth = 'unknown';
  let offsetMs = 0;
  let stopped = false;
  let loop: Promise<void> | undefined;
  const abort = new AbortController();
  let wake: (() => void) | undefined;
  let sleepTimer: ReturnType<typeof setTimeout> | undefined;

  const emit = (fingerprints: readonly string[], status: DeliveryStatus, error?: string): void => {
    if (fingerprints.length === 0) return;
    const event: DeliveryEvent = { alertmanager: name, fingerprints, status, at: clock.now() };
    if (error !== undefined) event.error = error;
    options.onDelivery(event);
  };

  const trim = (): void => {
    const dropped: string[] = [];
    for (const fp of queue.keys()) {
      if (queue.size <= options.capacity) break;
      queue.delete(fp);
      dropped.push(fp);
    }
    if (dropped.length > 0) {
      metrics.dropped.inc(labels, dropped.length);
      log.warn('alertmanager queue full, dropped oldest alerts', { dropped: dropped.length, capacity: options.capacity });
      emit(dropped, 'dropped');
    }
  };

  const markUp = (): void => {
    if (state === 'down') log.info('alertmanager reachable again');
    state = 'up';
  };

  const markDown = (err: AlertmanagerError): void => {
    if (state !== 'down') log.warn('alertmanager unreachable, retrying with backoff', { err: err.message, code: err.code });
    state = 'down';
  };

  const learnOffset = (reply: PeerReply): void => {
    const next = peerOffsetMs(reply);
    if ((next === 0) !== (offsetMs === 0)) {
      log.warn(next === 0 ? 'alertmanager clock agrees with this replica again' : "alertmanager clock differs from this replica's: sending alert times in its time", {
        offset_seconds: Math.round(next / 1000),
      });
    }
    offsetMs = next;
  };

  const take = (): QueuedAlert[] => {
    const batch: QueuedAlert[] = [];
    for (const [fingerprint, alert] of queue) {
      if (batch.length >= options.batchSize) break;
      batch.push({ fingerprint, alert });
    }
    for (const { fingerprint } of batch) queue.delete(fingerprint);
    return batch;
  };

  /** Puts a failed batch back in front, unless a newer copy of an alert arrived meanwhile. */
  const putBack = (batch: readonly QueuedAlert[]): void => {
    const next = new Map<string, PostableAlert>();
    for (const { fingerprint, alert } of batch) if (!queue.has(fingerprint)) next.set(fingerprint, alert);
    for (const [fingerprint, alert] of queue) next.set(fingerprint, alert);
    queue = next;
    trim();
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      sleepTimer = setTimeout(resolve, ms);
    });

  const run = async (): Promise<void> => {
    let attempt = 0;
    while (!stopped && queue.size > 0) {
      const batch = take();
      const fps = batch.map((b) => b.fingerprint);
      const started = clock.now();
      try {
        const reply = await client.send(batch.map((b) => inPeerTime(b.alert, offsetMs)), abort.signal);
        if (stopped) break; // a removed peer's series must not come back
        learnOffset(reply);
        metrics.latency.observe(labels, (clock.now() - started) / 1000);
        metrics.sent.inc(labels, batch.length);
        const sentAt = clock.now();
        const resolved = batch.filter((b) => b.alert.endsAt !== undefined && Date.parse(b.alert.endsAt) <= sentAt).length;
        metrics.alertsSent.inc({ ...labels, status: 'resolved' }, resolved);
        metrics.alertsSent.inc({ ...labels, status: 'firing' }, batch.length - resolved);
        attempt = 0;
        markUp();
        emit(fps, 'sent');
      } catch (cause) {
        if (stopped) break;
        metrics.latency.observe(labels, (clock.now() - started) / 1000);
        metrics.errors.inc(labels, batch.length);
        const err =
          cause instanceof AlertmanagerError
            ? cause
            : new AlertmanagerError('VIGIL_ALERTMANAGER_UNAVAILABLE', String(cause), { retryable: true, cause });
        if (!err.retryable) {
          // The peer answered: it is reachable. Not retried (the next resend brings fresh copies);
          // a 400 may still have stored the batch's valid alerts.
          if (err.status !== undefined) markUp();
          log.error('alertmanager rejected alerts', { err: err.message, code: err.code, status: err.status, alerts: batch.length });
          emit(fps, 'rejected', err.message);
          attempt = 0;
          continue;
        }
        markDown(err);
        emit(fps, 'retrying', err.message);
        putBack(batch);
        await sleep(backoffDelayMs(attempt, options.backoff, options.random));
        attempt += 1;
      }
    }
  };

  const kick = (): void => {
    if (loop || stopped) return;
    loop = run().finally(() => {
      loop = undefined;
      if (!stopped && queue.size > 0) kick();
    });
  };

  return {
    name,
    enqueue(items) {
      if (stopped) return;
      for (const { fingerprint, alert } of items) {
        queue.delete(fingerprint);
        queue.set(fingerprint, alert);
      }
      emit(items.map((i) => i.fingerprint), 'queued');
      trim();
      kick();
    },
    setClient(next) {
      client = next;
    },
    health: () => state,
    size: () => queue.size,
    async stop() {
      stopped = true;
      abort.abort();
      clearTimeout(sleepTimer);
      wake?.();
      queue = new Map();
      await loop;
    },
  };
}
