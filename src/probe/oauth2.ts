/**
 * OAuth2 client-credentials grant for HTTP probes (Gatus `client.oauth2`, which uses Go's
 * golang.org/x/oauth2/clientcredentials): POST `grant_type=client_credentials&scope=a b` to the
 * token URL, client credentials in HTTP Basic (falling back once to form fields when the server
 * answers 400/401, remembered per credentials, like Go's auth-style auto-detection), then
 * `Authorization: Bearer <access_token>` on the probe request.
 *
 * Tokens are cached in a TokenCache that the HTTP prober owns (bounded, keyed by token URL,
 * client id, scopes and a hash of the secret) until shortly before `expires_in` runs out.
 * The token request is an ordinary exchange(): it honours the endpoint's proxy, dns-resolver,
 * insecure and client-certificate settings, but its phases are not part of the probe's.
 * Error messages name the token URL redacted and never the secret or the response body.
 */
import { createHash } from 'node:crypto';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { VigilError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { describeError } from './error-message.js';
import { exchange } from './http-exchange.js';
import type { HttpRequest } from './http-exchange.js';
import type { OAuth2Options, ProbeOptions, ProbeResult } from './types.js';
import { USER_AGENT } from './user-agent.js';

/** A token is refreshed this long before it expires (Go's oauth2 uses 10 s), at most half its lifetime. */
export const TOKEN_EXPIRY_MARGIN_MS = 10_000;
/** Lifetime assumed when the token response has no usable `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;
/** Entries a TokenCache keeps (least recently used dropped first). */
export const DEFAULT_TOKEN_CACHE_ENTRIES = 1000;
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** The token endpoint failed or answered without a token. The message holds no secret. */
export class OAuth2Error extends VigilError {
  constructor(message: string) {
    super('VIGIL_PROBE_OAUTH2', message);
  }
}

type AuthStyle = 'header' | 'params';

interface CacheEntry {
  accessToken?: string;
  /** Clock time (epoch ms) from which the token must be fetched again. */
  refreshAtMs: number;
  /** How the server accepted the client credentials, once known. */
  style?: AuthStyle;
}

/** Bounded cache of access tokens; the clock is injectable for tests. */
export class TokenCache {
  readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, CacheEntry>();

  constructor(options: { clock?: Clock; maxEntries?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached token for `key` if it is still fresh. */
  token(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry?.accessToken === undefined) return undefined;
    if (this.clock.now() >= entry.refreshAtMs) return undefined;
    this.touch(key, entry);
    return entry.accessToken;
  }

  style(key: string): AuthStyle | undefined {
    return this.entries.get(key)?.style;
  }

  store(key: string, entry: CacheEntry): void {
    this.touch(key, entry);
  }

  private touch(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}

/** Cache key: everything that identifies a grant; the secret only as a hash. */
export function tokenCacheKey(settings: OAuth2Options): string {
  const secret = createHash('sha256').update(settings.clientSecret).digest('hex');
  return JSON.stringify([settings.tokenUrl, settings.clientId, [...settings.scopes], secret]);
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1 for Basic credentials). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function tokenRequest(settings: OAuth2Options, url: URL, style: AuthStyle): HttpRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (settings.scopes.length > 0) form.set('scope', settings.scopes.join(' '));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  if (style === 'header') {
    const credentials = `${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  } else {
    form.set('client_id', settings.clientId);
    form.set('client_secret', settings.clientSecret);
  }
  return { url: new URL(url.href), method: 'POST', headers, body: form.toString() };
}

interface TokenResponse {
  status: number;
  fields: Record<string, unknown>;
}

/** JSON (RFC 6749) or, as some servers send, form-encoded. */
function parseFields(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return {};
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
}

async function post(
  settings: OAuth2Options,
  url: URL,
  label: string,
  style: AuthStyle,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<TokenResponse> {
  const scratch: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const exchangeOptions: ProbeOptions = { ...options, followRedirects: false, maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES };
  try {
    await exchange(tokenRequest(settings, url, style), exchangeOptions, signal, scratch, false);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new OAuth2Error(`oauth2 token request to ${label} failed: ${describeError(error)}`);
  }
  return { status: scratch.status ?? 0, fields: parseFields(scratch.body ?? '') };
}

function lifetimeMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TOKEN_LIFETIME_MS;
}

/**
 * A valid access token for `settings`, from `cache` or from the token endpoint.
 * Throws OAuth2Error (or the abort reason) when none can be had.
 */
export async function accessToken(
  settings: OAuth2Options,
  options: ProbeOptions,
  signal: AbortSignal,
  cache: TokenCache,
): Promise<string> {
  const key = tokenCacheKey(settings);
  const cached = cache.token(key);
  if (cached !== undefined) return cached;
  let url: URL;
  try {
    url = new URL(settings.tokenUrl);
  } catch {
    throw new OAuth2Error('oauth2 token-url is not a valid URL');
  }
  const label = redactUrl(url.href);
  const fetchedAtMs = cache.clock.now();
  const known = cache.style(key);
  let style: AuthStyle = known ?? 'header';
  let response = await post(settings, url, label, style, options, signal);
  if (known === undefined && (response.status === 400 || response.status === 401)) {
    const retry = await post(settings, url, label, 'params', options, signal);
    if (retry.status >= 200 && retry.status < 300) {
      style = 'params';
      response = retry;
    }
  }
  if (response.status < 200 || response.status > 299) {
    const code = response.fields['error'];
    const detail = typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? ` (${code})` : '';
    throw new OAuth2Error(`oauth2 token request to ${label} failed: HTTP ${response.status}${detail}`);
  }
  const token = response.fields['access_token'];
  if (typeof token !== 'string' || token === '') {
    throw new OAuth2Error(`oauth2 token response from ${label} has no access_token`);
  }
  const lifetime = lifetimeMs(response.fields['expires_in']);
  const marginMs = Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetime / 2);
  cache.store(key, { accessToken: token, refreshAtMs: fetchedAtMs + lifetime - marginMs, style });
  return token;
}

/** `request` with `Authorization: Bearer <token>`, replacing any other Authorization header. */
export function withBearer(request: HttpRequest, token: string): HttpRequest {
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
  headers['authorization'] = `Bearer ${token}`;
  return { ...request, headers };
}
