/**
 * bcrypt password checks off the event loop: one worker thread runs bcryptjs' compareSync, so a
 * flood of wrong passwords costs CPU in that thread only and never delays health checks, the
 * API or probes. At most `maxPending` checks wait or run at once; past it `verify` answers
 * 'busy' at once without hashing (the caller replies 429).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type Verdict = 'match' | 'mismatch' | 'busy';

export interface BcryptVerifier {
  verify(password: string, hash: string): Promise<Verdict>;
  /** Stops the worker; pending checks resolve as 'mismatch'. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_PENDING_CHECKS = 8;

// Run with eval, as CommonJS or ESM depending on the parent's flags: only dynamic import() works in
// both, and it needs no separate worker file (the same from src/ in tests and dist/ in production).
const WORKER_SOURCE = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
  const bcrypt = (await import(workerData.bcryptUrl)).default;
  parentPort.on('message', ({ id, password, hash }) => {
    let ok = false;
    try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
    parentPort.postMessage({ id, ok });
  });
});
`;

interface Reply {
  id: number;
  ok: boolean;
}

export function createBcryptVerifier(options: { maxPending?: number } = {}): BcryptVerifier {
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING_CHECKS;
  const bcryptUrl = pathToFileURL(createRequire(import.meta.url).resolve('bcryptjs')).href;
  const pending = new Map<number, (ok: boolean) => void>();
  let worker: Worker | undefined;
  let nextId = 0;

  const settleAll = (): void => {
    for (const resolve of pending.values()) resolve(false);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptUrl } });
    w.unref();
    w.on('message', (reply: Reply) => {
      pending.get(reply.id)?.(reply.ok);
      pending.delete(reply.id);
      // an idle worker does not keep the process alive
      if (pending.size === 0) w.unref();
    });
    // a dead worker fails its pending checks closed; the next check starts a new one
    w.on('error', () => settleAll());
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      settleAll();
    });
    return w;
  };

  return {
    async verify(password, hash) {
      if (pending.size >= maxPending) return 'busy';
      worker ??= start();
      const id = nextId++;
      const ok = await new Promise<boolean>((resolve) => {
        pending.set(id, resolve);
        worker?.ref();
        worker?.postMessage({ id, password, hash });
      });
      return ok ? 'match' : 'mismatch';
    },
    async close() {
      const w = worker;
      worker = undefined;
      settleAll();
      await w?.terminate();
    },
  };
}
