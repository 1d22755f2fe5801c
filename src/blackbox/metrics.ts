/**
 * probe_* metrics of one /probe request, registered on the request's own registry, with
 * blackbox_exporter 0.23's names, HELP texts, types and labels, and the same rule for which
 * families appear when (e.g. TLS families only when a response came over TLS; the per-phase
 * series only once the target resolved). Also decides probe_success from the module's checks.
 */
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ProbePhase, ProbeResult } from '../probe/types.js';
import { ipAddrHash } from './ip-hash.js';
import type { BlackboxModule } from './module.js';
import type { ProbePlan } from './target.js';

/** HELP texts, verbatim from blackbox_exporter (prober/*.go). */
export const HELP = {
  probe_success: 'Displays whether or not the probe was a success',
  probe_duration_seconds: 'Returns how long the probe took to complete in seconds',
  probe_dns_lookup_time_seconds: 'Returns the time taken for probe dns lookup in seconds',
  probe_ip_protocol: 'Specifies whether probe ip protocol is IP4 or IP6',
  probe_ip_addr_hash: "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
  probe_http_duration_seconds: 'Duration of http request by phase, summed over all redirects',
  probe_http_content_length: 'Length of http content response',
  probe_http_uncompressed_body_length: 'Length of uncompressed response body',
  probe_http_redirects: 'The number of redirects',
  probe_http_ssl: 'Indicates if SSL was used for the final redirect',
  probe_http_status_code: 'Response HTTP status code',
  probe_http_version: 'Returns the version of HTTP of the probe response',
  probe_failed_due_to_regex: 'Indicates if probe failed due to regex',
  probe_ssl_earliest_cert_expiry: 'Returns last SSL chain expiry in unixtime',
  probe_tls_version_info: 'Returns the TLS version used or NaN when unknown',
  probe_dns_duration_seconds: 'Duration of DNS request by phase',
  probe_dns_answer_rrs: 'Returns number of entries in the answer resource record list',
  probe_dns_authority_rrs: 'Returns number of entries in the authority resource record list',
  probe_dns_additional_rrs: 'Returns number of entries in the additional resource record list',
  probe_dns_query_succeeded: 'Displays whether or not the query was executed successfully',
  probe_icmp_duration_seconds: 'Duration of icmp request by phase',
} as const;

export type ProbeMetricName = keyof typeof HELP;

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const HTTP_PHASES: readonly ProbePhase[] = ['resolve', 'connect', 'tls', 'processing', 'transfer'];

/** Collects the reasons of a probe for ?debug=true, blackbox-style `msg=...` lines. */
export type DebugLog = (message: string) => void;

function gauge(registry: Registry, name: ProbeMetricName, labelNames: string[] = []): Gauge {
  return new Gauge({ name, help: HELP[name], labelNames, registers: [registry] });
}

function seconds(ms: number | undefined): number {
  return (ms ?? 0) / 1000;
}

/** Go's tls version names, as blackbox labels them (`TLS 1.3`). */
export function tlsVersionLabel(nodeVersion: string | undefined): string {
  const m = /^TLSv1(?:\.(\d))?$/.exec(nodeVersion ?? '');
  return m ? `TLS 1.${m[1] ?? '0'}` : 'unknown';
}

/** probe_dns_lookup_time_seconds, probe_ip_protocol, probe_ip_addr_hash (blackbox chooseProtocol). */
function recordResolution(registry: Registry, result: ProbeResult): void {
  gauge(registry, 'probe_dns_lookup_time_seconds').set(seconds(result.phasesMs.resolve));
  gauge(registry, 'probe_ip_protocol').set(result.ip !== undefined ? (result.ipProtocol ?? 0) : 0);
  gauge(registry, 'probe_ip_addr_hash').set(result.ip !== undefined ? ipAddrHash(result.ip) : 0);
}

function recordTls(registry: Registry, result: ProbeResult): void {
  gauge(registry, 'probe_ssl_earliest_cert_expiry').set(Math.floor((result.certificateNotAfterMs ?? 0) / 1000));
  gauge(registry, 'probe_tls_version_info', ['version']).labels(tlsVersionLabel(result.tlsVersion)).set(1);
}

function failure(result: ProbeResult, log: DebugLog, what: string): false {
  log(`msg="${what}" err="${(result.error ?? 'unknown error').replaceAll('"', "'")}"`);
  return false;
}

function matchBody(module: BlackboxModule, body: string, log: DebugLog): boolean {
  for (const re of module.http.failIfBodyMatchesRegexp) {
    if (re.test(body)) {
      log(`msg="Body matched regular expression" regexp="${re.source}"`);
      return false;
    }
  }
  for (const re of module.http.failIfBodyNotMatchesRegexp) {
    if (!re.test(body)) {
      log(`msg="Body did not match regular expression" regexp="${re.source}"`);
      return false;
    }
  }
  return true;
}

