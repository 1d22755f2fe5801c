/** What a streamed HTTP answer writes to (an http.ServerResponse, or a test double). */
export interface DrainableSink {
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/** Resolves once `sink` drained or closed, leaving no listener behind. */
export function drained(sink: DrainableSink): Promise<void> {
  if (sink.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      sink.removeListener('drain', done);
      sink.removeListener('close', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
  });
}
