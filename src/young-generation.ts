/**
 * A soft cap on V8's young generation. V8 doubles the new space (up to two 16 MB semi-spaces)
 * whenever enough objects survive scavenges, and seldom gives it back: a replica with 1 000
 * endpoints ends up ~25 MB larger than it needs, for no measurable CPU gain past 8 MB. Below the
 * cap the growth factor stays V8's default; at the cap it is 1, so the new space stops growing.
 * The check runs after every scavenge (a `gc` performance entry), so growth stops within one step.
 * A process started with its own young-generation flags (--max-semi-space-size...) is left alone.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Per semi-space: the new space is two of them. */
export const SEMI_SPACE_CAP_MB = 8;
const V8_GROWTH_FACTOR = 2;
const MiB = 1024 * 1024;
const YOUNG_FLAGS = /^--(?:max|min)[-_]semi[-_]space[-_]size|^--semi[-_]space[-_]growth[-_]factor/;

export interface YoungGenerationHooks {
  newSpaceBytes(): number;
  setGrowthFactor(factor: number): void;
  /** Calls `listener` after every scavenge; returns a function that stops that. */
  onScavenge(listener: () => void): () => void;
}

/** Whether the process was started with a young-generation setting of its own. */
export function youngGenerationConfigured(execArgv: readonly string[], nodeOptions: string): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => YOUNG_FLAGS.test(arg));
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

function onScavenge(listener: () => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        listener();
        return;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

const v8Hooks: YoungGenerationHooks = {
  newSpaceBytes,
  setGrowthFactor: (factor) => setFlagsFromString(`--semi-space-growth-factor=${factor}`),
  onScavenge,
};

/**
 * Starts the cap; returns a function that stops it (and restores V8's growth). Growth is off
 * until the first scavenge is seen, so a synchronous start-up burst (a 10 000-endpoint config)
 * cannot double the new space several times before the first check.
 */
export function capYoungGeneration(capMb = SEMI_SPACE_CAP_MB, hooks: YoungGenerationHooks = v8Hooks): () => void {
  const limit = 2 * capMb * MiB;
  let factor = 0;
  const set = (next: number) => {
    if (next === factor) return;
    factor = next;
    hooks.setGrowthFactor(next);
  };
  set(1);
  const stop = hooks.onScavenge(() => set(hooks.newSpaceBytes() >= limit ? 1 : V8_GROWTH_FACTOR));
  return () => {
    stop();
    set(V8_GROWTH_FACTOR);
  };
}

let installed = false;

/** Once per process (every app in it shares the heap), unless node was given its own flags. */
export function capYoungGenerationOnce(): void {
  if (installed || youngGenerationConfigured(process.execArgv, process.env['NODE_OPTIONS'] ?? '')) return;
  installed = true;
  capYoungGeneration();
}
