/**
 * The notifier: keeps the alerts this replica asserts, sends every one to EVERY Alertmanager
 * peer (one queue per peer), and resends on its own timer, as Prometheus does:
 * - firing: sent at once, then every resendIntervalMs with endsAt = now + 4 × resendIntervalMs;
 * - resolved: endsAt = recovery time, re-sent every resendIntervalMs for 15 minutes, then forgotten;
 * - expiring (`resolve: expire`): no longer sent; forgotten once its last endsAt has passed;
 * - confirming (`resolve: confirm`): no longer sent; resolved as above once the peers show that
 *   no other replica refreshed it for `quietMs` (confirmer.ts), or forgotten after 15 minutes;
 * - Watchdog (severity "none"): always firing.
 * An alert Alertmanager would reject is never sent (logged, counted).
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { AlertmanagerTarget } from '../config/schema.js';
import type { Logger } from '../log.js';
import { createAlertmanagerClient } from './alertmanager.js';
import { createConfirmer } from './confirmer.js';
import { warnAboutPeers } from './peer-check.js';
import type { AlertmanagerClient, AlertmanagerClientOptions } from './alertmanager.js';
import { fingerprint } from './fingerprint.js';
import { validateAlert, watchdogLabels } from './labels.js';
import { initPeerSeries, notifierMetrics, removePeerSeries } from './metrics.js';
import { createPeerQueue } from './peer-queue.js';
import type { BackoffOptions, DeliveryEvent, DeliveryStatus, PeerHealth, PeerQueue, QueuedAlert } from './peer-queue.js';
import type { AlertInput, PostableAlert } from './types.js';

export const RESOLVED_RETENTION_MS = 15 * 60_000;
export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_QUEUE_CAPACITY = 10_000;
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };
const ENDS_AT_FACTOR = 4;
/** `resolve: confirm` resolves once no peer received the alert for 1.5 × resend-interval. */
export const QUIET_FACTOR = 1.5;

export type AlertStatus = 'firing' | 'resolved' | 'expiring' | 'confirming';

export interface PeerDelivery {
  alertmanager: string;
  status: DeliveryStatus;
  /** Epoch ms of the last status change. */
  at: number;
  /** Epoch ms this peer last accepted the alert. */
  lastSuccessAt?: number;
  error?: string;
}

export interface AlertSnapshot {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertStatus;
  /** Epoch ms the alert entered its current state. */
  since: number;
  startsAt: number;
  /** The endsAt of the last copy handed to the peers (epoch ms). */
  endsAt?: number;
  /** Epoch ms any peer last accepted it. */
  lastSentAt?: number;
  deliveries: PeerDelivery[];
}

export interface PeerSnapshot {
  alertmanager: string;
  health: PeerHealth;
  queued: number;
}

export interface NotifierOptions {
  alertmanagers: readonly AlertmanagerTarget[];
  resendIntervalMs: number;
  registry: Registry;
  logger: Logger;
  clock: Clock;
  /** This replica's name: the `replica` annotation of the Watchdog. */
  replica: string;
  /** Added to the Watchdog's labels (the engine adds them to every other alert). */
  externalLabels?: Readonly<Record<string, string>>;
  /** Default true. */
  watchdog?: boolean;
  batchSize?: number;
  queueCapacity?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  resolvedRetentionMs?: number;
  /** Read the peers' /api/v2/status at start and warn about settings that break deduplication. */
  checkPeers?: boolean;
  /** `resolve: confirm`: resolve once no peer received the alert for this long (default 1.5 × resendIntervalMs). */
  quietMs?: number;
  client?: AlertmanagerClientOptions;
}

export interface Notifier {
  /** This replica's name (the `replica` annotation). */
  readonly replica: string;
  /** Starts (or keeps) asserting an alert; a new or re-opened alert is sent at once. Returns false if invalid. */
  fire(alert: AlertInput): boolean;
  /** Sends endsAt = `at` for a firing alert and keeps re-sending it for 15 min. No-op for alerts it never fired. */
  resolve(labels: Readonly<Record<string, string>>, at: number): boolean;
  /**
   * Stops resending a firing alert and resolves it (as resolve() with `at`) once the peers show
   * that no other replica still refreshes it. No-op for alerts it never fired.
   */
  confirmResolve(labels: Readonly<Record<string, string>>, at: number): boolean;
  /** Stops resending a firing alert: Alertmanager resolves it at its last endsAt. */
  expire(labels: Readonly<Record<string, string>>): boolean;
  snapshot(): AlertSnapshot[];
  peers(): PeerSnapshot[];
  updateTargets(alertmanagers: readonly AlertmanagerTarget[]): void;
  stop(): Promise<void>;
}

/** An alert as the notifier keeps it: the snapshot's fields, deliveries by peer, and its schedule. */
interface Tracked extends Omit<AlertSnapshot, 'deliveries'> {
  resolvedAt?: number;
  nextSendAt: number;
  deliveries: Map<string, PeerDelivery>;
}

