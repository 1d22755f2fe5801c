/**
 * The I/O half of `resolve: confirm`: for the alerts this replica wants to resolve, reads every
 * Alertmanager peer's alerts (one GET per peer per round, shared by all pending alerts) and
 * asks agreement.ts whether another replica still refreshes them. Resolves the ones nobody
 * refreshes; the others are judged again when their youngest copy would have gone quiet.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { copyIn, judge } from './agreement.js';
import type { AlertmanagerClient, PeerView } from './alertmanager.js';

export interface ConfirmerOptions {
  /** The peers to read (called every round). */
  clients: () => readonly AlertmanagerClient[];
  /** An alert is quiet once no peer received it for this long (resend-interval + margin). */
  quietMs: number;
  /** Next try when no peer answered. */
  retryMs: number;
  clock: Clock;
  logger: Logger;
  /** This replica's name: its own copies are not "another replica". */
  replica: string;
  /** Nobody else reports the alert: resolve it. */
  onQuiet: (fingerprint: string, lastWriteAgoMs: number | undefined) => void;
}

export interface Confirmer {
  /** Judge `fingerprint` at `dueAt` (epoch ms) and until it is quiet. */
  add(fingerprint: string, dueAt: number): void;
  remove(fingerprint: string): void;
  stop(): void;
}

/** Never poll a peer more often than this while an alert waits. */
const MIN_ROUND_GAP_MS = 250;

export function createConfirmer(options: ConfirmerOptions): Confirmer {
  const { clock, logger, quietMs } = options;
  const pending = new Map<string, { dueAt: number; writer?: string }>();
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;

  const schedule = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped || running || pending.size === 0) return;
    const next = Math.min(...[...pending.values()].map((p) => p.dueAt));
    timer = setTimeout(() => void round(), Math.max(0, next - clock.now()));
  };

  const read = async (client: AlertmanagerClient): Promise<PeerView | undefined> => {
    try {
      return await client.alerts(abort.signal);
    } catch (cause) {
      logger.debug('cannot read alerts back from alertmanager', { alertmanager: client.name, err: String(cause) });
      return undefined;
    }
  };

  async function round(): Promise<void> {
    running = true;
    try {
      const now = clock.now();
      const due = [...pending].filter(([, p]) => p.dueAt <= now).map(([fp]) => fp);
      if (due.length === 0) return;
      const views = await Promise.all(options.clients().map(read));
      if (stopped) return;
      const after = clock.now();
      for (const fp of due) {
        const entry = pending.get(fp);
        if (!entry) continue; // fired again meanwhile
        const verdict = judge(views.map((view) => copyIn(view, fp)), quietMs);
        if (verdict.kind === 'resolve') {
          pending.delete(fp);
          options.onQuiet(fp, verdict.lastWriteAgoMs);
        } else if (verdict.kind === 'wait') {
          if (verdict.writer !== entry.writer && verdict.writer !== options.replica) {
            logger.info('resolve deferred: another replica still reports the alert', { fingerprint: fp, replica: verdict.writer });
          }
          if (verdict.writer !== undefined) entry.writer = verdict.writer;
          entry.dueAt = after + Math.max(MIN_ROUND_GAP_MS, verdict.retryInMs);
        } else {
          entry.dueAt = after + options.retryMs;
        }
      }
    } finally {
      running = false;
      schedule();
    }
  }

  return {
    add(fingerprint, dueAt) {
      if (stopped) return;
      pending.set(fingerprint, { dueAt });
      schedule();
    },
    remove(fingerprint) {
      pending.delete(fingerprint);
      schedule();
    },
    stop() {
      stopped = true;
      abort.abort();
      clearTimeout(timer);
      pending.clear();
    },
  };
}
