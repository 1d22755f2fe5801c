/**
 * Guards for the lifecycle API (`POST|PUT /-/reload`). Like Prometheus it is off unless
 * `--web.enable-lifecycle` is given. On top of that it refuses what a browser on another site
 * could send (CSRF): a foreign or `null` `Origin`, a cross-site `Sec-Fetch-Site`, and a body of a
 * "simple" content type (what a form can post without a CORS preflight). Browsers put an `Origin`
 * on every POST and PUT, so a bodyless request without one is not a page's: `curl -X POST` and
 * config reloaders (which send no headers) keep working, as with Prometheus.
 */
import type { Request, RequestHandler } from 'express';

/** Content types a cross-site page may POST without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

function plain(status: number, message: string): RequestHandler {
  return (_req, res) => {
    res.status(status).set('Cache-Control', 'no-store').type('text/plain').send(`${message}\n`);
  };
}

/** 403 when the lifecycle API is off (Prometheus' answer and wording). */
export function lifecycleEnabled(enabled: boolean): RequestHandler {
  const refuse = plain(403, 'Lifecycle API is not enabled.');
  return (req, res, next) => (enabled ? next() : refuse(req, res, next));
}

/** Why the request may come from another site, or undefined when it cannot. */
export function crossSiteReason(req: Request): string | undefined {
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (!URL.canParse(origin) || new URL(origin).host !== req.get('host')) return `cross-origin request (Origin ${origin})`;
  }
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request (Sec-Fetch-Site ${site})`;
  const type = req.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && type !== '') {
    if (SIMPLE_CONTENT_TYPES.has(type)) return `content type ${type} is refused: send application/json or no body`;
    return undefined;
  }
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody) return 'a body needs a Content-Type such as application/json';
  return undefined;
}

/** 403 for requests a page on another site could have sent. */
export function refuseCrossSite(): RequestHandler {
  return (req, res, next) => {
    const reason = crossSiteReason(req);
    if (reason === undefined) return next();
    res.status(403).set('Cache-Control', 'no-store').type('text/plain').send(`refused: ${reason}\n`);
  };
}