interface Peer {
  target: AlertmanagerTarget;
  client: AlertmanagerClient;
  queue: PeerQueue;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { resendIntervalMs, clock, logger } = options;
  const metrics = notifierMetrics(options.registry);
  const retentionMs = options.resolvedRetentionMs ?? RESOLVED_RETENTION_MS;
  const quietMs = options.quietMs ?? QUIET_FACTOR * resendIntervalMs;
  const alerts = new Map<string, Tracked>();
  const peers = new Map<string, Peer>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushQueued = false;
  let stopped = false;

  const onDelivery = (event: DeliveryEvent): void => {
    for (const fp of event.fingerprints) {
      const tracked = alerts.get(fp);
      if (!tracked) continue;
      const previous = tracked.deliveries.get(event.alertmanager);
      const delivery: PeerDelivery = { alertmanager: event.alertmanager, status: event.status, at: event.at };
      if (event.status === 'sent') {
        delivery.lastSuccessAt = event.at;
        tracked.lastSentAt = event.at;
      } else if (previous?.lastSuccessAt !== undefined) {
        delivery.lastSuccessAt = previous.lastSuccessAt;
      }
      if (event.error !== undefined) delivery.error = event.error;
      tracked.deliveries.set(event.alertmanager, delivery);
    }
  };

  const addPeer = (target: AlertmanagerTarget): Peer => {
    const client = createAlertmanagerClient(target, { clock, ...options.client });
    const queue = createPeerQueue({
      client,
      capacity: options.queueCapacity ?? DEFAULT_QUEUE_CAPACITY,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      metrics,
      logger,
      clock,
      onDelivery,
    });
    initPeerSeries(metrics, client.name);
    const peer = { target, client, queue };
    peers.set(target.url, peer);
    return peer;
  };

  const payload = (t: Tracked, now: number): PostableAlert => {
    const endsAt = t.state === 'resolved' ? (t.resolvedAt ?? now) : now + ENDS_AT_FACTOR * resendIntervalMs;
    t.endsAt = endsAt;
    return {
      labels: t.labels,
      annotations: t.annotations,
      startsAt: new Date(t.startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    };
  };

  const dispatch = (items: readonly QueuedAlert[], to: Iterable<Peer> = peers.values()): void => {
    if (items.length === 0) return;
    for (const peer of to) peer.queue.enqueue(items);
  };

  const schedule = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    let next = Infinity;
    for (const t of alerts.values()) {
      if (t.state === 'firing') next = Math.min(next, t.nextSendAt);
      else if (t.state === 'resolved') next = Math.min(next, t.nextSendAt, (t.resolvedAt ?? 0) + retentionMs);
      else if (t.state === 'confirming') next = Math.min(next, (t.resolvedAt ?? 0) + retentionMs);
      else next = Math.min(next, t.endsAt ?? 0);
    }
    if (next === Infinity) return;
    timer = setTimeout(flush, Math.max(0, next - clock.now()));
  };

  function flush(): void {
    flushQueued = false;
    if (stopped) return;
    const now = clock.now();
    const due: QueuedAlert[] = [];
    for (const [fp, t] of alerts) {
      const forget =
        ((t.state === 'resolved' || t.state === 'confirming') && now >= (t.resolvedAt ?? 0) + retentionMs) ||
        (t.state === 'expiring' && now >= (t.endsAt ?? 0));
      if (forget) {
        alerts.delete(fp);
        confirmer.remove(fp);
        continue;
      }
      if (t.state === 'expiring' || t.state === 'confirming' || t.nextSendAt > now) continue;
      due.push({ fingerprint: fp, alert: payload(t, now) });
      t.nextSendAt = now + resendIntervalMs;
    }
    dispatch(due);
    schedule();
  }

  /** Sends what is due after the current synchronous work, so one check's changes share a batch. */
  const flushSoon = (): void => {
    if (flushQueued || stopped) return;
    flushQueued = true;
    queueMicrotask(flush);
  };

  const fire = (input: AlertInput): boolean => {
    if (stopped) return false;
    const now = clock.now();
    const fp = fingerprint(input.labels);
    const existing = alerts.get(fp);
    if (existing?.state === 'firing') {
      existing.annotations = { ...input.annotations };
      return true;
    }
    const startsAt = input.startsAt ?? now;
    const problems = validateAlert({
      labels: input.labels,
      annotations: input.annotations,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(Math.max(startsAt, now + ENDS_AT_FACTOR * resendIntervalMs)).toISOString(),
    });
    if (problems.length > 0) {
      metrics.invalid.inc();
      logger.error('alert not sent: Alertmanager would reject it', { labels: input.labels, problems });
      return false;
    }
    confirmer.remove(fp);
    alerts.set(fp, {
      fingerprint: fp,
      labels: { ...input.labels },
      annotations: { ...input.annotations },
      state: 'firing',
      since: now,
      startsAt,
      nextSendAt: now,
      deliveries: existing?.deliveries ?? new Map(),
    });
    flushSoon();
    return true;
  };

