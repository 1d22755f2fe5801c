/**
 * Cooperative time slicing: work over thousands of endpoints (a /metrics scrape, a JSON answer about
 * every endpoint) runs in slices of a few milliseconds with a turn of the event loop between them, so
 * probe timers and other requests never wait for the whole of it.
 */

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
