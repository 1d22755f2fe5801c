/**
 * Cooperative time slicing: work over thousands of endpoints (a /metrics scrape, a JSON answer about
 * every endpoint) runs in slices of a few milliseconds with a turn of the event loop between them, so
 * probe timers and other requests never wait for the whole of it.
 */

/**
 * 2 ms: a slice's write (joining its pieces, copying them to the socket) costs about as much again as
 * building them, and a scavenge can land in either. With 5 ms slices a /metrics scrape of 10 000
 * endpoints kept the loop from its timers for 15-25 ms at a time, and the statuses API for 12-15 ms;
 * with 2 ms, under 10 ms, and neither answer is slower.
 */
export const DEFAULT_SLICE_MS = 2;

/** Resolves after the event loop has run its timers and I/O once. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The clock of one sliced run: `due` says the slice has run for `sliceMs`; `pause()` yields and starts the next. */
export class TimeSlices {
  private start = performance.now();

  constructor(private readonly sliceMs: number) {}

  get due(): boolean {
    return performance.now() - this.start > this.sliceMs;
  }

  async pause(): Promise<void> {
    await yieldToLoop();
    this.start = performance.now();
  }
}

/**
 * `build`, shared by the callers that ask while it runs: they all get the run in flight, and the
 * next caller after it settles starts a new one. Many open pages, or one caller asking in a loop,
 * then cost one build at a time.
 */
export function sharedWhileRunning<T>(build: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= build().finally(() => {
      running = undefined;
    });
    return running;
  };
}
