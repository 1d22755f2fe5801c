/**
 * Heartbeats of external endpoints (Gatus `external-endpoints[].heartbeat.interval`): when an
 * endpoint receives no push for its interval, it gets a failed result, once per missed interval.
 * One timer per endpoint, restarted by every push, carried over (with its deadline) on reload.
 * The caller turns a miss into a CheckResult and publishes it the way pushes are published.
 */
import type { Clock } from '../clock.js';
import type { ExternalEndpointConfig } from '../config/schema.js';
import type { Logger } from '../log.js';

export interface MissedHeartbeat {
  /** Epoch ms when the interval ran out. */
  timestamp: number;
  /** `heartbeat: no update received within 5m0s`, Gatus' message. */
  error: string;
}

export interface HeartbeatOptions {
  clock: Clock;
  logger: Logger;
  onMissed: (external: ExternalEndpointConfig, missed: MissedHeartbeat) => void;
}

export interface Heartbeats {
  /** Replaces the watched set: enabled external endpoints with heartbeatIntervalMs > 0. */
  update(externals: readonly ExternalEndpointConfig[]): void;
  /** A push arrived for `key`: its interval starts again now. Unknown keys are ignored. */
  beat(key: string): void;
  /** Clears every timer; later calls do nothing. */
  stop(): void;
  /** Endpoints being watched. */
  readonly size: number;
}

/** A duration the way Go's time.Duration.String() prints it (`10s`, `1m30s`, `1h0m0s`, `1.5s`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

export function heartbeatError(intervalMs: number): string {
  return `heartbeat: no update received within ${formatGoDuration(intervalMs)}`;
}

interface Watch {
  external: ExternalEndpointConfig;
  /** Last push, last miss, or when watching began: the interval counts from here. */
  sinceMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function createHeartbeats(options: HeartbeatOptions): Heartbeats {
  const { clock, logger } = options;
  const watches = new Map<string, Watch>();
  let stopped = false;

  const arm = (watch: Watch): void => {
    clearTimeout(watch.timer);
    const delay = Math.max(0, watch.sinceMs + watch.external.heartbeatIntervalMs - clock.now());
    watch.timer = setTimeout(() => fire(watch), delay);
    watch.timer.unref?.();
  };

  const fire = (watch: Watch): void => {
    if (stopped || watches.get(watch.external.key) !== watch) return;
    const now = clock.now();
    watch.sinceMs = now;
    arm(watch);
    const error = heartbeatError(watch.external.heartbeatIntervalMs);
    logger.info('external endpoint missed its heartbeat', { key: watch.external.key, intervalMs: watch.external.heartbeatIntervalMs });
    try {
      options.onMissed(watch.external, { timestamp: now, error });
    } catch (err) {
      logger.error('publishing a missed heartbeat failed', { key: watch.external.key, err });
    }
  };

  return {
    update(externals) {
      if (stopped) return;
      const next = new Map(externals.filter((e) => e.enabled && e.heartbeatIntervalMs > 0).map((e) => [e.key, e]));
      for (const [key, watch] of watches) {
        if (next.has(key)) continue;
        clearTimeout(watch.timer);
        watches.delete(key);
      }
      for (const [key, external] of next) {
        const watch = watches.get(key);
        if (!watch) {
          const created: Watch = { external, sinceMs: clock.now(), timer: undefined };
          watches.set(key, created);
          arm(created);
          continue;
        }
        const intervalChanged = watch.external.heartbeatIntervalMs !== external.heartbeatIntervalMs;
        watch.external = external;
        if (intervalChanged) arm(watch);
      }
    },
    beat(key) {
      const watch = watches.get(key);
      if (stopped || !watch) return;
      watch.sinceMs = clock.now();
      arm(watch);
    },
    stop() {
      stopped = true;
      for (const watch of watches.values()) clearTimeout(watch.timer);
      watches.clear();
    },
    get size() {
      return watches.size;
    },
  };
}
