import type { ConditionInput } from '../conditions/types.js';

/** Every protocol vigil can probe. One file per kind in this folder. */
export type ProbeKind =
  | 'http'
  | 'tcp'
  | 'tls'
  | 'dns'
  | 'icmp'
  | 'websocket'
  | 'grpc'
  | 'ssh'
  | 'starttls'
  | 'udp';

/** Phases of one probe, as blackbox_exporter names them for HTTP. */
export type ProbePhase = 'resolve' | 'connect' | 'tls' | 'processing' | 'transfer';

/** What to probe. Built once from the endpoint config; never mutated by a prober. */
export interface ProbeTarget {
  url: URL;
  method: string;
  headers: Readonly<Record<string, string>>;
  /** Request body (HTTP), message to send (websocket, udp), or empty. */
  body: string;
  /** DNS query, for kind `dns` (Gatus `dns.query-type` / `dns.query-name`). */
  dns?: { queryType: string; queryName: string };
  /** SSH credentials, for kind `ssh` (Gatus `ssh.username` / `ssh.password`). Optional auth. */
  ssh?: { username: string; password: string; /** PEM/OpenSSH private key text (Gatus `ssh.private-key`), tried before the password. */ privateKey?: string };
}

/** How to probe: Gatus `client:` options with defaults already applied. */
export interface ProbeOptions {
  timeoutMs: number;
  insecure: boolean;
  /** false when Gatus `client.ignore-redirect` is true. */
  followRedirects: boolean;
  maxRedirects: number;
  /** Checked before every redirect hop is followed: a reason refuses it (the probe fails with it). */
  redirectGuard?: (url: URL) => string | undefined;
  /** Bodies are read up to this many bytes; the rest is discarded and the body marked truncated. */
  maxBodyBytes: number;
  network: 'ip' | 'ip4' | 'ip6';
  /** Gatus `client.dns-resolver`, e.g. `udp://1.1.1.1:53`. */
  dnsResolver?: string;
  /** Who resolves host names; default the process-wide system resolver (resolve.ts). Not from config. */
  resolver?: HostResolver;
  /** Client certificate for mTLS, and extra trust. Paths to PEM files. */
  tls?: { certificateFile?: string; privateKeyFile?: string; caFile?: string; serverName?: string };
  /** Gatus `client.proxy-url`: an http:// forward proxy for HTTP probes (see proxy.ts). */
  proxyUrl?: string;
  /** Gatus `client.oauth2`: HTTP probes send `Authorization: Bearer <token>` (see oauth2.ts). */
  oauth2?: OAuth2Options;
  /**
   * vigil `client.ignore-body-errors`: an error after the response headers (reset, stall, timeout
   * while reading the body) does not fail the check by itself; the conditions decide, as in Gatus.
   */
  ignoreBodyErrors?: boolean;
}

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Turns a host name into one address (see resolve.ts). `server` is `client.dns-resolver`
 * (`udp://host:port`); without it the system's nameservers are asked. Rejects on failure or abort.
 */
export interface HostResolver {
  resolve(host: string, network: ProbeOptions['network'], signal: AbortSignal, server?: string): Promise<ResolvedAddress>;
}

/** OAuth2 client-credentials grant (Gatus `client.oauth2`); all fields set, scopes non-empty. */
export interface OAuth2Options {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
}

/**
 * The outcome of one probe. Target failures are results (connected=false and/or error),
 * never exceptions. Field names match the condition placeholders (ConditionInput).
 */
export interface ProbeResult extends ConditionInput {
  connected: boolean;
  responseTimeMs: number;
  /** Duration of each phase that happened, in milliseconds. */
  phasesMs: Partial<Record<ProbePhase, number>>;
  /** Why the probe failed at the transport level (timeout, refused, TLS...). */
  error?: string;
  /** Epoch milliseconds of the earliest notAfter in the presented chain. */
  certificateNotAfterMs?: number;
  /** Body length read in bytes (before truncation to maxBodyBytes: the count read). */
  bodyBytes?: number;
  /** The body was cut at maxBodyBytes; [BODY] conditions render a note saying so. */
  bodyTruncated?: boolean;
  /** `error` happened after the response headers arrived (reset, stall or timeout while reading the body). */
  errorAfterHeaders?: boolean;
  /** Content-Length header if the server sent one, else the bytes read. */
  contentLength?: number;
  redirects?: number;
  /** e.g. `HTTP/1.1`. */
  httpVersion?: string;
  /** e.g. `TLSv1.3`. */
  tlsVersion?: string;
  ipProtocol?: 4 | 6;
  /** DNS: number of records in each section of the response. */
  dnsRecordCounts?: { answer: number; authority: number; additional: number };
}

/**
 * One protocol. Resolves with a result for every target failure (refused, timeout, bad TLS,
 * bad response); rejects only on programming errors. Must honour `signal` promptly.
 */
export type Prober = (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal) => Promise<ProbeResult>;
