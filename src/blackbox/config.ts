/**
 * blackbox.yml → BlackboxConfig. Like blackbox_exporter (yaml KnownFields), unknown keys are
 * errors; unlike it, every error is reported at once with file:line:col and key path, as the
 * rest of vigil's configuration. Settings vigil parses but cannot honour are listed per module
 * (warnings at load; a probe of that module fails and says why) rather than silently ignored.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { parseConfigText } from '../config/node.js';
import type { ConfigNode } from '../config/node.js';
import { describe, Issues, scalarText, Section } from '../config/reader.js';
import { isDnsQueryType } from '../probe/dns-query-types.js';
import { BLACKBOX_PROBERS, defaultModule, defaultTls } from './module.js';
import type { BlackboxConfig, BlackboxModule, HeaderMatch, IpProtocol, IpSettings, QueryResponse, TlsSettings } from './module.js';
import { compileGoRegexp } from './regexp.js';

const IP_PROTOCOLS: readonly IpProtocol[] = ['ip4', 'ip6'];
const TLS_KEYS = ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify', 'min_version', 'max_version'];
/** prometheus/common HTTPClientConfig, inlined in blackbox's http section. */
const HTTP_CLIENT_KEYS = [
  'basic_auth', 'authorization', 'oauth2', 'bearer_token', 'bearer_token_file', 'proxy_url', 'tls_config',
  'follow_redirects', 'enable_http2', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header',
];
const HTTP_KEYS = [
  'valid_status_codes', 'valid_http_versions', 'preferred_ip_protocol', 'ip_protocol_fallback',
  'skip_resolve_phase_with_proxy', 'no_follow_redirects', 'fail_if_ssl', 'fail_if_not_ssl', 'method', 'headers',
  'fail_if_body_matches_regexp', 'fail_if_body_not_matches_regexp', 'fail_if_header_matches',
  'fail_if_header_not_matches', 'body', 'compression', 'body_size_limit', ...HTTP_CLIENT_KEYS,
];
const DNS_RR_VALIDATOR_KEYS = ['fail_if_matches_regexp', 'fail_if_all_match_regexp', 'fail_if_not_matches_regexp', 'fail_if_none_matches_regexp'];
const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

function regexps(section: Section, key: string): RegExp[] {
  const out: RegExp[] = [];
  section.list(key).forEach((node, i) => {
    const path = `${section.child(key)}[${i}]`;
    if (node.kind !== 'scalar' || node.value === null) {
      section.issues.error(node.loc, path, `expected a regular expression, got ${describe(node)}`);
      return;
    }
    const compiled = compileGoRegexp(scalarText(node));
    if (typeof compiled === 'string') section.issues.error(node.loc, path, compiled);
    else out.push(compiled);
  });
  return out;
}

function regexpField(section: Section, key: string): RegExp | undefined {
  if (!section.has(key)) return undefined;
  const compiled = compileGoRegexp(section.str(key));
  if (typeof compiled === 'string') {
    section.error(key, compiled);
    return undefined;
  }
  return compiled;
}

function strings(section: Section, key: string): string[] {
  return section.list(key).flatMap((node, i) => {
    if (node.kind === 'scalar' && node.value !== null) return [scalarText(node)];
    section.issues.error(node.loc, `${section.child(key)}[${i}]`, `expected a string, got ${describe(node)}`);
    return [];
  });
}

function readIp(section: Section): IpSettings {
  return {
    preferredIpProtocol: section.oneOf('preferred_ip_protocol', IP_PROTOCOLS, 'ip6'),
    ipProtocolFallback: section.bool('ip_protocol_fallback', true),
  };
}

function readTls(parent: Section, key: string, unsupported: string[]): TlsSettings {
  const tls = defaultTls();
  if (!parent.has(key)) return tls;
  const section = parent.section(key);
  section.checkKeys({ known: TLS_KEYS });
  tls.insecureSkipVerify = section.bool('insecure_skip_verify', false);
  if (section.has('ca_file')) tls.caFile = section.str('ca_file');
  if (section.has('cert_file')) tls.certFile = section.str('cert_file');
  if (section.has('key_file')) tls.keyFile = section.str('key_file');
  if (section.has('server_name')) tls.serverName = section.str('server_name');
  for (const k of ['min_version', 'max_version']) if (section.has(k)) unsupported.push(section.child(k));
  return tls;
}

