/** `endpoints[]` and `external-endpoints[]`: defaults, then validation, then the probe target. */
import type { CompiledCondition } from '../conditions/types.js';
import { ConditionSyntaxError } from '../errors.js';
import type { ProbeKind, ProbeTarget } from '../probe/types.js';
import { redactText } from '../redact.js';
import { readAlerts } from './alerts.js';
import type { DefaultAlerts } from './alerts.js';
import { readClient } from './client.js';
import {
  GATUS_ENDPOINT_IGNORED,
  GATUS_SCHEMES_UNPROBED,
} from './gatus-keys.js';
import { endpointKey } from './key.js';
import { readMaintenanceWindows } from './maintenance.js';
import type { ConfigNode } from './node.js';
import { Section } from './reader.js';
import type { Issues } from './reader.js';
import { DEFAULT_ENDPOINT_UI, DEFAULT_INTERVAL_MS } from './schema.js';
import type { ConditionEntry, EndpointConfig, EndpointUi, ExternalEndpointConfig } from './schema.js';

export type ConditionCompiler = (text: string) => CompiledCondition;

export interface EndpointContext {
  issues: Issues;
  compile: ConditionCompiler;
  alertDefaults: DefaultAlerts;
}

/** URL scheme → probe kind. Endpoints with a `dns:` block are `dns` whatever their URL. */
const SCHEME_KINDS: Readonly<Record<string, ProbeKind>> = {
  'http:': 'http',
  'https:': 'http',
  'tcp:': 'tcp',
  'udp:': 'udp',
  'tls:': 'tls',
  'starttls:': 'starttls',
  'icmp:': 'icmp',
  'ws:': 'websocket',
  'wss:': 'websocket',
  'grpc:': 'grpc',
  'grpcs:': 'grpc',
  'ssh:': 'ssh',
};

/** Kinds whose URL must name a port. */
const NEEDS_PORT: readonly ProbeKind[] = ['tcp', 'udp', 'tls'];

const DNS_QUERY_TYPES = [
  'A', 'AAAA', 'ANY', 'CAA', 'CNAME', 'DNSKEY', 'DS', 'HINFO', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV',
  'SSHFP', 'TLSA', 'TXT',
];

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const INVALID_URL = new URL('about:invalid');

const DOMAIN_EXPIRATION_MIN_INTERVAL_MS = 5 * 60_000;

