/**
 * Watches one alert on every Alertmanager peer (GET /api/v2/alerts, which lists only alerts
 * that are not resolved) and records when it appears and disappears on each: a flap is the
 * alert disappearing (resolved) and coming back.
 */
export interface AlertWatch {
  /** Per peer, the times (epoch ms) the alert's presence changed, starting with its first appearance. */
  changes(): { at: number; present: boolean }[][];
  /** Times the alert came back after being gone, summed over the peers. */
  flaps(): number;
  /** Resolves once the alert is present on every peer that answers. */
  waitPresent(timeoutMs: number): Promise<number>;
  /** Resolves with the time the alert was last seen gone on every peer (first such poll). */
  waitGone(timeoutMs: number): Promise<number>;
  stop(): void;
}

const POLL_MS = 200;

async function present(url: string, filter: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(`${url}/api/v2/alerts?filter=${encodeURIComponent(filter)}`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return ((await response.json()) as unknown[]).length > 0;
  } catch {
    return undefined;
  }
}

/** `filter` is an Alertmanager matcher such as `endpoint="api"`. */
export function watchAlert(urls: readonly string[], filter: string): AlertWatch {
  const changes = urls.map(() => [] as { at: number; present: boolean }[]);
  const last: (boolean | undefined)[] = urls.map(() => undefined);
  let stopped = false;
  let polls = 0;
  const listeners = new Set<() => void>();

  const loop = async () => {
    while (!stopped) {
      const started = Date.now();
      const seen = await Promise.all(urls.map((url) => present(url, filter)));
      seen.forEach((value, i) => {
        if (value === undefined || value === last[i]) return;
        if (value || last[i] !== undefined) changes[i]!.push({ at: started, present: value });
        last[i] = value;
      });
      polls += 1;
      for (const listener of listeners) listener();
      await new Promise((done) => setTimeout(done, Math.max(0, POLL_MS - (Date.now() - started))));
    }
  };
  void loop();

  const until = (condition: () => boolean, timeoutMs: number, what: string): Promise<number> =>
    new Promise((done, fail) => {
      const check = () => {
        if (!condition()) return;
        listeners.delete(check);
        clearTimeout(timer);
        done(Date.now());
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        fail(new Error(`alert ${filter} not ${what} after ${timeoutMs} ms: ${JSON.stringify(changes)}`));
      }, timeoutMs);
      listeners.add(check);
    });

  return {
    changes: () => changes.map((c) => [...c]),
    flaps: () => changes.reduce((sum, c) => sum + c.filter((x, i) => x.present && i > 0).length, 0),
    waitPresent: (timeoutMs) => until(() => polls > 0 && last.every((v) => v === true), timeoutMs, 'present'),
    waitGone: (timeoutMs) => until(() => polls > 0 && last.every((v) => v === false) && changes.some((c) => c.length > 0), timeoutMs, 'gone'),
    stop: () => {
      stopped = true;
    },
  };
}