  const markResolved = (t: Tracked, at: number): void => {
    t.state = 'resolved';
    t.resolvedAt = Math.max(at, t.startsAt);
    t.since = at;
    t.nextSendAt = clock.now();
    confirmer.remove(t.fingerprint);
    flushSoon();
  };

  const resolve = (labels: Readonly<Record<string, string>>, at: number): boolean => {
    const t = alerts.get(fingerprint(labels));
    if (!t || t.state === 'resolved' || t.labels.alertname === 'Watchdog') return false;
    markResolved(t, at);
    return true;
  };

  const confirmer = createConfirmer({
    clients: () => [...peers.values()].map((p) => p.client),
    quietMs,
    retryMs: resendIntervalMs,
    clock,
    logger,
    replica: options.replica,
    onQuiet: (fp, lastWriteAgoMs) => {
      const t = alerts.get(fp);
      if (t?.state !== 'confirming') return;
      const lastWrite = lastWriteAgoMs === undefined ? 0 : clock.now() - lastWriteAgoMs;
      markResolved(t, Math.max(t.resolvedAt ?? 0, lastWrite));
    },
  });

  const confirmResolve = (labels: Readonly<Record<string, string>>, at: number): boolean => {
    const t = alerts.get(fingerprint(labels));
    if (t?.state !== 'firing' || t.labels.alertname === 'Watchdog') return false;
    const now = clock.now();
    t.state = 'confirming';
    t.resolvedAt = Math.max(at, t.startsAt);
    t.since = now;
    confirmer.add(t.fingerprint, Math.max(now, (t.lastSentAt ?? now) + quietMs));
    schedule();
    return true;
  };

  const expire = (labels: Readonly<Record<string, string>>): boolean => {
    const t = alerts.get(fingerprint(labels));
    if (!t || t.state !== 'firing' || t.labels.alertname === 'Watchdog') return false;
    t.state = 'expiring';
    t.since = clock.now();
    t.endsAt ??= t.since;
    schedule();
    return true;
  };

  const updateTargets = (targets: readonly AlertmanagerTarget[]): void => {
    if (stopped) return;
    const wanted = new Map(targets.map((t) => [t.url, t]));
    for (const [url, peer] of peers) {
      if (wanted.has(url)) continue;
      peers.delete(url);
      void peer.queue.stop().then(() => peer.client.close());
      removePeerSeries(metrics, peer.client.name);
      for (const t of alerts.values()) t.deliveries.delete(peer.client.name);
      logger.info('alertmanager removed', { alertmanager: peer.client.name });
    }
    const added: Peer[] = [];
    for (const target of wanted.values()) {
      const peer = peers.get(target.url);
      if (!peer) {
        added.push(addPeer(target));
      } else if (JSON.stringify(peer.target) !== JSON.stringify(target)) {
        const old = peer.client;
        peer.client = createAlertmanagerClient(target, { clock, ...options.client });
        peer.target = target;
        peer.queue.setClient(peer.client);
        void old.close();
      }
    }
    metrics.configured.set(peers.size);
    // A new peer learns the current state at once instead of at the next resend.
    const now = clock.now();
    const current: QueuedAlert[] = [];
    for (const [fp, t] of alerts) {
      if (t.state === 'expiring' || t.state === 'confirming') continue;
      current.push({ fingerprint: fp, alert: payload(t, now) });
    }
    dispatch(current, added);
  };

  for (const target of options.alertmanagers) addPeer(target);
  metrics.configured.set(peers.size);
  if (options.checkPeers) void warnAboutPeers([...peers.values()].map((p) => p.client), logger);
  if (options.watchdog ?? true) {
    const labels = watchdogLabels(options.externalLabels ?? {});
    fire({
      labels,
      annotations: {
        summary: 'vigil alerting pipeline is alive',
        description: 'Always firing. If it stops arriving, alerts from vigil are not getting through.',
        replica: options.replica,
      },
    });
  }

  return {
    replica: options.replica,
    fire,
    resolve,
    confirmResolve,
    expire,
    snapshot: () =>
      [...alerts.values()].map((t) => {
        const s: AlertSnapshot = {
          fingerprint: t.fingerprint,
          labels: { ...t.labels },
          annotations: { ...t.annotations },
          state: t.state,
          since: t.since,
          startsAt: t.startsAt,
          deliveries: [...t.deliveries.values()].map((d) => ({ ...d })),
        };
        if (t.endsAt !== undefined) s.endsAt = t.endsAt;
        if (t.lastSentAt !== undefined) s.lastSentAt = t.lastSentAt;
        return s;
      }),
    peers: () => [...peers.values()].map((p) => ({ alertmanager: p.client.name, health: p.queue.health(), queued: p.queue.size() })),
    updateTargets,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      confirmer.stop();
      const all = [...peers.values()];
      await Promise.all(all.map(async (p) => {
        await p.queue.stop();
        await p.client.close();
      }));
    },
  };
}
