/** vigil's own section `vigil:` → VigilSection, defaults applied. */
import {
  DEFAULT_ALERTMANAGER_TIMEOUT_MS,
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_CONCURRENT_PROBES,
  DEFAULT_PROBE_MAX_CONCURRENT,
  DEFAULT_PROBE_MAX_TIMEOUT_MS,
  DEFAULT_RDAP_BASE_URL,
  DEFAULT_RESEND_INTERVAL_MS,
} from './schema.js';
import type { AlertmanagerTarget, VigilSection } from './schema.js';
import type { ConfigNode } from './node.js';
import { checkAllowlistEntry } from '../blackbox/allowlist.js';
import { describe, scalarText, Section } from './reader.js';
import type { Issues } from './reader.js';
import { readShard } from './shard.js';

const RESOLVE_MODES = ['confirm', 'explicit', 'expire'] as const;

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** An Alertmanager base URL: absolute http(s), no trailing slash. Never echoed (may hold credentials). */
function checkAlertmanagerUrl(text: string): string | undefined {
  return isHttpUrl(text) ? text.replace(/\/+$/, '') : undefined;
}

const BAD_URL = 'invalid Alertmanager URL: expected an absolute http:// or https:// URL such as http://alertmanager:9093/';

function readAlertmanager(node: ConfigNode, path: string, issues: Issues): AlertmanagerTarget | undefined {
  if (node.kind === 'scalar') {
    const url = checkAlertmanagerUrl(String(node.value ?? ''));
    if (url === undefined) {
      issues.error(node.loc, path, BAD_URL);
      return undefined;
    }
    return { url, timeoutMs: DEFAULT_ALERTMANAGER_TIMEOUT_MS };
  }
  const section = Section.of(issues, node, path, node.loc);
  section.checkKeys({ known: ['url', 'timeout', 'basic-auth', 'bearer-token', 'tls'] });
  const raw = section.required('url');
  const url = raw === '' ? undefined : checkAlertmanagerUrl(raw);
  if (raw !== '' && url === undefined) section.error('url', BAD_URL);
  const target: AlertmanagerTarget = {
    url: url ?? '',
    timeoutMs: section.durationMs('timeout', DEFAULT_ALERTMANAGER_TIMEOUT_MS),
  };
  if (target.timeoutMs <= 0) section.error('timeout', 'must be greater than 0');
  if (section.has('basic-auth')) {
    const auth = section.section('basic-auth');
    auth.checkKeys({ known: ['username', 'password'] });
    target.basicAuth = { username: auth.required('username'), password: auth.str('password') };
  }
  if (section.has('bearer-token')) target.bearerToken = section.str('bearer-token');
  if (target.basicAuth !== undefined && target.bearerToken !== undefined) {
    section.error('bearer-token', 'basic-auth and bearer-token are mutually exclusive');
  }
  if (section.has('tls')) {
    const tls = section.section('tls');
    tls.checkKeys({ known: ['insecure', 'ca-file', 'cert-file', 'key-file'] });
    target.tls = { insecure: tls.bool('insecure', false) };
    if (tls.has('ca-file')) target.tls.caFile = tls.str('ca-file');
    if (tls.has('cert-file')) target.tls.certificateFile = tls.str('cert-file');
    if (tls.has('key-file')) target.tls.privateKeyFile = tls.str('key-file');
    if ((target.tls.certificateFile === undefined) !== (target.tls.privateKeyFile === undefined)) {
      tls.error(tls.has('cert-file') ? 'cert-file' : 'key-file', 'cert-file and key-file must be set together');
    }
  }
  return url === undefined ? undefined : target;
}

/**
 * Defaults from Gatus keys: `metrics: true` turns the gatus_results_* families on, and
 * `storage.maximum-number-of-results` sizes the history, unless the vigil: section says otherwise.
 */
export function readVigil(section: Section, defaults: { gatusMetrics: boolean; historySize: number } = { gatusMetrics: false, historySize: DEFAULT_HISTORY_SIZE }): VigilSection {
  section.checkKeys({
    known: [
      'alertmanagers', 'resend-interval', 'external-labels', 'resolve', 'history-size', 'max-concurrent-probes',
      'gatus-metrics', 'duration-histogram', 'phase-metrics', 'probe-allowlist', 'rdap-base-url', 'probe-max-concurrent', 'probe-max-timeout', 'shard',
    ],
  });
  const alertmanagers: AlertmanagerTarget[] = [];
  section.list('alertmanagers').forEach((node, i) => {
    const target = readAlertmanager(node, `${section.child('alertmanagers')}[${i}]`, section.issues);
    if (target !== undefined) alertmanagers.push(target);
  });
  const resendIntervalMs = section.durationMs('resend-interval', DEFAULT_RESEND_INTERVAL_MS);
  if (resendIntervalMs <= 0) section.error('resend-interval', 'must be greater than 0');
  const vigil: VigilSection = {
    alertmanagers,
    resendIntervalMs: resendIntervalMs > 0 ? resendIntervalMs : DEFAULT_RESEND_INTERVAL_MS,
    externalLabels: section.stringMap('external-labels', true),
    resolve: section.oneOf('resolve', RESOLVE_MODES, 'confirm'),
    historySize: section.int('history-size', defaults.historySize, 1),
    maxConcurrentProbes: section.int('max-concurrent-probes', DEFAULT_MAX_CONCURRENT_PROBES, 1),
    gatusMetrics: section.bool('gatus-metrics', defaults.gatusMetrics),
    durationHistogram: section.bool('duration-histogram', false),
    phaseMetrics: section.bool('phase-metrics', false),
    rdapBaseUrl: section.str('rdap-base-url', DEFAULT_RDAP_BASE_URL),
    probeMaxConcurrent: section.int('probe-max-concurrent', DEFAULT_PROBE_MAX_CONCURRENT, 1),
    probeMaxTimeoutMs: section.durationMs('probe-max-timeout', DEFAULT_PROBE_MAX_TIMEOUT_MS),
  };
  if (vigil.probeMaxTimeoutMs <= 0) section.error('probe-max-timeout', 'must be greater than 0');
  if (!isHttpUrl(vigil.rdapBaseUrl)) section.error('rdap-base-url', 'expected an absolute http:// or https:// URL');
  if (section.has('probe-allowlist')) vigil.probeAllowlist = readProbeAllowlist(section);
  if (section.has('shard')) vigil.shard = readShard(section.section('shard'));
  return vigil;
}

function readProbeAllowlist(section: Section): string[] {
  const entries: string[] = [];
  section.list('probe-allowlist').forEach((node, i) => {
    const path = `${section.child('probe-allowlist')}[${i}]`;
    if (node.kind !== 'scalar' || node.value === null) {
      section.issues.error(node.loc, path, `expected a string, got ${describe(node)}`);
      return;
    }
    const entry = scalarText(node);
    const problem = checkAllowlistEntry(entry);
    if (problem === undefined) entries.push(entry);
    else section.issues.error(node.loc, path, problem);
  });
  return entries;
}
