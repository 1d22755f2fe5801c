/**
 * HTTP(S) prober. Every hop uses a fresh connection (exchange()), so resolve, connect, TLS,
 * processing and transfer are measured each time, like blackbox_exporter; phases of a
 * redirect chain add up. Never throws for target failures.
 */
import { VigilError } from '../errors.js';
import { isSecretName } from '../redact.js';
import { describeError } from './error-message.js';
import { exchange, hasHeader } from './http-exchange.js';
import type { HttpRequest } from './http-exchange.js';
import { accessToken, TokenCache, withBearer } from './oauth2.js';
import { createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { Prober, ProbeOptions, ProbeResult, ProbeTarget } from './types.js';
import { USER_AGENT } from './user-agent.js';

/**
 * Headers that must not follow a redirect to another origin: Authorization, Cookie and every
 * custom header whose name looks like a credential (X-Api-Key, X-Auth-Token, *secret*, *session*...).
 */
function isCredentialHeader(name: string): boolean {
  return isSecretName(name);
}
/** Headers that describe a body that a 301/302/303 → GET drops. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);

function withoutHeaders(headers: Readonly<Record<string, string>>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.has(key.toLowerCase())));
}

/** The first request: target method/headers/body, default User-Agent, Basic auth from URL userinfo. */
export function initialRequest(target: ProbeTarget): HttpRequest {
  const headers: Record<string, string> = { ...target.headers };
  if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = USER_AGENT;
  const url = new URL(target.url.href);
  if ((url.username || url.password) && !hasHeader(headers, 'authorization')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  return { url, method: (target.method || 'GET').toUpperCase(), headers, body: target.body };
}

/** The request for the next hop, per RFC 9110 §15.4 and what browsers and Go's client do. */
export function redirectRequest(previous: HttpRequest, status: number, location: string): HttpRequest {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    throw new VigilError('VIGIL_PROBE_REDIRECT', 'invalid redirect location');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VigilError('VIGIL_PROBE_REDIRECT', `redirect to unsupported scheme ${url.protocol.replace(/:$/, '')}`);
  }
  let { method, body } = previous;
  let headers: Record<string, string> = { ...previous.headers };
  const toGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  if (toGet) {
    method = 'GET';
    body = '';
    headers = withoutHeaders(headers, BODY_HEADERS);
  }
  if (url.origin !== previous.url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([key]) => !isCredentialHeader(key)));
  url.username = '';
  url.password = '';
  return { url, method, headers, body };
}

async function run(
  target: ProbeTarget,
  options: ProbeOptions,
  signal: AbortSignal,
  result: ProbeResult,
  bearer: string | undefined,
): Promise<void> {
  let request = initialRequest(target);
  if (bearer !== undefined) request = withBearer(request, bearer);
  let redirects = 0;
  // Bounded: each pass either returns or counts one redirect, at most maxRedirects of them.
  for (;;) {
    const location = await exchange(request, options, signal, result, options.followRedirects);
    if (location === undefined) return;
    if (redirects >= options.maxRedirects) {
      throw new VigilError('VIGIL_PROBE_TOO_MANY_REDIRECTS', `too many redirects (${redirects})`);
    }
    request = redirectRequest(request, result.status ?? 0, location);
    const refused = options.redirectGuard?.(request.url);
    if (refused !== undefined) throw new VigilError('VIGIL_PROBE_REDIRECT_REFUSED', refused);
    redirects++;
    result.redirects = redirects;
  }
}

/** What an HTTP prober keeps between probes: the OAuth2 tokens (bounded). */
export interface HttpProberDeps {
  tokenCache: TokenCache;
}

/**
 * An HTTP prober with its own token cache. With `options.oauth2`, the access token is obtained
 * first (within the probe's timeout, but outside its response time and phases: those measure the
 * target); a token failure is the probe's error.
 */
export function createHttpProber(deps: HttpProberDeps): Prober {
  return async (target, options, signal) => {
    let start = monotonicMs();
    const deadline = createDeadline(options.timeoutMs, signal);
    const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {}, redirects: 0 };
    try {
      const bearer = options.oauth2 ? await accessToken(options.oauth2, options, deadline.signal, deps.tokenCache) : undefined;
      start = monotonicMs();
      await run(target, options, deadline.signal, result, bearer);
    } catch (error) {
      result.error = deadline.reason?.message ?? describeError(error);
    } finally {
      deadline.dispose();
      result.responseTimeMs = elapsedMs(start);
      if (result.certificateNotAfterMs !== undefined) {
        result.certificateExpirationMs = result.certificateNotAfterMs - Date.now();
      }
    }
    return result;
  };
}

/** The HTTP prober of the probers map; its token cache lives as long as the process (bounded). */
export const probeHttp: Prober = createHttpProber({ tokenCache: new TokenCache() });
