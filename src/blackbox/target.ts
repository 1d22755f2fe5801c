/**
 * A blackbox module + `target` query parameter → what vigil's probers take (kind, ProbeTarget,
 * ProbeOptions). Target formats follow blackbox_exporter: http takes a URL (`host:port` gets
 * `http://` prepended), tcp `host:port`, dns `host[:port]` (port 53), icmp `host`.
 */
import { VigilError } from '../errors.js';
import type { ProbeKind, ProbeOptions, ProbeTarget } from '../probe/types.js';
import type { BlackboxModule, IpSettings, TlsSettings } from './module.js';

/** Body bytes read when the module sets no body_size_limit (enough for any regexp check). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** blackbox fails a probe after more than 10 redirects. */
export const MAX_REDIRECTS = 10;

/** The target cannot be probed with this module: /probe answers 400 with `message`. */
export class BlackboxTargetError extends VigilError {
  constructor(message: string) {
    super('VIGIL_BLACKBOX_TARGET', message);
  }
}

export interface ProbePlan {
  kind: ProbeKind;
  target: ProbeTarget;
  options: ProbeOptions;
  /** Host name or IP literal being probed (no brackets), for the allowlist. */
  host: string;
}

function network(ip: IpSettings): ProbeOptions['network'] {
  // with fallback, take whatever the resolver answers first; without, only the preferred family
  return ip.ipProtocolFallback ? 'ip' : ip.preferredIpProtocol;
}

function tlsFiles(tls: TlsSettings): ProbeOptions['tls'] | undefined {
  const files: NonNullable<ProbeOptions['tls']> = {};
  if (tls.caFile !== undefined) files.caFile = tls.caFile;
  if (tls.certFile !== undefined) files.certificateFile = tls.certFile;
  if (tls.keyFile !== undefined) files.privateKeyFile = tls.keyFile;
  if (tls.serverName !== undefined) files.serverName = tls.serverName;
  return Object.keys(files).length > 0 ? files : undefined;
}

/** `host:port`, `[v6]:port` → parts; Go net.SplitHostPort's rules and wording. */
export function splitHostPort(target: string): { host: string; port: string } {
  const bracket = /^\[([^\]]*)\]:(\d*)$/.exec(target);
  if (bracket) return { host: bracket[1] ?? '', port: bracket[2] ?? '' };
  const colon = target.lastIndexOf(':');
  if (colon < 0) throw new BlackboxTargetError(`address ${target}: missing port in address`);
  const host = target.slice(0, colon);
  if (host.includes(':') || host.includes('[')) throw new BlackboxTargetError(`address ${target}: too many colons in address`);
  return { host, port: target.slice(colon + 1) };
}

function checkPort(target: string, port: string): void {
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw new BlackboxTargetError(`address ${target}: invalid port`);
}

function hostUrl(scheme: string, host: string, port: string): URL {
  const shown = host.includes(':') ? `[${host}]` : host;
  try {
    return new URL(`${scheme}://${shown}${port ? `:${port}` : ''}`);
  } catch {
    throw new BlackboxTargetError(`invalid host "${host}"`);
  }
}

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function baseOptions(module: BlackboxModule, timeoutMs: number, ip: IpSettings): ProbeOptions {
  return {
    timeoutMs,
    insecure: false,
    followRedirects: true,
    maxRedirects: MAX_REDIRECTS,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    network: network(ip),
  };
}

function emptyTarget(url: URL): ProbeTarget {
  return { url, method: 'GET', headers: {}, body: '' };
}

function planHttp(module: BlackboxModule, raw: string, timeoutMs: number): ProbePlan {
  const http = module.http;
  const text = raw.startsWith('http://') || raw.startsWith('https://') ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BlackboxTargetError(`Could not parse target URL "${raw}"`);
  }
  if (url.hostname === '') throw new BlackboxTargetError(`Could not parse target URL "${raw}": no host`);
  const options = baseOptions(module, timeoutMs, http);
  options.insecure = http.tls.insecureSkipVerify;
  options.followRedirects = http.followRedirects;
  if (http.bodySizeLimitBytes > 0) options.maxBodyBytes = http.bodySizeLimitBytes;
  const files = tlsFiles(http.tls);
  if (files) options.tls = files;
  if (http.proxyUrl !== undefined) options.proxyUrl = http.proxyUrl;
  return {
    kind: 'http',
    target: { url, method: http.method, headers: { ...http.headers }, body: http.body },
    options,
    host: bare(url.hostname),
  };
}

function planTcp(module: BlackboxModule, raw: string, timeoutMs: number): ProbePlan {
  const { host, port } = splitHostPort(raw);
  checkPort(raw, port);
  const tcp = module.tcp;
  const options = baseOptions(module, timeoutMs, tcp);
  options.insecure = tcp.tlsConfig.insecureSkipVerify;
  const files = tlsFiles(tcp.tlsConfig);
  if (files) options.tls = files;
  const kind: ProbeKind = tcp.tls ? 'tls' : 'tcp';
  return { kind, target: emptyTarget(hostUrl(kind, host, port)), options, host };
}

function planDns(module: BlackboxModule, raw: string, timeoutMs: number): ProbePlan {
  let host = raw;
  let port = '53';
  if (raw.includes(':')) {
    try {
      ({ host, port } = splitHostPort(raw));
    } catch {
      host = raw; // like blackbox: not host:port → the whole target is the host (bare IPv6)
    }
  }
  checkPort(raw, port);
  const target = emptyTarget(hostUrl('dns', host, port));
  target.dns = { queryType: module.dns.queryType, queryName: module.dns.queryName };
  return { kind: 'dns', target, options: baseOptions(module, timeoutMs, module.dns), host };
}

function planIcmp(module: BlackboxModule, raw: string, timeoutMs: number): ProbePlan {
  const host = bare(raw);
  if (host === '') throw new BlackboxTargetError('empty target host');
  return { kind: 'icmp', target: emptyTarget(hostUrl('icmp', host, '')), options: baseOptions(module, timeoutMs, module.icmp), host };
}

function planGrpc(module: BlackboxModule, raw: string, timeoutMs: number): ProbePlan {
  const { host, port } = splitHostPort(raw);
  checkPort(raw, port);
  return { kind: 'grpc', target: emptyTarget(hostUrl('grpc', host, port)), options: baseOptions(module, timeoutMs, module.grpc), host };
}

const PLANNERS = { http: planHttp, tcp: planTcp, dns: planDns, icmp: planIcmp, grpc: planGrpc } as const;

/** Throws BlackboxTargetError when `target` does not fit the module's prober. */
export function planProbe(module: BlackboxModule, target: string, timeoutMs: number): ProbePlan {
  return PLANNERS[module.prober](module, target, timeoutMs);
}
