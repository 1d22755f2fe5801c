/**
 * blackbox_exporter modules (blackbox.yml `modules:`), with every default already applied,
 * so the /probe route never checks for undefined. Defaults follow blackbox_exporter 0.23
 * config/config.go; the built-in set follows the Debian package's /etc/prometheus/blackbox.yml.
 */

/** The probers vigil maps onto its own (see src/probe/index.ts). */
export const BLACKBOX_PROBERS = ['http', 'tcp', 'icmp', 'dns', 'grpc'] as const;
export type BlackboxProberName = (typeof BLACKBOX_PROBERS)[number];

export type IpProtocol = 'ip4' | 'ip6';

export interface IpSettings {
  /** blackbox `preferred_ip_protocol` (default ip6). */
  preferredIpProtocol: IpProtocol;
  /** blackbox `ip_protocol_fallback` (default true). */
  ipProtocolFallback: boolean;
}

export interface TlsSettings {
  insecureSkipVerify: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
}

export interface HeaderMatch {
  header: string;
  regexp: RegExp;
  allowMissing: boolean;
}

export interface HttpModule extends IpSettings {
  /** Empty: every 2xx status is valid. */
  validStatusCodes: number[];
  /** Empty: every version is valid. e.g. `HTTP/1.1`. */
  validHttpVersions: string[];
  method: string;
  headers: Record<string, string>;
  body: string;
  followRedirects: boolean;
  failIfSsl: boolean;
  failIfNotSsl: boolean;
  failIfBodyMatchesRegexp: RegExp[];
  failIfBodyNotMatchesRegexp: RegExp[];
  failIfHeaderMatches: HeaderMatch[];
  failIfHeaderNotMatches: HeaderMatch[];
  tls: TlsSettings;
  /** 0: no limit beyond vigil's own body cap. */
  bodySizeLimitBytes: number;
  proxyUrl?: string;
}

export interface QueryResponse {
  expect?: RegExp;
  send?: string;
  starttls: boolean;
}

export interface TcpModule extends IpSettings {
  tls: boolean;
  tlsConfig: TlsSettings;
  queryResponse: QueryResponse[];
}

export interface IcmpModule extends IpSettings {
  ttl: number;
}

export interface DnsModule extends IpSettings {
  queryName: string;
  /** blackbox default: ANY. */
  queryType: string;
  /** Default NOERROR. */
  validRcodes: string[];
  transportProtocol: 'udp' | 'tcp';
}

export interface GrpcModule {
  service: string;
  tls: boolean;
  tlsConfig: TlsSettings;
  preferredIpProtocol: IpProtocol;
  ipProtocolFallback: boolean;
}

export interface BlackboxModule {
  name: string;
  prober: BlackboxProberName;
  /** 0: no module timeout (the scrape timeout header, else 120 s, decides). */
  timeoutMs: number;
  http: HttpModule;
  tcp: TcpModule;
  icmp: IcmpModule;
  dns: DnsModule;
  grpc: GrpcModule;
  /** Settings vigil parses but cannot honour; a probe of this module fails and says why. */
  unsupported: string[];
}

export interface BlackboxConfig {
  /** The file the modules came from, or `(built-in)`. */
  source: string;
  modules: ReadonlyMap<string, BlackboxModule>;
}

export const DEFAULT_ICMP_TTL = 64;

export function defaultTls(): TlsSettings {
  return { insecureSkipVerify: false };
}

export function defaultModule(name: string, prober: BlackboxProberName): BlackboxModule {
  const ip: IpSettings = { preferredIpProtocol: 'ip6', ipProtocolFallback: true };
  return {
    name,
    prober,
    timeoutMs: 0,
    http: {
      ...ip,
      validStatusCodes: [],
      validHttpVersions: [],
      method: 'GET',
      headers: {},
      body: '',
      followRedirects: true,
      failIfSsl: false,
      failIfNotSsl: false,
      failIfBodyMatchesRegexp: [],
      failIfBodyNotMatchesRegexp: [],
      failIfHeaderMatches: [],
      failIfHeaderNotMatches: [],
      tls: defaultTls(),
      bodySizeLimitBytes: 0,
    },
    tcp: { ...ip, tls: false, tlsConfig: defaultTls(), queryResponse: [] },
    icmp: { ...ip, ttl: DEFAULT_ICMP_TTL },
    dns: { ...ip, queryName: '', queryType: 'ANY', validRcodes: ['NOERROR'], transportProtocol: 'udp' },
    grpc: { service: '', tls: false, tlsConfig: defaultTls(), preferredIpProtocol: 'ip6', ipProtocolFallback: true },
    unsupported: [],
  };
}

/**
 * The modules vigil offers without `--blackbox.config.file`: the ones of blackbox's example
 * blackbox.yml that vigil implements fully (http_2xx, http_post_2xx, tcp_connect, icmp),
 * plus dns_udp (query `.`, type NS, like blackbox's example dns modules).
 */
export function builtinModules(): BlackboxConfig {
  const post = defaultModule('http_post_2xx', 'http');
  post.http.method = 'POST';
  const dns = defaultModule('dns_udp', 'dns');
  dns.dns.queryName = '.';
  dns.dns.queryType = 'NS';
  const modules = [defaultModule('http_2xx', 'http'), post, defaultModule('tcp_connect', 'tcp'), defaultModule('icmp', 'icmp'), dns];
  return { source: '(built-in)', modules: new Map(modules.map((m) => [m.name, m])) };
}
