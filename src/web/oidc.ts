/**
 * OIDC login (Gatus `security.oidc`): authorization code flow with PKCE, state and nonce, via
 * openid-client. Nothing is stored server-side: the pending login and the session are sealed
 * cookies (sealed-cookie.ts) keyed by the client secret, so every replica behind one Service
 * accepts a login made on any of them. Routes, open to anyone:
 *   GET  /oidc/login                 → the provider (optionally ?next=/local/path)
 *   GET  <path of redirect-url>      ← the provider; sets the session, back to next or /
 *   POST /oidc/logout                clears the session
 * `protect` lets a request in with a live session for an allowed subject; otherwise a page
 * navigation is sent to the login and anything else gets 401.
 */
import type * as OpenId from 'openid-client';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { OidcConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { createSealer, readCookie } from './sealed-cookie.js';

export const SESSION_COOKIE = 'vigil_session';
const LOGIN_COOKIE = 'vigil_oidc_login';
const LOGIN_TTL_MS = 10 * 60_000;
/** Token exchanges in flight at once: the callback is open to anyone, the provider is not ours to flood. */
const MAX_EXCHANGES = 8;
const DISCOVERY_TIMEOUT_S = 10;

export interface OidcLogin {
  router: Router;
  protect(isPublic: (req: Request) => boolean): RequestHandler;
  /** The session's subject when the request carries a live session for an allowed subject. */
  subjectOf(req: Request): string | undefined;
}

export interface OidcOptions {
  logger: Logger;
  now?: () => number;
}

/** A local path to return to after login; anything else (//host, schemes, backslashes) is '/'. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\\\s]*$/.test(value) && value.length <= 2_000 ? value : '/';
}

/** openid-client is loaded at the first login, so a vigil without security.oidc never pays for it. */
const openid = (): Promise<typeof OpenId> => import('openid-client');

export function createOidcLogin(config: OidcConfig, options: OidcOptions): OidcLogin {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const sealer = createSealer(config.clientSecret, `${config.issuerUrl} ${config.clientId}`);
  const redirect = new URL(config.redirectUrl);
  const secure = redirect.protocol === 'https:';
  const insecureIssuer = new URL(config.issuerUrl).protocol === 'http:';
  let discovered: Promise<OpenId.Configuration> | undefined;
  let exchanges = 0;

  const discover = (): Promise<OpenId.Configuration> => {
    discovered ??= openid()
      .then((client) =>
        client.discovery(new URL(config.issuerUrl), config.clientId, undefined, client.ClientSecretBasic(config.clientSecret), {
          timeout: DISCOVERY_TIMEOUT_S,
          ...(insecureIssuer ? { execute: [client.allowInsecureRequests] } : {}),
        }),
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  const cookie = (res: Response, name: string, value: string, maxAgeMs: number): void => {
    const attributes = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
    if (secure) attributes.push('Secure');
    res.append('Set-Cookie', attributes.join('; '));
  };

  const allowed = (subject: string): boolean => config.allowedSubjects.length === 0 || config.allowedSubjects.includes(subject);

  const subjectOf = (req: Request): string | undefined => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = token === undefined ? undefined : sealer.unseal('session', token, now());
    const subject = session?.sub;
    return typeof subject === 'string' && allowed(subject) ? subject : undefined;
  };

  const fail = (res: Response, status: number, message: string): void => {
    res.status(status).set('Cache-Control', 'no-store').type('text/plain').send(`${message}\n`);
  };

  const router = Router();
  router.get('/oidc/login', async (req, res) => {
    let configuration: OpenId.Configuration;
    try {
      configuration = await discover();
    } catch (err) {
      logger.warn('OIDC discovery failed', { issuer: config.issuerUrl, error: err instanceof Error ? err.message : String(err) });
      fail(res, 503, 'The identity provider cannot be reached; try again shortly.');
      return;
    }
    const client = await openid();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const returnTo = safeReturnPath(req.query.next);
    cookie(res, LOGIN_COOKIE, sealer.seal('login', { verifier, state, nonce, returnTo }, now() + LOGIN_TTL_MS), LOGIN_TTL_MS);
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: config.redirectUrl,
      scope: config.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.set('Cache-Control', 'no-store').redirect(302, url.href);
  });

  router.get(redirect.pathname, async (req, res) => {
    const token = readCookie(req.headers.cookie, LOGIN_COOKIE);
    const pending = token === undefined ? undefined : sealer.unseal('login', token, now());
    const { verifier, state, nonce, returnTo } = pending ?? {};
    if (typeof verifier !== 'string' || typeof state !== 'string' || typeof nonce !== 'string') {
      fail(res, 400, 'This login expired or was started elsewhere: open /oidc/login to start again.');
      return;
    }
    if (exchanges >= MAX_EXCHANGES) {
      res.set('Retry-After', '1');
      fail(res, 429, 'Too many logins in progress; try again.');
      return;
    }
    const client = await openid();
    exchanges += 1;
    try {
      const current = new URL(config.redirectUrl);
      current.search = new URL(req.originalUrl, 'http://callback').search;
      const tokens = await client.authorizationCodeGrant(await discover(), current, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const subject = tokens.claims()?.sub;
      cookie(res, LOGIN_COOKIE, '', 0);
      if (typeof subject !== 'string' || !allowed(subject)) {
        logger.warn('OIDC login refused: subject not in allowed-subjects', { subject: String(subject) });
        fail(res, 403, 'Your account is not allowed to see this page.');
        return;
      }
      cookie(res, SESSION_COOKIE, sealer.seal('session', { sub: subject }, now() + config.sessionTtlMs), config.sessionTtlMs);
      logger.info('OIDC login', { subject });
      res.set('Cache-Control', 'no-store').redirect(303, safeReturnPath(returnTo));
    } catch (err) {
      // the provider's answer (error=access_denied, a bad code) or an unreachable token endpoint; never the code itself
      const reason = err instanceof client.AuthorizationResponseError ? err.error : err instanceof Error ? err.name : 'error';
      logger.warn('OIDC login failed', { reason });
      fail(res, reason === 'access_denied' ? 403 : 502, 'The login did not complete: open /oidc/login to try again.');
    } finally {
      exchanges -= 1;
    }
  });

  router.post('/oidc/logout', (_req, res) => {
    cookie(res, SESSION_COOKIE, '', 0);
    res.set('Cache-Control', 'no-store').redirect(303, '/');
  });

  const protect = (isPublic: (req: Request) => boolean): RequestHandler => (req, res, next) => {
    if (isPublic(req)) return next();
    if (subjectOf(req) !== undefined) {
      res.locals.authenticated = true;
      return next();
    }
    if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res.set('Cache-Control', 'no-store').redirect(302, `/oidc/login?next=${encodeURIComponent(safeReturnPath(req.originalUrl))}`);
      return;
    }
    res.status(401).set('Cache-Control', 'no-store').json({ error: 'unauthorized', message: 'log in at /oidc/login' });
  };

  return { router, protect, subjectOf };
}
