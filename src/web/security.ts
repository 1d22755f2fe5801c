/** Basic auth (Gatus `security.basic`) or the OIDC login, and the security headers every response carries. */
import { createHmac, randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SecurityConfig } from '../config/schema.js';
import { createBcryptVerifier, type BcryptVerifier } from './bcrypt-verifier.js';
import type { OidcLogin } from './oidc.js';
import { safeEqual } from './external.js';

/** Routes Gatus leaves open even with security on: badges, charts and external pushes (own token). */
export function isPublicPath(path: string): boolean {
  return /^\/api\/v1\/endpoints\/[^/]+\/(health\/badge\.(svg|shields)|uptimes\/[^/]+\/badge\.svg|response-times\/[^/]+\/(badge|chart)\.svg|external)$/.test(
    path,
  );
}

export interface SecurityOptions {
  /** Requests for which no credentials are needed. Default: isPublicPath(req.path). */
  isPublic?: (req: Request) => boolean;
  /** Successful credentials are remembered (by a keyed hash, never in plain) this long, to not pay bcrypt per request. */
  cacheTtlMs?: number;
  now?: () => number;
  /** Runs bcrypt off the event loop with a cap on concurrent checks (default: its own). */
  verifier?: BcryptVerifier;
  /** The login for `security.oidc` (used when `security.basic` is not set, as in Gatus). */
  oidc?: OidcLogin;
}

const REALM = 'Basic realm="vigil", charset="UTF-8"';
const MAX_CACHED = 32;

/**
 * Basic auth when `security.basic` is set, else a pass-through. The username is compared in
 * constant time and the password with bcrypt against the base64-decoded hash; bcrypt always runs,
 * so a wrong username takes as long as a wrong password. bcrypt runs in a worker thread; while
 * its queue is full, requests with unknown credentials get 429 at once, while credentials that
 * passed recently (cached) still get in.
 */
export function createSecurityMiddleware(config: SecurityConfig, options: SecurityOptions = {}): RequestHandler {
  const basic = config.basic;
  const isPublic = options.isPublic ?? ((req: Request) => isPublicPath(req.path));
  if (!basic && config.oidc && options.oidc) return options.oidc.protect(isPublic);
  if (config.oidc && !options.oidc && !basic) throw new Error('security.oidc is set but no OIDC login was given');
  if (!basic) return (_req, _res, next) => next();
  const hash = Buffer.from(basic.passwordBcryptBase64, 'base64').toString('utf8');
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const accepted = new Map<string, number>();
  const cacheKey = randomBytes(32);
  const verifier = options.verifier ?? createBcryptVerifier();

  const deny = (res: Response) => {
    res.status(401).set('WWW-Authenticate', REALM).set('Cache-Control', 'no-store').json({ error: 'unauthorized', message: 'authentication required' });
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if (isPublic(req)) return next();
    const header = req.get('authorization') ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match?.[1]) return deny(res);
    const digest = createHmac('sha256', cacheKey).update(header).digest('hex');
    const until = accepted.get(digest);
    if (until !== undefined && until > now()) {
      res.locals.authenticated = true;
      return next();
    }
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return deny(res);
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const userOk = safeEqual(username, basic.username);
    verifier.verify(password, hash).then(
      (verdict) => {
        if (verdict === 'busy') {
          res.status(429).set('Retry-After', '1').set('Cache-Control', 'no-store').json({ error: 'too many requests', message: 'too many authentication attempts in progress' });
          return;
        }
        if (!(userOk && verdict === 'match')) return deny(res);
        accepted.delete(digest);
        if (accepted.size >= MAX_CACHED) accepted.delete(accepted.keys().next().value ?? '');
        accepted.set(digest, now() + ttl);
        res.locals.authenticated = true;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP without inline scripts, nosniff, no framing, no referrer leaks. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  };
}
