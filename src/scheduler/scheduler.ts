import { releaseController, takeController } from '../abort-pool.js';
import type { Logger } from '../log.js';
import type { Limiter } from './limiter.js';
import { hashString, nextGridPointMs } from './phase.js';
import { createTimerQueue } from './timer-queue.js';

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
   * The first run of a job whose interval is within firstRunSpreadMs is its first grid point;
   * a longer interval's first run is hash(key) mod firstRunSpreadMs after it is added, so a fresh start shows results quickly while many jobs still spread out. From then on
   * a job runs on its steady-state grid, hash(key) mod interval (see nextGridPointMs), so the
   * jobs of one interval spread over the whole interval.
   */
  firstRunSpreadMs?: number;
  now?: () => number;
}

interface Slot<T> {
  job: T;
  /** When the next tick is due (epoch ms); the timer queue orders slots by it. */
  dueAt: number;
  /** Steady-state phase: hash(key) mod interval. */
  phaseMs: number;
  removed: boolean;
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

  const start = (slot: Slot<T>): void => {
    // Pooled (see abort-pool.ts): this one aborts only when the endpoint is removed or on shutdown.
    const controller = takeController();
    slot.controller = controller;
    const job = slot.job;
    slot.inFlight = options.limiter
      .run(() => (controller.signal.aborted ? Promise.resolve() : options.run(job, controller.signal)))
      .catch((err: unknown) => options.logger.error('job failed', { key: job.key, err }))
      .finally(() => {
        slot.inFlight = undefined;
        slot.controller = undefined;
        releaseController(controller);
      });
  };

  const tick = (slot: Slot<T>): void => {
    if (stopped || slot.removed) return;
    const interval = slot.job.intervalMs;
    // Next tick on the grid; when late (event loop stalled), the next grid point in the future.
    const t = now();
    slot.dueAt = nextGridPointMs(Math.max(slot.dueAt + interval / 2, t + 1), interval, slot.phaseMs);
    queue.push(slot);
    if (slot.inFlight) {
      options.onSkipped?.(slot.job);
      return;
    }
    start(slot);
  };

  const queue = createTimerQueue<Slot<T>>(tick, now);

  const remove = (slot: Slot<T>): void => {
    slot.removed = true;
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
        const hash = hashString(job.key);
        const phaseMs = hash % Math.max(1, Math.floor(job.intervalMs));
        // An interval within the spread starts on its own grid point, so the first run gets a
        // whole interval before the next tick (not as little as half of one).
        const dueAt = job.intervalMs <= spread ? nextGridPointMs(now(), job.intervalMs, phaseMs) : now() + (hash % Math.max(1, Math.floor(spread)));
        const slot: Slot<T> = {
          job,
          dueAt,
          phaseMs,
          removed: false,
          inFlight: undefined,
          controller: undefined,
        };
        slots.set(job.key, slot);
        queue.push(slot);
      }
    },
    async stop(graceMs) {
      stopped = true;
      queue.clear();
      const running: Promise<void>[] = [];
      for (const slot of slots.values()) if (slot.inFlight) running.push(slot.inFlight);
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
