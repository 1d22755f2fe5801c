/**
 * The rest of Gatus' API, so Gatus' own web app and its clients work against vigil:
 *   GET /api/v1/endpoints/{key}/uptimes/{1h|24h|7d|30d}           raw ratio, text (e.g. 0.990000)
 *   GET /api/v1/endpoints/{key}/response-times/{1h|24h|7d|30d}    raw mean in ms, text
 *   GET /api/v1/endpoints/{key}/response-times/{24h|7d|30d}/history  {timestamps, values}
 *   GET /api/v1/config                                              {oidc, authenticated, announcements}
 *   GET /health                                                     {"status":"UP"}
 * and, behind the security middleware, the suites routes (vigil runs no suites).
 * The first group is open, as in Gatus (the same data as the public badges).
 */
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/schema.js';
import { HOUR_MS } from '../store/uptime.js';
import { isUptimeWindow, UPTIME_WINDOWS_MS, type UptimeWindow } from '../store/store.js';
import { sendError } from './api.js';
import { endpointIndex, type WebDeps } from './deps.js';

const HISTORY_WINDOWS = ['24h', '7d', '30d'] as const;
type HistoryWindow = (typeof HISTORY_WINDOWS)[number];

function sendText(res: Response, text: string): void {
  res
    .status(200)
    .set('Content-Type', 'text/plain; charset=utf-8')
    .set('Cache-Control', 'no-cache, no-store, must-revalidate')
    .set('Expires', '0')
    .send(text);
}

/** RFC 3339 as Go prints a UTC time.Time: no fractional part when it is zero. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `loggedIn`: the request carries a live OIDC session. */
export function configBody(config: Config, loggedIn: boolean): Record<string, unknown> {
  const oidc = config.security.basic === undefined && config.security.oidc !== undefined;
  return {
    // basic auth is answered by the browser, so, as in Gatus, a configured basic auth reports authenticated: false
    oidc,
    authenticated: oidc ? loggedIn : config.security.basic === undefined,
    announcements: config.announcements.map((a) => ({
      timestamp: rfc3339(a.timestamp),
      type: a.type,
      message: a.message,
      ...(a.archived ? { archived: true } : {}),
    })),
  };
}

export function createGatusOpenRouter(
  deps: Pick<WebDeps, 'store' | 'getConfig' | 'clock'> & { loggedIn?: (req: Request) => boolean },
): Router {
  const { store, getConfig, clock } = deps;
  const router = Router();

  /** The endpoint key and window of the request, or undefined once it answered 400/404. */
  const target = <W extends string>(req: Request, res: Response, windows: readonly W[]): { key: string; window: W } | undefined => {
    const window = windows.find((w) => w === req.params.window);
    if (window === undefined) {
      sendError(res, 400, 'bad_request', `duration must be one of ${windows.join(', ')}`);
      return undefined;
    }
    const key = String(req.params.key ?? '');
    if (!endpointIndex(getConfig()).byKey.has(key)) {
      sendError(res, 404, 'not_found', 'no endpoint with this key');
      return undefined;
    }
    return { key, window };
  };
  const uptimeWindows: UptimeWindow[] = Object.keys(UPTIME_WINDOWS_MS).filter(isUptimeWindow);

  router.get('/api/v1/endpoints/:key/uptimes/:window', (req, res) => {
    const t = target(req, res, uptimeWindows);
    if (t) sendText(res, (store.uptime(t.key, t.window) ?? 0).toFixed(6));
  });

  router.get('/api/v1/endpoints/:key/response-times/:window', (req, res) => {
    const t = target(req, res, uptimeWindows);
    if (t) sendText(res, String(Math.trunc(store.averageResponseTimeMs(t.key, t.window) ?? 0)));
  });

  router.get('/api/v1/endpoints/:key/response-times/:window/history', (req, res) => {
    const t = target<HistoryWindow>(req, res, HISTORY_WINDOWS);
    if (!t) return;
    const fromMs = Math.floor(clock.now() / HOUR_MS) * HOUR_MS - UPTIME_WINDOWS_MS[t.window];
    const hours = store.hourly(t.key, t.window).filter((b) => b.total > 0 && b.hourStartMs >= fromMs);
    const timestamps: number[] = [];
    const values: number[] = [];
    // As Gatus: hours before the first one with data, back to the start of the window, are 0.
    const first = hours[0]?.hourStartMs;
    if (first !== undefined) {
      for (let t0 = fromMs; t0 < first; t0 += HOUR_MS) {
        timestamps.push(t0);
        values.push(0);
      }
    }
    for (const b of hours) {
      timestamps.push(b.hourStartMs);
      values.push(Math.trunc(b.responseTimeSumMs / b.total));
    }
    res.set('Cache-Control', 'no-store').json({ timestamps, values });
  });

  router.get('/api/v1/config', (req, res) => {
    res.set('Cache-Control', 'no-store').json(configBody(getConfig(), deps.loggedIn?.(req) ?? false));
  });

  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'UP' });
  });

  return router;
}

/** Gatus' suites routes: vigil runs no suites (they are ignored with a warning at load). */
export function createSuitesRouter(): Router {
  const router = Router();
  router.get('/api/v1/suites/statuses', (_req, res) => {
    res.set('Cache-Control', 'no-store').json([]);
  });
  router.get('/api/v1/suites/:key/statuses', (_req, res) => sendError(res, 404, 'not_found', 'no suite with this key'));
  return router;
}
