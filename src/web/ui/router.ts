/**
 * The status page: GET / (list), GET /endpoints/{key} (detail), static /ui/assets/app.{js,css}
 * and the page's JSON under /ui/api/. Works offline: no CDN, no inline script.
 */
import { gzip } from 'node:zlib';
import express, { Router, type Request, type Response } from 'express';
import { sharedWhileRunning } from '../../slices.js';
import { sendError } from '../api.js';
import { endpointIndex, type WebDeps } from '../deps.js';
import { buildAssets, customCssAsset, lookupAsset } from './assets.js';
import { detail } from './data.js';
import { MAX_BAR_KEYS, barsFor, overviewJson, publicBars } from './overview.js';
import { renderShell, shellCsp } from './page.js';

export type UiDeps = Omit<WebDeps, 'onExternalResult'>;

/** JSON larger than this is gzipped when the client accepts it (1000 endpoints ≈ 2 MB raw). */
const GZIP_MIN_BYTES = 16 * 1024;

function sendJson(req: Request, res: Response, body: unknown): void {
  sendJsonText(req, res, JSON.stringify(body));
}

function sendJsonText(req: Request, res: Response, text: string): void {
  res.set('Cache-Control', 'no-store').set('Content-Type', 'application/json; charset=utf-8').set('Vary', 'Accept-Encoding');
  if (text.length < GZIP_MIN_BYTES || !/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
    res.send(text);
    return;
  }
  // level 1: 10 000 endpoints' 2 MB in ~4 ms instead of ~10 (102 KB instead of 81)
  gzip(text, { level: 1 }, (err, zipped) => {
    if (err) {
      res.send(text);
      return;
    }
    res.set('Content-Encoding', 'gzip').send(zipped);
  });
}

export interface UiOptions {
  /** The reduced public page: list only, no URLs, conditions, errors, response details or detail pages. */
  publicView?: boolean;
}

export function createUiRouter(deps: UiDeps, options: UiOptions = {}): Router {
  const publicView = options.publicView === true;
  const { store, getConfig, clock } = deps;
  const router = Router();
  const assets = buildAssets();
  const version = (assets['app.js']?.etag ?? '').replace(/"/g, '').slice(0, 10);

  const shell = (req: Request, res: Response, view: 'list' | 'detail', key?: string, status = 200) => {
    const ui = getConfig().ui;
    const customCssVersion = ui.customCss ? customCssAsset(ui.customCss).etag.replace(/"/g, '').slice(0, 10) : undefined;
    res
      .status(status)
      .set('Content-Type', 'text/html; charset=utf-8')
      .set('Cache-Control', 'no-cache')
      .set('Content-Security-Policy', shellCsp(ui))
      .send(renderShell({ ui, base: req.baseUrl, view, key, version, customCssVersion, publicView }));
  };

  router.get('/', (req, res) => shell(req, res, 'list'));
  router.get('/endpoints/:key', (req, res, next) => {
    if (publicView) return next();
    const key = String(req.params.key ?? '');
    // unknown keys still get the page (it shows the error) but with a 404 status
    shell(req, res, 'detail', key, endpointIndex(getConfig()).byKey.has(key) ? 200 : 404);
  });

  router.get('/ui/assets/:file', (req, res) => {
    const file = String(req.params.file);
    const css = getConfig().ui.customCss;
    const a = file === 'custom.css' ? (css ? customCssAsset(css) : undefined) : lookupAsset(assets, file);
    if (!a) return sendError(res, 404, 'not_found', 'no such asset');
    res.set('ETag', a.etag).set('Content-Type', a.contentType).set('Cache-Control', 'public, max-age=300');
    if (req.get('if-none-match') === a.etag) return res.status(304).end();
    res.status(200).send(a.body);
  });

  const overviewText = sharedWhileRunning(() => overviewJson(store, getConfig(), clock.now(), { eventsOf: deps.events, timeline: deps.timeline, publicView }));
  router.get('/ui/api/overview', async (req, res) => {
    sendJsonText(req, res, await overviewText());
  });

  router.post('/ui/api/bars', express.json({ limit: '256kb', strict: true }), (req, res) => {
    const body: unknown = req.body;
    const keys = body && typeof body === 'object' && 'keys' in body ? body.keys : undefined;
    const found = barsFor(store, getConfig(), keys);
    const out = found && publicView ? publicBars(found) : found;
    if (!out) return sendError(res, 400, 'bad_request', `expected {"keys": [up to ${MAX_BAR_KEYS} endpoint keys]}`);
    sendJson(req, res, out);
  });

  router.get('/ui/api/endpoints/:key', (req, res, next) => {
    if (publicView) return next();
    const config = getConfig();
    const endpoint = endpointIndex(config).byKey.get(String(req.params.key ?? ''));
    if (!endpoint) return sendError(res, 404, 'not_found', 'no endpoint with this key');
    sendJson(req, res, detail(store, config, endpoint, clock.now(), deps.events, deps.timeline));
  });

  return router;
}
