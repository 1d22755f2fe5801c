/**
 * The public status page (`ui.public-page: /status`): the list at that path without
 * authentication, even with security.basic set, showing names, groups, states, uptimes and
 * up/down bars only. No URL, condition, error, HTTP status, response time or detail page leaves
 * through it; the full dashboard and the API stay behind auth.
 */
import type { RequestHandler } from 'express';
import { createUiRouter, type UiDeps } from './router.js';

/** Serves the public page at the config's current ui.public-page path ('' = off); pass-through elsewhere. */
export function createPublicUiRouter(deps: UiDeps): RequestHandler {
  const inner = createUiRouter(deps, { publicView: true });
  return (req, res, next) => {
    const path = deps.getConfig().ui.publicPage;
    if (!path || (req.path !== path && !req.path.startsWith(`${path}/`))) return next();
    const { url, baseUrl } = req;
    req.baseUrl = `${baseUrl}${path}`;
    req.url = url.slice(path.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    inner(req, res, (err?: unknown) => {
      req.url = url;
      req.baseUrl = baseUrl;
      next(err);
    });
  };
}
