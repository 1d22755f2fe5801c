/**
 * Gatus-compatible JSON API and badges:
 *   GET  /api/v1/endpoints/statuses?page=&pageSize=
 *   GET  /api/v1/endpoints/{key}/statuses?page=&pageSize=
 *   GET  /api/v1/endpoints/{key}/health/badge.svg | badge.shields
 *   GET  /api/v1/endpoints/{key}/uptimes/{1h|24h|7d|30d}/badge.svg
 *   GET  /api/v1/endpoints/{key}/response-times/{1h|24h|7d|30d}/badge.svg | chart.svg
 *   POST /api/v1/endpoints/{key}/external?success=&error=&duration=   (Authorization: Bearer)
 *   GET  /api/v1/alerts
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { keyUnderMaintenance } from '../maintenance/gate.js';
import { UPTIME_WINDOWS_MS, isUptimeWindow, type UptimeWindow } from '../store/store.js';
import { healthBadge, healthShields, responseTimeBadge, uptimeBadge, type HealthState } from './badges.js';
import { responseTimeChart, type ChartPoint } from './chart.js';
import { endpointIndex, parsePage, type WebDeps } from './deps.js';
import { sendJsonArray } from './json-stream.js';
import { authenticatePush, externalCheck, parseGoDurationMs } from './external.js';
import { cleanText, toGatusStatus, type DisplayEndpoint } from './view.js';

export type ApiDeps = WebDeps;

/** A JSON error body: `{ "error": code, "message": reason }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: code, message });
}

const MAX_KEY_LENGTH = 512;

function checkKey(key: string): string | undefined {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return `key must be 1 to ${MAX_KEY_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'key must not contain control characters';
  return undefined;
}

function sendSvg(res: Response, svg: string): void {
  res
    .status(200)
    .set('Content-Type', 'image/svg+xml; charset=utf-8')
    .set('Cache-Control', 'no-cache, no-store, must-revalidate')
    .set('Expires', '0')
    .send(svg);
}

export function createApiRouter(deps: ApiDeps): Router {
  const { store, getConfig, clock, logger } = deps;
  const router = Router();

  /** Resolves `:key` to a configured endpoint or answers 400/404 itself. */
  const endpointFor = (req: Request, res: Response): DisplayEndpoint | undefined => {
    const key = String(req.params.key ?? '');
    const bad = checkKey(key);
    if (bad) {
      sendError(res, 400, 'bad_request', bad);
      return undefined;
    }
    const endpoint = endpointIndex(getConfig()).byKey.get(key);
    if (!endpoint) sendError(res, 404, 'not_found', 'no endpoint with this key');
    return endpoint;
  };

  const windowFor = (req: Request, res: Response): UptimeWindow | undefined => {
    const w = String(req.params.window ?? '');
    if (isUptimeWindow(w)) return w;
    sendError(res, 400, 'bad_request', `duration must be one of ${Object.keys(UPTIME_WINDOWS_MS).join(', ')}`);
    return undefined;
  };

  const health = (key: string): HealthState => {
    const latest = store.latest(key);
    if (!latest) return '?';
    return latest.success ? 'up' : 'down';
  };

  router.get('/api/v1/endpoints/statuses', async (req, res) => {
    const paging = parsePage(req.query);
    const config = getConfig();
    const now = clock.now();
    res.set('Cache-Control', 'no-store');
    // streamed: at 10 000 endpoints the whole answer is never built on one tick
    await sendJsonArray(res, endpointIndex(config).list, (e) => ({
      ...toGatusStatus(e, store.history(e.key, paging.page, paging.pageSize)),
      inMaintenance: keyUnderMaintenance(config, e.key, now),
    }));
  });

  router.get('/api/v1/endpoints/:key/statuses', (req, res) => {
    const paging = parsePage(req.query);
    const endpoint = endpointFor(req, res);
    if (!endpoint) return;
    const events = (deps.events?.(endpoint.key) ?? []).map((e) => ({ type: e.type, timestamp: new Date(e.timestamp).toISOString() }));
    res.set('Cache-Control', 'no-store').json({
      ...toGatusStatus(endpoint, store.history(endpoint.key, paging.page, paging.pageSize)),
      ...(events.length > 0 ? { events } : {}),
      inMaintenance: keyUnderMaintenance(getConfig(), endpoint.key, clock.now()),
    });
  });

  router.get('/api/v1/endpoints/:key/health/badge.svg', (req, res) => {
    const endpoint = endpointFor(req, res);
    if (endpoint) sendSvg(res, healthBadge(health(endpoint.key)));
  });

  router.get('/api/v1/endpoints/:key/health/badge.shields', (req, res) => {
    const endpoint = endpointFor(req, res);
    if (!endpoint) return;
    res.set('Cache-Control', 'no-cache, no-store, must-revalidate').json(healthShields(health(endpoint.key)));
  });

  router.get('/api/v1/endpoints/:key/uptimes/:window/badge.svg', (req, res) => {
    const window = windowFor(req, res);
    if (!window) return;
    const endpoint = endpointFor(req, res);
    if (endpoint) sendSvg(res, uptimeBadge(window, store.uptime(endpoint.key, window)));
  });

  router.get('/api/v1/endpoints/:key/response-times/:window/badge.svg', (req, res) => {
    const window = windowFor(req, res);
    if (!window) return;
    const endpoint = endpointFor(req, res);
    if (endpoint) sendSvg(res, responseTimeBadge(window, store.averageResponseTimeMs(endpoint.key, window), endpoint.ui.responseTimeThresholdsMs));
  });

  router.get('/api/v1/endpoints/:key/response-times/:window/chart.svg', (req, res) => {
    const window = windowFor(req, res);
    if (!window) return;
    const endpoint = endpointFor(req, res);
    if (!endpoint) return;
    const toMs = clock.now();
    const fromMs = toMs - UPTIME_WINDOWS_MS[window];
    let points: ChartPoint[];
    if (window === '1h') {
      points = store
        .history(endpoint.key)
        .filter((c) => c.timestamp >= fromMs)
        .map((c) => ({ timestamp: c.timestamp, responseTimeMs: c.result.responseTimeMs }));
    } else {
      points = store
        .hourly(endpoint.key, window)
        .filter((b) => b.total > 0)
        .map((b) => ({ timestamp: b.hourStartMs + 1_800_000, responseTimeMs: b.responseTimeSumMs / b.total }));
    }
    sendSvg(res, responseTimeChart(points, { fromMs, toMs }));
  });

  router.post('/api/v1/endpoints/:key/external', express.json({ limit: '16kb', strict: true }), (req, res) => {
    const success = req.query.success;
    if (success !== 'true' && success !== 'false') {
      return sendError(res, 400, 'bad_request', 'missing or invalid success query parameter (true or false)');
    }
    const auth = req.get('authorization') ?? '';
    if (!auth.startsWith('Bearer ')) return sendError(res, 401, 'unauthorized', 'missing bearer token');
    const token = auth.slice('Bearer '.length).trim();
    if (!token) return sendError(res, 401, 'unauthorized', 'bearer token must not be empty');
    const key = String(req.params.key ?? '');
    const keyProblem = checkKey(key);
    if (keyProblem) return sendError(res, 400, 'bad_request', keyProblem);
    // an unknown key and a wrong token get the same answer, so pushes cannot find which keys exist
    const external = authenticatePush(getConfig().externalEndpoints, key, token);
    if (!external) {
      logger.warn('external endpoint push rejected: unknown key or invalid token', { key });
      return sendError(res, 401, 'unauthorized', 'invalid token');
    }
    let durationMs = 0;
    const durationText = req.query.duration;
    if (durationText !== undefined && durationText !== '') {
      const parsed = typeof durationText === 'string' ? parseGoDurationMs(durationText) : undefined;
      if (parsed === undefined) return sendError(res, 400, 'bad_request', 'invalid duration (use a Go duration such as 150ms or 1m30s)');
      durationMs = parsed;
    }
    const body: unknown = req.body;
    const bodyError = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : '';
    const queryError = typeof req.query.error === 'string' ? req.query.error : '';
    const errorText = (queryError || bodyError).slice(0, 1024);
    const display = endpointIndex(getConfig()).byKey.get(key);
    const check = externalCheck(external, {
      timestamp: clock.now(),
      success: success === 'true',
      durationMs,
      error: errorText && display ? cleanText(errorText, display) : errorText,
    });
    deps.onExternalResult(check);
    logger.debug('external endpoint result', { key, success: check.success });
    res.status(200).json({ success: true });
  });

  router.get('/api/v1/alerts', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(deps.alerts?.() ?? []);
  });

  router.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such API route'));

  router.use('/api', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) logger.error('api error', { err: err instanceof Error ? err.message : String(err) });
    sendError(res, status, status >= 500 ? 'internal' : 'bad_request', status >= 500 ? 'internal error' : 'malformed request');
  });

  return router;
}