function readName(section: Section, key: string, required: boolean): string {
  const value = required ? section.required(key) : section.str(key);
  if (/["\\]/.test(value)) section.error(key, 'must not contain " or \\');
  return value;
}

function readUi(section: Section): EndpointUi {
  section.checkKeys({
    known: [
      'hide-conditions', 'hide-hostname', 'hide-port', 'hide-url', 'hide-errors',
      'dont-resolve-failed-conditions', 'resolve-successful-conditions', 'badge',
    ],
    gatus: true,
  });
  return {
    hideConditions: section.bool('hide-conditions', DEFAULT_ENDPOINT_UI.hideConditions),
    hideHostname: section.bool('hide-hostname', DEFAULT_ENDPOINT_UI.hideHostname),
    hidePort: section.bool('hide-port', DEFAULT_ENDPOINT_UI.hidePort),
    hideUrl: section.bool('hide-url', DEFAULT_ENDPOINT_UI.hideUrl),
    hideErrors: section.bool('hide-errors', DEFAULT_ENDPOINT_UI.hideErrors),
    dontResolveFailedConditions: section.bool('dont-resolve-failed-conditions', DEFAULT_ENDPOINT_UI.dontResolveFailedConditions),
    resolveSuccessfulConditions: section.bool('resolve-successful-conditions', DEFAULT_ENDPOINT_UI.resolveSuccessfulConditions),
    responseTimeThresholdsMs: section.has('badge') ? readBadgeThresholds(section.section('badge')) : DEFAULT_ENDPOINT_UI.responseTimeThresholdsMs,
  };
}

/** Gatus `ui.badge.response-time.thresholds`: exactly 5 ascending numbers (ms). */
function readBadgeThresholds(badge: Section): readonly number[] {
  badge.checkKeys({ known: ['response-time'], gatus: true });
  const responseTime = badge.section('response-time');
  responseTime.checkKeys({ known: ['thresholds'], gatus: true });
  const values = responseTime.list('thresholds').map((n) => (n.kind === 'scalar' && typeof n.value === 'number' && Number.isInteger(n.value) ? n.value : Number.NaN));
  const ascending = values.every((v, i) => !Number.isNaN(v) && (i === 0 || v >= (values[i - 1] ?? 0)));
  if (values.length !== 5 || !ascending) {
    responseTime.error('thresholds', 'expected 5 ascending integers (ms), e.g. [50, 200, 300, 500, 750]');
    return DEFAULT_ENDPOINT_UI.responseTimeThresholdsMs;
  }
  return values;
}

/** The reason part of a ConditionSyntaxError (its message also quotes the condition). */
function conditionReason(err: ConditionSyntaxError): string {
  const marker = `at position ${err.position}: `;
  const at = err.message.indexOf(marker);
  return at >= 0 ? err.message.slice(at + marker.length) : err.message;
}

function readConditions(section: Section, ctx: EndpointContext, intervalMs: number): ConditionEntry[] {
  const items = section.list('conditions');
  if (items.length === 0) {
    section.issues.error(section.locOf('conditions'), section.child('conditions'), 'at least one condition is required');
    return [];
  }
  const out: ConditionEntry[] = [];
  items.forEach((item, i) => {
    const path = `${section.child('conditions')}[${i}]`;
    if (item.kind !== 'scalar' || typeof item.value !== 'string') {
      ctx.issues.error(item.loc, path, 'expected a condition string (quote conditions that start with [)');
      return;
    }
    try {
      const compiled = ctx.compile(item.value);
      if (compiled.placeholders.includes('[DOMAIN_EXPIRATION]') && intervalMs < DOMAIN_EXPIRATION_MIN_INTERVAL_MS) {
        ctx.issues.error(item.loc, path, '[DOMAIN_EXPIRATION] requires an interval of at least 5m');
      }
      out.push({ text: item.expandedFrom?.text ?? item.value, compiled });
    } catch (err) {
      if (err instanceof ConditionSyntaxError) {
        const col = item.textCol === undefined ? item.loc.col : item.textCol + err.position;
        ctx.issues.error({ ...item.loc, col }, path, redactText(conditionReason(err)));
      } else {
        ctx.issues.error(item.loc, path, redactText(err instanceof Error ? err.message : String(err)));
      }
    }
  });
  return out;
}

function readDns(section: Section): NonNullable<ProbeTarget['dns']> {
  section.checkKeys({ known: ['query-type', 'query-name'], gatus: true });
  const queryType = section.required('query-type').toUpperCase();
  if (queryType !== '' && !DNS_QUERY_TYPES.includes(queryType)) {
    section.error('query-type', `unknown DNS query type (known: ${DNS_QUERY_TYPES.join(', ')})`);
  }
  let queryName = section.required('query-name');
  if (queryName !== '' && !queryName.endsWith('.')) queryName += '.';
  return { queryType, queryName };
}

const PRIVATE_KEY_PEM = /^-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END ([A-Z0-9]+ )?PRIVATE KEY-----\s*$/;

function readSsh(section: Section): NonNullable<ProbeTarget['ssh']> {
  section.checkKeys({ known: ['username', 'password', 'private-key'], gatus: true });
  const username = section.str('username');
  const password = section.str('password');
  const privateKey = section.str('private-key');
  if (username === '' && (password !== '' || privateKey !== '')) section.error('username', 'required when a password or private-key is set');
  if (username !== '' && password === '' && privateKey === '') section.error('password', 'required when a username is set (or a private-key)');
  // never echoes the key: only says what is wrong with it
  if (privateKey !== '' && !PRIVATE_KEY_PEM.test(privateKey.trim())) section.error('private-key', 'expected a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)');
  if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(privateKey)) section.error('private-key', 'encrypted private keys are not supported (Gatus has no passphrase setting either)');
  return privateKey === '' ? { username, password } : { username, password, privateKey };
}

/** Gatus `graphql: true`: the body becomes `{"query": body}`, sent as JSON unless a Content-Type is set. */
function graphql(target: ProbeTarget): void {
  target.body = JSON.stringify({ query: target.body });
  if (!Object.keys(target.headers).some((h) => h.toLowerCase() === 'content-type')) target.headers = { ...target.headers, 'Content-Type': 'application/json' };
}

interface Target {
  kind: ProbeKind;
  url: URL;
  raw: string;
  /** False for a Gatus scheme vigil cannot probe: the endpoint loads disabled, with a warning. */
  probed?: false;
}

/** Parses the URL and picks the kind; errors never echo the URL (it may hold credentials). */
function readTarget(section: Section, isDns: boolean): Target {
  const raw = section.required('url');
  if (raw === '') return { kind: 'http', url: INVALID_URL, raw };
  if (isDns) {
    const text = raw.includes('://') ? raw : `dns://${raw}`;
    if (!URL.canParse(text)) {
      section.error('url', 'invalid DNS server: expected a host such as 8.8.8.8 or 8.8.8.8:53');
      return { kind: 'dns', url: INVALID_URL, raw };
    }
    return { kind: 'dns', url: new URL(text), raw };
  }
  if (!URL.canParse(raw)) {
    section.error('url', 'invalid URL');
    return { kind: 'http', url: INVALID_URL, raw };
  }
  const url = new URL(raw);
  const scheme = url.protocol.slice(0, -1);
  if (GATUS_SCHEMES_UNPROBED.includes(scheme)) {
    const path = section.child('url');
    section.issues.warnOnce(path, section.locOf('url'), path, `${scheme} endpoints are not implemented by vigil; this endpoint is not probed`);
    // Never probed (disabled), so the kind is only a placeholder: Gatus' SCTP check is a connect check, like tcp.
    return { kind: 'tcp', url, raw, probed: false };
  }
  const kind = SCHEME_KINDS[url.protocol];
  if (kind === undefined) {
    section.error('url', `unsupported URL scheme "${scheme}" (supported: ${Object.keys(SCHEME_KINDS).map((s) => s.slice(0, -1)).join(', ')}, or a dns: block)`);
    return { kind: 'http', url, raw };
  }
  if (NEEDS_PORT.includes(kind) && url.port === '') section.error('url', `${kind} URLs need a port, e.g. ${url.protocol}//host:port`);
  if (url.hostname === '') section.error('url', 'URL has no host');
  return { kind, url, raw };
}

export function readEndpoint(node: ConfigNode, index: number, ctx: EndpointContext): Omit<EndpointConfig, 'redactor'> {
  const section = Section.of(ctx.issues, node, `endpoints[${index}]`, node.loc);
  section.checkKeys({
    known: [
      'name', 'group', 'url', 'method', 'headers', 'body', 'interval', 'conditions', 'alerts', 'client', 'ui',
      'extra-labels', 'enabled', 'dns', 'ssh', 'maintenance-windows', 'graphql',
    ],
    ignored: GATUS_ENDPOINT_IGNORED,
    gatus: true,
  });
  const name = readName(section, 'name', true);
  const group = readName(section, 'group', false);
  const isDns = section.has('dns');
  const { kind, url, raw, probed } = readTarget(section, isDns);
  const method = section.str('method', 'GET');
  if (!HTTP_TOKEN.test(method)) section.error('method', 'invalid HTTP method');
  let intervalMs = section.durationMs('interval', DEFAULT_INTERVAL_MS);
  if (intervalMs <= 0) intervalMs = DEFAULT_INTERVAL_MS;
  const target: ProbeTarget = {
    url,
    method: method.toUpperCase(),
    headers: section.stringMap('headers'),
    body: section.str('body'),
  };
  if (section.bool('graphql', false)) graphql(target);
  if (isDns) target.dns = readDns(section.section('dns'));
  if (section.has('ssh')) {
    if (kind !== 'ssh') section.error('ssh', 'only valid for ssh:// URLs');
    target.ssh = readSsh(section.section('ssh'));
  }
  return {
    name,
    group,
    key: endpointKey(group, name),
    enabled: section.bool('enabled', true) && probed !== false,
    kind,
    url: raw,
    target,
    client: readClient(section.section('client')),
    intervalMs,
    conditions: readConditions(section, ctx, intervalMs),
    alerts: readAlerts(section.list('alerts'), section.child('alerts'), ctx.issues, ctx.alertDefaults),
    ui: readUi(section.section('ui')),
    labels: section.stringMap('extra-labels', true),
    maintenanceWindows: readMaintenanceWindows(section),
  };
}

const MIN_HEARTBEAT_MS = 10_000;

export function readExternalEndpoint(node: ConfigNode, index: number, ctx: EndpointContext): Omit<ExternalEndpointConfig, 'redactor'> {
  const section = Section.of(ctx.issues, node, `external-endpoints[${index}]`, node.loc);
  section.checkKeys({
    known: ['name', 'group', 'token', 'alerts', 'heartbeat', 'enabled', 'extra-labels', 'maintenance-windows'],
    gatus: true,
  });
  const name = readName(section, 'name', true);
  const group = readName(section, 'group', false);
  const token = section.required('token');
  const heartbeat = section.section('heartbeat');
  heartbeat.checkKeys({ known: ['interval'], gatus: true });
  const heartbeatIntervalMs = heartbeat.durationMs('interval', 0);
  if (heartbeatIntervalMs !== 0 && heartbeatIntervalMs < MIN_HEARTBEAT_MS) heartbeat.error('interval', 'must be 0 (disabled) or at least 10s');
  return {
    name,
    group,
    key: endpointKey(group, name),
    enabled: section.bool('enabled', true),
    token,
    alerts: readAlerts(section.list('alerts'), section.child('alerts'), ctx.issues, ctx.alertDefaults),
    heartbeatIntervalMs,
    labels: section.stringMap('extra-labels', true),
    maintenanceWindows: readMaintenanceWindows(section),
  };
}
