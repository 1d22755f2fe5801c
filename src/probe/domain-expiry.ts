/**
 * [DOMAIN_EXPIRATION] through RDAP (RFC 9083), as Gatus does first (before its WHOIS fallback, which vigil
 * does not implement).
 *
 * - The lookup asks `<rdapBaseUrl>/domain/<registrable domain>` (e.g. `https://rdap.org`, which redirects to
 *   the registry's RDAP server) and returns the epoch ms of the `events[]` entry whose `eventAction` is
 *   `expiration`.
 * - The registrable domain is approximated by the LAST TWO LABELS of the host name (`api.eu.example.com` →
 *   `example.com`). This is wrong under multi-label public suffixes (`foo.example.co.uk` asks for `co.uk`);
 *   a Public Suffix List would fix it. IP addresses and single-label names are not looked up (undefined).
 * - Answers are cached per domain for `ttlMs` (default 6 h), including "no expiration event"; failures
 *   (network error, HTTP error, bad JSON) for `failureTtlMs` (default 5 min). A failed refresh keeps serving
 *   the last known date until the next attempt. Concurrent lookups of one domain share one request.
 * - A lookup never throws for RDAP failures (it resolves undefined); it rejects only when the caller's
 *   signal aborts.
 */
import { isIP } from 'node:net';
import type { Agent, RequestInit as UndiciRequestInit } from 'undici';
import type { Clock } from '../clock.js';
import { resolverLookup, systemResolver } from './resolve.js';
import { abortable } from './timing.js';
import type { HostResolver } from './types.js';

export const DEFAULT_DOMAIN_EXPIRY_TTL_MS = 6 * 3600_000;
export const DEFAULT_DOMAIN_EXPIRY_FAILURE_TTL_MS = 5 * 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const MAX_CACHE_ENTRIES = 10_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface DomainExpiryLookupOptions {
  /** RDAP service base URL, e.g. `https://rdap.org`; `/domain/<name>` is appended. */
  rdapBaseUrl: string;
  clock: Clock;
  /** How long an answer is reused. Default 6 h. */
  ttlMs?: number;
  /** How long a failure is remembered before the next attempt. Default 5 min. */
  failureTtlMs?: number;
  /** Per-request timeout, independent of any caller. Default 10 s. */
  requestTimeoutMs?: number;
  /** Default: undici's fetch, resolving the RDAP host through `resolver` (never the thread pool). */
  fetch?: typeof fetch;
  /** Who resolves the RDAP host for the default fetch; default the process-wide resolver. */
  resolver?: HostResolver;
}

/** fetch whose connections resolve host names with `resolver` (resolve.ts), not dns.lookup. */
function fetchWith(resolver: HostResolver): typeof fetch {
  // undici is imported at the first lookup: most configs have no [DOMAIN_EXPIRATION] condition.
  let dispatcher: Agent | undefined;
  const viaResolver = async (input: string | URL, init?: RequestInit) => {
    const undici = await import('undici');
    dispatcher ??= new undici.Agent({ connect: { lookup: resolverLookup(resolver) } });
    return undici.fetch(input, { ...(init as UndiciRequestInit), dispatcher });
  };
  return viaResolver as unknown as typeof fetch;
}

/** Epoch ms of the domain's registration expiry, or undefined when unknown. */
export type DomainExpiryLookup = (hostname: string, signal: AbortSignal) => Promise<number | undefined>;

interface CacheEntry {
  value: number | undefined;
  validUntilMs: number;
}

/** `api.eu.example.com.` → `example.com`; undefined for IPs and single labels. Last two labels only. */
export function registrableDomain(hostname: string): string | undefined {
  const host = hostname.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === '' || isIP(host) !== 0) return undefined;
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) return undefined;
  return labels.slice(-2).join('.');
}

/** The `expiration` event date of an RDAP domain object, epoch ms. */
export function expirationFromRdap(document: unknown): number | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const events: unknown = (document as { events?: unknown }).events;
  if (!Array.isArray(events)) return undefined;
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) continue;
    const { eventAction, eventDate } = event as { eventAction?: unknown; eventDate?: unknown };
    if (eventAction !== 'expiration' || typeof eventDate !== 'string') continue;
    const ms = Date.parse(eventDate);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}

class RdapFailure extends Error {}

export function createDomainExpiryLookup(options: DomainExpiryLookupOptions): DomainExpiryLookup {
  const ttlMs = options.ttlMs ?? DEFAULT_DOMAIN_EXPIRY_TTL_MS;
  const failureTtlMs = options.failureTtlMs ?? DEFAULT_DOMAIN_EXPIRY_FAILURE_TTL_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetchWith(options.resolver ?? systemResolver());
  const base = options.rdapBaseUrl.replace(/\/+$/, '');
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<number | undefined>>();

  const remember = (domain: string, entry: CacheEntry) => {
    cache.delete(domain);
    if (cache.size >= MAX_CACHE_ENTRIES) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(domain, entry);
  };

  const query = async (domain: string): Promise<number | undefined> => {
    const response = await doFetch(`${base}/domain/${encodeURIComponent(domain)}`, {
      headers: { accept: 'application/rdap+json, application/json' },
      redirect: 'follow',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new RdapFailure(`RDAP ${response.status} for ${domain}`);
    }
    const text = await response.text();
    if (text.length > MAX_RESPONSE_BYTES) throw new RdapFailure(`RDAP response for ${domain} too large`);
    return expirationFromRdap(JSON.parse(text) as unknown);
  };

  const refresh = (domain: string, previous: CacheEntry | undefined): Promise<number | undefined> => {
    const running = inFlight.get(domain);
    if (running) return running;
    const promise = query(domain).then(
      (value) => {
        remember(domain, { value, validUntilMs: options.clock.now() + ttlMs });
        return value;
      },
      () => {
        // keep serving the last known date, but try again soon
        const value = previous?.value;
        remember(domain, { value, validUntilMs: options.clock.now() + failureTtlMs });
        return value;
      },
    );
    inFlight.set(domain, promise);
    void promise.finally(() => inFlight.delete(domain));
    return promise;
  };

  return async (hostname, signal) => {
    signal.throwIfAborted();
    const domain = registrableDomain(hostname);
    if (!domain) return undefined;
    const cached = cache.get(domain);
    if (cached && cached.validUntilMs > options.clock.now()) return cached.value;
    return abortable(refresh(domain, cached), signal);
  };
}
