/**
 * Clocks, phases and deadlines shared by every prober.
 * Phase durations are measured with the monotonic clock (performance.now), in milliseconds.
 */
import { performance } from 'node:perf_hooks';
import { releaseController, takeController } from '../abort-pool.js';
import { VigilError } from '../errors.js';
import type { ProbePhase } from './types.js';

export type PhasesMs = Partial<Record<ProbePhase, number>>;

/** Monotonic milliseconds; only differences are meaningful. */
export function monotonicMs(): number {
  return performance.now();
}

/** Milliseconds since `startMs` (a monotonicMs() value), never negative. */
export function elapsedMs(startMs: number): number {
  return Math.max(0, performance.now() - startMs);
}

/**
 * Adds `ms` to a phase. Adds rather than replaces, so the hops of a redirect chain sum up
 * like blackbox_exporter's probe_http_duration_seconds{phase}.
 */
export function addPhase(phases: PhasesMs, phase: ProbePhase, ms: number): void {
  phases[phase] = (phases[phase] ?? 0) + Math.max(0, ms);
}

/** Runs `run` and records its duration under `phase`, whether it succeeds or fails. */
export async function timePhase<T>(phases: PhasesMs, phase: ProbePhase, run: () => Promise<T>): Promise<T> {
  const start = monotonicMs();
  try {
    return await run();
  } finally {
    addPhase(phases, phase, elapsedMs(start));
  }
}

/** `10000` → `10s`, `1500` → `1.5s`, `250` → `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds}s`;
}

/** The probe ran out of time (options.timeoutMs). Message: `timeout after 10s`. */
export class ProbeTimeoutError extends VigilError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super('VIGIL_PROBE_TIMEOUT', `timeout after ${formatDuration(timeoutMs)}`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted the probe (shutdown, reload). Message: `probe aborted`. */
export class ProbeAbortedError extends VigilError {
  constructor() {
    super('VIGIL_PROBE_ABORTED', 'probe aborted');
  }
}

/** One signal for the whole probe: fires on the timeout or when the caller's signal aborts. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** ProbeTimeoutError or ProbeAbortedError once aborted, else undefined. */
  readonly reason: ProbeTimeoutError | ProbeAbortedError | undefined;
  /** Clears the timer and the listener on the caller's signal. Call it in `finally`. */
  dispose(): void;
}

/**
 * Combines a per-probe timeout with the caller's signal. Unlike AbortSignal.any, nothing stays
 * attached to the (long-lived) parent signal after dispose().
 */
export function createDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  // A pooled controller (see abort-pool.ts): a fresh one per probe costs old-space garbage.
  const controller = takeController();
  let reason: ProbeTimeoutError | ProbeAbortedError | undefined;
  let disposed = false;
  const abort = (why: ProbeTimeoutError | ProbeAbortedError) => {
    if (reason || disposed) return;
    reason = why;
    controller.abort(why);
  };
  const onParentAbort = () => abort(new ProbeAbortedError());
  const timer = setTimeout(() => abort(new ProbeTimeoutError(timeoutMs)), Math.max(0, timeoutMs));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      releaseController(controller);
    },
  };
}

/** The error to report when `signal` aborted: its reason if it is an Error, else ProbeAbortedError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new ProbeAbortedError();
}

/**
 * Settles with `promise`, or rejects with the abort reason as soon as `signal` aborts
 * (the underlying work is not cancelled; use for things like dns.lookup that cannot be).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