function readHeaderMatches(section: Section, key: string): HeaderMatch[] {
  const out: HeaderMatch[] = [];
  section.list(key).forEach((node, i) => {
    const item = Section.of(section.issues, node, `${section.child(key)}[${i}]`, node.loc);
    item.checkKeys({ known: ['header', 'regexp', 'allow_missing'] });
    const header = item.required('header');
    const regexp = regexpField(item, 'regexp');
    if (!item.has('regexp')) item.issues.error(item.loc, item.child('regexp'), 'required');
    if (regexp) out.push({ header, regexp, allowMissing: item.bool('allow_missing', false) });
  });
  return out;
}

function byteSize(section: Section, key: string): number {
  if (!section.has(key)) return 0;
  const text = section.str(key);
  const m = /^(\d+)\s*([KMGT]i?B|B)?$/.exec(text);
  const unit = SIZE_UNITS[m?.[2] ?? ''];
  if (!m || unit === undefined) {
    section.error(key, `invalid size "${text}": expected e.g. 1024, 10KB, 5MB`);
    return 0;
  }
  return Number(m[1]) * unit;
}

function readHttp(section: Section, module: BlackboxModule): void {
  section.checkKeys({ known: HTTP_KEYS });
  const http = module.http;
  const unsupported = module.unsupported;
  Object.assign(http, readIp(section));
  section.list('valid_status_codes').forEach((node, i) => {
    const code = node.kind === 'scalar' ? Number(node.value) : Number.NaN;
    if (!Number.isInteger(code) || code < 100 || code > 999) {
      section.issues.error(node.loc, `${section.child('valid_status_codes')}[${i}]`, 'expected an HTTP status code');
    } else http.validStatusCodes.push(code);
  });
  http.validHttpVersions = strings(section, 'valid_http_versions');
  http.method = section.str('method', 'GET').toUpperCase() || 'GET';
  http.headers = section.stringMap('headers');
  http.body = section.str('body');
  http.followRedirects = section.bool('follow_redirects', true);
  if (section.has('no_follow_redirects')) http.followRedirects = !section.bool('no_follow_redirects', false);
  http.failIfSsl = section.bool('fail_if_ssl', false);
  http.failIfNotSsl = section.bool('fail_if_not_ssl', false);
  http.failIfBodyMatchesRegexp = regexps(section, 'fail_if_body_matches_regexp');
  http.failIfBodyNotMatchesRegexp = regexps(section, 'fail_if_body_not_matches_regexp');
  http.failIfHeaderMatches = readHeaderMatches(section, 'fail_if_header_matches');
  http.failIfHeaderNotMatches = readHeaderMatches(section, 'fail_if_header_not_matches');
  if (http.failIfHeaderMatches.length > 0) unsupported.push(section.child('fail_if_header_matches'));
  if (http.failIfHeaderNotMatches.length > 0) unsupported.push(section.child('fail_if_header_not_matches'));
  http.tls = readTls(section, 'tls_config', unsupported);
  http.bodySizeLimitBytes = byteSize(section, 'body_size_limit');
  if (section.has('proxy_url')) http.proxyUrl = section.str('proxy_url');
  if (section.has('basic_auth')) {
    const auth = section.section('basic_auth');
    auth.checkKeys({ known: ['username', 'password', 'password_file'] });
    if (auth.has('password_file')) unsupported.push(auth.child('password_file'));
    const credentials = `${auth.str('username')}:${auth.str('password')}`;
    http.headers['Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  if (section.has('bearer_token')) http.headers['Authorization'] = `Bearer ${section.str('bearer_token')}`;
  if (section.has('authorization')) {
    const auth = section.section('authorization');
    auth.checkKeys({ known: ['type', 'credentials', 'credentials_file'] });
    if (auth.has('credentials_file')) unsupported.push(auth.child('credentials_file'));
    http.headers['Authorization'] = `${auth.str('type', 'Bearer')} ${auth.str('credentials')}`;
  }
  for (const key of ['oauth2', 'bearer_token_file', 'compression', 'skip_resolve_phase_with_proxy', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header']) {
    if (section.has(key)) unsupported.push(section.child(key));
  }
}

function readQueryResponse(section: Section): QueryResponse[] {
  return section.list('query_response').map((node, i) => {
    const item = Section.of(section.issues, node, `${section.child('query_response')}[${i}]`, node.loc);
    item.checkKeys({ known: ['expect', 'send', 'starttls'] });
    const step: QueryResponse = { starttls: item.bool('starttls', false) };
    const expect = regexpField(item, 'expect');
    if (expect) step.expect = expect;
    if (item.has('send')) step.send = item.str('send');
    return step;
  });
}

function readTcp(section: Section, module: BlackboxModule): void {
  section.checkKeys({ known: ['preferred_ip_protocol', 'ip_protocol_fallback', 'source_ip_address', 'query_response', 'tls', 'tls_config'] });
  Object.assign(module.tcp, readIp(section));
  module.tcp.tls = section.bool('tls', false);
  module.tcp.tlsConfig = readTls(section, 'tls_config', module.unsupported);
  module.tcp.queryResponse = readQueryResponse(section);
  if (module.tcp.queryResponse.length > 0) module.unsupported.push(section.child('query_response'));
  if (section.has('source_ip_address')) module.unsupported.push(section.child('source_ip_address'));
}

function readIcmp(section: Section, module: BlackboxModule): void {
  section.checkKeys({ known: ['preferred_ip_protocol', 'ip_protocol_fallback', 'source_ip_address', 'payload_size', 'dont_fragment', 'ttl'] });
  Object.assign(module.icmp, readIp(section));
  module.icmp.ttl = section.int('ttl', module.icmp.ttl, 0, 255);
  if (module.icmp.ttl !== 64) module.unsupported.push(section.child('ttl'));
  for (const key of ['source_ip_address', 'payload_size', 'dont_fragment']) {
    if (section.has(key)) module.unsupported.push(section.child(key));
  }
}

function readDns(section: Section, module: BlackboxModule): void {
  section.checkKeys({
    known: [
      'preferred_ip_protocol', 'ip_protocol_fallback', 'dns_over_tls', 'tls_config', 'source_ip_address',
      'transport_protocol', 'query_class', 'query_name', 'query_type', 'recursion_desired', 'valid_rcodes',
      'validate_answer_rrs', 'validate_authority_rrs', 'validate_additional_rrs',
    ],
  });
  const dns = module.dns;
  Object.assign(dns, readIp(section));
  dns.queryName = section.str('query_name');
  if (dns.queryName === '') section.issues.error(section.loc, section.child('query_name'), 'query name must be set for DNS module');
  dns.queryType = section.str('query_type', 'ANY').toUpperCase();
  if (section.has('valid_rcodes')) dns.validRcodes = strings(section, 'valid_rcodes');
  dns.transportProtocol = section.oneOf('transport_protocol', ['udp', 'tcp'] as const, 'udp');
  readTls(section, 'tls_config', module.unsupported);
  if (dns.transportProtocol === 'tcp') module.unsupported.push(section.child('transport_protocol'));
  if (section.bool('dns_over_tls', false)) module.unsupported.push(section.child('dns_over_tls'));
  if (!section.bool('recursion_desired', true)) module.unsupported.push(section.child('recursion_desired'));
  if (section.str('query_class', 'IN').toUpperCase() !== 'IN') module.unsupported.push(section.child('query_class'));
  if (section.has('source_ip_address')) module.unsupported.push(section.child('source_ip_address'));
  for (const key of ['validate_answer_rrs', 'validate_authority_rrs', 'validate_additional_rrs']) {
    if (!section.has(key)) continue;
    const validator = section.section(key);
    validator.checkKeys({ known: DNS_RR_VALIDATOR_KEYS });
    for (const k of DNS_RR_VALIDATOR_KEYS) regexps(validator, k);
    module.unsupported.push(section.child(key));
  }
}

function readGrpc(section: Section, module: BlackboxModule): void {
  section.checkKeys({ known: ['service', 'tls', 'tls_config', 'ip_protocol_fallback', 'preferred_ip_protocol'] });
  module.grpc.service = section.str('service');
  module.grpc.tls = section.bool('tls', false);
  module.grpc.tlsConfig = readTls(section, 'tls_config', module.unsupported);
  Object.assign(module.grpc, readIp(section));
}

const READERS = { http: readHttp, tcp: readTcp, icmp: readIcmp, dns: readDns, grpc: readGrpc } as const;

function readModule(name: string, node: ConfigNode, path: string, issues: Issues): BlackboxModule | undefined {
  const section = Section.of(issues, node, path, node.loc);
  section.checkKeys({ known: ['prober', 'timeout', ...BLACKBOX_PROBERS] });
  const proberName = section.required('prober');
  const prober = BLACKBOX_PROBERS.find((p) => p === proberName);
  if (proberName !== '' && prober === undefined) section.error('prober', `unknown prober "${proberName}" (known: ${BLACKBOX_PROBERS.join(', ')})`);
  const module = defaultModule(name, prober ?? 'http');
  module.timeoutMs = section.durationMs('timeout', 0);
  if (module.timeoutMs < 0) section.error('timeout', 'must not be negative');
  for (const key of BLACKBOX_PROBERS) {
    // every section is validated, as blackbox does, even when another prober is selected
    if (section.has(key)) READERS[key](section.section(key), module);
  }
  if (prober === 'dns' && !section.has('dns')) section.issues.error(section.loc, section.child('dns.query_name'), 'query name must be set for DNS module');
  if (prober === 'grpc') module.unsupported.push(`${section.child('prober')}: grpc`);
  if (prober === 'dns' && !isDnsQueryType(module.dns.queryType)) {
    module.unsupported.push(`${section.child('dns.query_type')}: ${module.dns.queryType}`);
  }
  return prober === undefined ? undefined : module;
}

export interface LoadedBlackboxConfig {
  config: BlackboxConfig;
  /** One per setting vigil parses but does not implement. */
  warnings: ConfigIssue[];
}

/** Parses blackbox.yml text. Throws ConfigError listing every problem. */
export function parseBlackboxConfig(file: string, text: string): LoadedBlackboxConfig {
  const parsed = parseConfigText(file, text, null);
  const issues = new Issues();
  issues.errors.push(...parsed.errors);
  const fallback = { file, line: 1, col: 1 };
  const modules = new Map<string, BlackboxModule>();
  if (parsed.errors.length === 0) {
    const root = Section.of(issues, parsed.root, '', fallback);
    root.checkKeys({ known: ['modules'] });
    const modulesSection = root.section('modules');
    for (const [name, entry] of modulesSection.node.entries) {
      const module = readModule(name, entry.value, modulesSection.child(name), issues);
      if (module === undefined) continue;
      modules.set(name, module);
      for (const setting of module.unsupported) {
        issues.warnOnce(setting, entry.keyLoc, setting, 'blackbox setting not implemented by vigil: probes of this module fail');
      }
    }
  }
  if (issues.errors.length > 0) throw new ConfigError(issues.errors, 'VIGIL_BLACKBOX_CONFIG_INVALID');
  return { config: { source: file, modules }, warnings: issues.warnings };
}

/** Reads and parses a blackbox.yml file. Throws ConfigError (file-level when unreadable). */
export async function loadBlackboxConfig(file: string): Promise<LoadedBlackboxConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file, line: 0, col: 0, path: '', message: `cannot read blackbox config: ${reason}` }], 'VIGIL_BLACKBOX_CONFIG_INVALID');
  }
  return parseBlackboxConfig(file, text);
}
