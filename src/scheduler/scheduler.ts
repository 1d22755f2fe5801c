import type { Logger } from '../log.js';
import type { Limiter } from './limiter.js';
import { phaseOffsetMs } from './phase.js';

/** What the scheduler needs to know about a job: a stable key and an interval. */
export interface Schedulable {
  key: string;
  intervalMs: number;
}

export interface SchedulerOptions<T extends Schedulable> {
  /** Runs one job; must honour the signal. Errors are logged, never stop the schedule. */
  run: (job: T, signal: AbortSignal) => Promise<void>;
  /** Called when a tick arrives while the previous run of the same job is still in flight. */
  onSkipped?: (job: T) => void;
  limiter: Limiter;
  logger: Logger;
  /**
   * The first run of a job happens after phaseOffset(key) within min(interval, firstRunSpreadMs),
   * so a fresh start shows results quickly while many jobs still spread out.
   */
  firstRunSpreadMs?: number;
  now?: () => number;
}

interface Slot<T> {
  job: T;
  timer: ReturnType<typeof setTimeout> | undefined;
  nextAt: number;
  inFlight: Promise<void> | undefined;
  controller: AbortController | undefined;
}

export interface Scheduler<T extends Schedulable> {
  /** Replaces the job set: unchanged keys keep their schedule, removed ones stop, new ones start. */
  update(jobs: readonly T[]): void;
  /** Stops scheduling; waits up to graceMs for in-flight runs, then aborts them and waits for them to settle. */
  stop(graceMs: number): Promise<void>;
  readonly size: number;
}

export function createScheduler<T extends Schedulable>(options: SchedulerOptions<T>): Scheduler<T> {
  const now = options.now ?? (() => Date.now());
  const spread = options.firstRunSpreadMs ?? 10_000;
  const slots = new Map<string, Slot<T>>();
  let stopped = false;

  const arm = (slot: Slot<T>): void => {
    slot.timer = setTimeout(() => tick(slot), Math.max(0, slot.nextAt - now()));
  };

  const tick = (slot: Slot<T>): void => {
    if (stopped || slots.get(slot.job.key) !== slot) return;
    const interval = slot.job.intervalMs;
    // Next tick on the fixed grid; when late (event loop stalled), skip to the next future point.
    slot.nextAt += interval;
    const t = now();
    if (slot.nextAt <= t) slot.nextAt += Math.ceil((t - slot.nextAt + 1) / interval) * interval;
    arm(slot);
    if (slot.inFlight) {
      options.onSkipped?.(slot.job);
      return;
    }
    const controller = new AbortController();
    slot.controller = controller;
    const job = slot.job;
    slot.inFlight = options.limiter
      .run(() => (controller.signal.aborted ? Promise.resolve() : options.run(job, controller.signal)))
      .catch((err: unknown) => options.logger.error('job failed', { key: job.key, err }))
      .finally(() => {
        slot.inFlight = undefined;
        slot.controller = undefined;
      });
  };

  const remove = (slot: Slot<T>): void => {
    clearTimeout(slot.timer);
    slot.controller?.abort(new Error('endpoint removed'));
    slots.delete(slot.job.key);
  };

  return {
    get size() {
      return slots.size;
    },
    update(jobs) {
      if (stopped) return;
      const wanted = new Map(jobs.map((j) => [j.key, j]));
      for (const slot of [...slots.values()]) {
        const next = wanted.get(slot.job.key);
        if (!next || next.intervalMs !== slot.job.intervalMs) remove(slot);
        else slot.job = next; // same schedule, new config from the next run on
      }
      for (const job of jobs) {
        if (slots.has(job.key)) continue;
        const slot: Slot<T> = {
          job,
          timer: undefined,
          nextAt: now() + phaseOffsetMs(job.key, Math.min(job.intervalMs, spread)),
          inFlight: undefined,
          controller: undefined,
        };
        slots.set(job.key, slot);
        arm(slot);
      }
    },
    async stop(graceMs) {
      stopped = true;
      const running: Promise<void>[] = [];
      for (const slot of slots.values()) {
        clearTimeout(slot.timer);
        if (slot.inFlight) running.push(slot.inFlight);
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        if (graceMs <= 0) resolve('timeout');
        else timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([Promise.all(running).then(() => 'done' as const), grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const slot of slots.values()) slot.controller?.abort(new Error('shutting down'));
        await Promise.all(running);
      }
      slots.clear();
    },
  };
}