function recordHttp(registry: Registry, module: BlackboxModule, result: ProbeResult, log: DebugLog): boolean {
  const http = module.http;
  const durations = gauge(registry, 'probe_http_duration_seconds', ['phase']);
  const contentLength = gauge(registry, 'probe_http_content_length');
  const bodyLength = gauge(registry, 'probe_http_uncompressed_body_length');
  const redirects = gauge(registry, 'probe_http_redirects');
  const ssl = gauge(registry, 'probe_http_ssl');
  const statusCode = gauge(registry, 'probe_http_status_code');
  const version = gauge(registry, 'probe_http_version');
  const failedDueToRegex = gauge(registry, 'probe_failed_due_to_regex');
  recordResolution(registry, result);
  durations.labels('resolve').set(seconds(result.phasesMs.resolve));
  if (result.ip === undefined) return failure(result, log, 'Error resolving address');
  for (const phase of HTTP_PHASES) durations.labels(phase).set(seconds(result.phasesMs[phase]));
  redirects.set(result.redirects ?? 0);
  const status = result.status;
  if (status === undefined) return failure(result, log, 'Error for HTTP request');

  // blackbox counts the redirect it declined to follow (CheckRedirect saw it)
  if (!http.followRedirects && REDIRECT_CODES.has(status)) redirects.set(1);
  log(`msg="Received HTTP response" status_code=${status}`);
  statusCode.set(status);
  contentLength.set(result.contentLength ?? 0);
  bodyLength.set(result.bodyBytes ?? 0);
  const versionNumber = Number((result.httpVersion ?? '').replace(/^HTTP\//, ''));
  version.set(Number.isFinite(versionNumber) ? versionNumber : 0);
  let success = http.validStatusCodes.length > 0 ? http.validStatusCodes.includes(status) : status >= 200 && status < 300;
  if (!success) log(`msg="Invalid HTTP response status code" status_code=${status}`);
  if (success && (http.failIfBodyMatchesRegexp.length > 0 || http.failIfBodyNotMatchesRegexp.length > 0)) {
    success = matchBody(module, result.body ?? '', log);
    failedDueToRegex.set(success ? 0 : 1);
  }
  if (result.error !== undefined) success = failure(result, log, 'Failed to read HTTP response body');
  if (http.bodySizeLimitBytes > 0 && result.bodyTruncated === true) {
    log(`msg="Failed to read HTTP response body" err="http: request body too large"`);
    success = false;
  }
  if (http.validHttpVersions.length > 0 && !http.validHttpVersions.includes(result.httpVersion ?? '')) {
    log(`msg="Invalid HTTP version number" version=${result.httpVersion ?? ''}`);
    success = false;
  }
  if (result.tlsVersion !== undefined) {
    ssl.set(1);
    recordTls(registry, result);
    if (http.failIfSsl) {
      log('msg="Final request was over SSL"');
      success = false;
    }
  } else if (http.failIfNotSsl) {
    log('msg="Final request was not over SSL"');
    success = false;
  }
  return success;
}

function recordTcp(registry: Registry, _module: BlackboxModule, result: ProbeResult, log: DebugLog, plan: ProbePlan): boolean {
  gauge(registry, 'probe_failed_due_to_regex');
  recordResolution(registry, result);
  if (!result.connected) return failure(result, log, 'Error dialing TCP');
  if (plan.kind === 'tls') recordTls(registry, result);
  if (result.error !== undefined) return failure(result, log, 'Error during the TCP exchange');
  log('msg="Successfully dialed"');
  return true;
}

function recordDns(registry: Registry, module: BlackboxModule, result: ProbeResult, log: DebugLog): boolean {
  const durations = gauge(registry, 'probe_dns_duration_seconds', ['phase']);
  for (const phase of ['resolve', 'connect', 'request']) durations.labels(phase).set(0);
  const answer = gauge(registry, 'probe_dns_answer_rrs');
  const authority = gauge(registry, 'probe_dns_authority_rrs');
  const additional = gauge(registry, 'probe_dns_additional_rrs');
  const succeeded = gauge(registry, 'probe_dns_query_succeeded');
  recordResolution(registry, result);
  if (result.ip === undefined) return failure(result, log, 'Error resolving address');
  durations.labels('resolve').set(seconds(result.phasesMs.resolve));
  durations.labels('request').set(seconds(result.phasesMs.processing));
  if (!result.connected) return failure(result, log, 'Error while sending a DNS query');
  const counts = result.dnsRecordCounts ?? { answer: 0, authority: 0, additional: 0 };
  answer.set(counts.answer);
  authority.set(counts.authority);
  additional.set(counts.additional);
  succeeded.set(1);
  const rcode = result.dnsRcode ?? '';
  if (!module.dns.validRcodes.includes(rcode)) {
    log(`msg="Rcode is not one of the valid rcodes" string_rcode=${rcode} valid_rcodes="${module.dns.validRcodes.join(',')}"`);
    return false;
  }
  return true;
}

function recordIcmp(registry: Registry, _module: BlackboxModule, result: ProbeResult, log: DebugLog): boolean {
  const durations = gauge(registry, 'probe_icmp_duration_seconds', ['phase']);
  for (const phase of ['resolve', 'setup', 'rtt']) durations.labels(phase).set(0);
  recordResolution(registry, result);
  durations.labels('resolve').set(seconds(result.phasesMs.resolve));
  if (!result.connected) return failure(result, log, 'Error during the ICMP echo');
  durations.labels('rtt').set(seconds(result.phasesMs.processing));
  log('msg="Found matching reply packet"');
  return true;
}

function recordGrpc(registry: Registry, _module: BlackboxModule, result: ProbeResult, log: DebugLog): boolean {
  recordResolution(registry, result);
  return result.connected && result.error === undefined ? true : failure(result, log, 'gRPC probe failed');
}

const RECORDERS = { http: recordHttp, tcp: recordTcp, dns: recordDns, icmp: recordIcmp, grpc: recordGrpc } as const;

/** Registers the prober's metric families for `result` and returns probe_success. */
export function recordProbeResult(registry: Registry, module: BlackboxModule, plan: ProbePlan, result: ProbeResult, log: DebugLog): boolean {
  return RECORDERS[module.prober](registry, module, result, log, plan);
}

/** probe_success and probe_duration_seconds, registered first, as blackbox's handler does. */
export function createProbeGauges(registry: Registry): { success: Gauge; duration: Gauge } {
  return { success: gauge(registry, 'probe_success'), duration: gauge(registry, 'probe_duration_seconds') };
}
