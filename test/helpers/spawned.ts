/** Output and readiness of servers spawned by integration tests (vigil replicas, Prometheus). */
import type { ChildProcess } from 'node:child_process';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Keeps the last `max` non-empty lines `child` writes to stdout and stderr; returns a function joining them. */
export function keepLastLines(child: ChildProcess, max: number): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > max) lines.splice(0, lines.length - max);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

export interface WaitUntilReadyOptions {
  /** Names the server in errors: `prometheus`, `vigil vigil-0`. */
  name: string;
  child: ChildProcess;
  timeoutMs: number;
  logs: () => string;
  /** Runs before an error is thrown (stop the process, remove its files). */
  giveUp: () => Promise<unknown>;
}

/**
 * Polls `${url}/-/ready` every 100 ms until it answers 2xx. Throws, with the process's logs,
 * when the process exits first or `timeoutMs` passes.
 */
export async function waitUntilReady(url: string, options: WaitUntilReadyOptions): Promise<void> {
  const { name, child, timeoutMs, logs, giveUp } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await giveUp();
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}:\n${logs()}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await giveUp();
      throw new Error(`${name} not ready after ${timeoutMs / 1000} s:\n${logs()}`);
    }
    await sleep(100);
  }
}
