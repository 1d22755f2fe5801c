/**
 * Host names → addresses without libuv's thread pool. dns.lookup (getaddrinfo) holds one of the
 * pool's 4 threads until the system resolver gives up, and an abort cannot free it: a few names whose
 * DNS server never answers used to starve every other lookup (and fs, crypto, zlib) of the process.
 * Here:
 * - `localhost` and `*.localhost` always answer loopback; /etc/hosts is honoured (re-read when it changes);
 * - other names go to c-ares (node:dns Resolver: sockets on the event loop) with a per-query timeout
 *   and a bounded number of tries, following resolv.conf's search list and ndots as getaddrinfo does;
 * - an abort cancels the outstanding queries: one Resolver per lookup, Resolver.cancel() on abort.
 * `network` ip4 asks A only, ip6 AAAA only, ip A and then AAAA when there is no A record.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { VigilError } from '../errors.js';
import { normalName, parseHosts, parseResolvConf, watchedFile } from './system-files.js';
import type { ResolvConf } from './system-files.js';
import { abortReason } from './timing.js';
import type { HostResolver, ProbeOptions, ResolvedAddress } from './types.js';

type Network = ProbeOptions['network'];

export interface HostResolverOptions {
  /** Nameservers (`1.2.3.4`, `127.0.0.1:5353`, `[::1]:53`); default resolv.conf's. */
  servers?: readonly string[];
  /** Timeout of one query attempt (c-ares `timeout`). */
  queryTimeoutMs?: number;
  /** Attempts per nameserver (c-ares `tries`). */
  tries?: number;
  hostsFile?: string;
  resolvConfFile?: string;
  /** How often the two files are checked for changes. */
  checkIntervalMs?: number;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 2_000;
export const DEFAULT_QUERY_TRIES = 2;
const DEFAULT_CHECK_INTERVAL_MS = 5_000;

const LOOPBACK: Readonly<Record<4 | 6, ResolvedAddress>> = { 4: { address: '127.0.0.1', family: 4 }, 6: { address: '::1', family: 6 } };

/** c-ares error codes → the probe's message. */
const DNS_MESSAGES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such host',
  ENODATA: 'no such host',
  ETIMEOUT: 'dns query timed out',
  ECONNREFUSED: 'dns server refused the query connection',
  ESERVFAIL: 'dns server failure',
  EREFUSED: 'dns query refused',
  EBADRESP: 'malformed dns response',
  EFORMERR: 'malformed dns response',
  EBADNAME: 'invalid host name',
};

function dnsError(error: unknown): VigilError {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = typeof code === 'string' ? DNS_MESSAGES[code] : undefined;
  return new VigilError('VIGIL_PROBE_RESOLVE', message ?? `dns lookup failed${typeof code === 'string' ? ` (${code})` : ''}`);
}

function isNoAnswer(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

function pick(addresses: readonly ResolvedAddress[] | undefined, network: Network): ResolvedAddress | undefined {
  return addresses?.find((a) => network === 'ip' || a.family === (network === 'ip4' ? 4 : 6));
}

/** `udp://1.1.1.1:53` (Gatus `client.dns-resolver`) → `1.1.1.1:53`, the form Resolver.setServers takes. */
export function serverAddress(dnsResolver: string): string {
  try {
    const url = new URL(dnsResolver);
    if (url.hostname) return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    // already host[:port]
  }
  return dnsResolver;
}

/** The names getaddrinfo would ask for, in its order (resolv.conf `search` and `ndots`). */
export function searchCandidates(host: string, conf: Pick<ResolvConf, 'search' | 'ndots'>): string[] {
  if (host.endsWith('.')) return [host.slice(0, -1)];
  const searched = conf.search.map((domain) => `${host}.${domain}`);
  const dots = host.split('.').length - 1;
  return dots >= conf.ndots ? [host, ...searched] : [...searched, host];
}

async function queryFamily(resolver: Resolver, name: string, family: 4 | 6): Promise<ResolvedAddress | undefined> {
  const found = family === 4 ? await resolver.resolve4(name) : await resolver.resolve6(name);
  const address = found[0];
  return address === undefined ? undefined : { address, family };
}

/** One name: A or AAAA as `network` asks; for `ip`, AAAA only when there is no A record. */
async function queryName(resolver: Resolver, name: string, network: Network): Promise<ResolvedAddress | undefined> {
  if (network !== 'ip') return queryFamily(resolver, name, network === 'ip4' ? 4 : 6);
  try {
    const found = await queryFamily(resolver, name, 4);
    if (found) return found;
  } catch (error) {
    if (!isNoAnswer(error)) throw error;
  }
  return queryFamily(resolver, name, 6);
}

/** A resolver with its own settings; probes share one per process (systemResolver()). */
export function createHostResolver(options: HostResolverOptions = {}): HostResolver {
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const hosts = watchedFile(options.hostsFile ?? '/etc/hosts', parseHosts, checkIntervalMs);
  const conf = watchedFile(options.resolvConfFile ?? '/etc/resolv.conf', parseResolvConf, checkIntervalMs);
  const timeout = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const tries = options.tries ?? DEFAULT_QUERY_TRIES;

  const ask = async (host: string, network: Network, signal: AbortSignal, server: string | undefined): Promise<ResolvedAddress> => {
    const settings = conf.current();
    const servers = server !== undefined ? [serverAddress(server)] : (options.servers ?? settings.nameservers);
    const resolver = new Resolver({ timeout, tries });
    try {
      if (servers.length > 0) resolver.setServers([...servers]);
    } catch {
      throw new VigilError('VIGIL_PROBE_RESOLVE', 'invalid dns server address');
    }
    const onAbort = () => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    let last: unknown;
    try {
      for (const name of searchCandidates(host, settings)) {
        if (signal.aborted) break;
        try {
          const found = await queryName(resolver, name, network);
          if (found) return found;
        } catch (error) {
          last = error;
          if (!isNoAnswer(error)) break;
        }
      }
      if (signal.aborted) throw abortReason(signal);
      throw dnsError(last ?? { code: 'ENOTFOUND' });
    } finally {
      signal.removeEventListener('abort', onAbort);
      resolver.cancel();
    }
  };

  return {
    async resolve(hostname, network, signal, server) {
      if (signal.aborted) throw abortReason(signal);
      const host = normalName(hostname);
      if (host === 'localhost' || host.endsWith('.localhost')) {
        const listed = pick(hosts.current().get(host), network);
        return listed ?? LOOPBACK[network === 'ip6' ? 6 : 4];
      }
      const listed = pick(hosts.current().get(host), network);
      if (listed) return listed;
      return ask(hostname, network, signal, server);
    },
  };
}

let shared: HostResolver | undefined;

/** The process-wide resolver: /etc/hosts, then resolv.conf's nameservers through c-ares. */
export function systemResolver(): HostResolver {
  shared ??= createHostResolver();
  return shared;
}

/** How long a lookup through resolverLookup() may take (it has no caller signal). */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * `resolver` as a net/undici `lookup` option (`connect: { lookup }`), for HTTP clients that dial on
 * their own (RDAP): same hosts file, same c-ares queries, never a thread-pool thread.
 */
export function resolverLookup(resolver: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    const network = options.family === 4 ? 'ip4' : options.family === 6 ? 'ip6' : 'ip';
    const literal = isIP(hostname);
    const found: Promise<ResolvedAddress> =
      literal !== 0 ? Promise.resolve({ address: hostname, family: literal === 6 ? 6 : 4 }) : resolver.resolve(hostname, network, AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
    found.then(
      (address) => (options.all ? callback(null, [address]) : callback(null, address.address, address.family)),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    );
  };
}
