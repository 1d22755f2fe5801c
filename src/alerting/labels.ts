/**
 * Alert labels and annotations. Labels must be identical on every replica (Alertmanager
 * deduplicates by their fingerprint), so nothing replica-specific ever becomes a label:
 * the replica goes into the annotations. The validator applies Alertmanager's own rules
 * for POST /api/v2/alerts, so an alert it would reject is never sent.
 */
import type { AlertRule, EndpointConfig } from '../config/schema.js';
import type { ConditionResult } from '../check/types.js';
import { MAX_RENDERED_CONDITION_CHARS, truncateText } from '../truncate.js';
import type { PostableAlert } from './types.js';

export const ENDPOINT_DOWN = 'EndpointDown';
export const CERTIFICATE_EXPIRING_SOON = 'CertificateExpiringSoon';
export const WATCHDOG = 'Watchdog';

/** Label names that identify a replica; dropped from user labels so replicas stay identical. */
export const REPLICA_LABEL_NAMES: ReadonlySet<string> = new Set(['replica', '__replica__', 'prometheus_replica']);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const CERTIFICATE_PLACEHOLDER = '[CERTIFICATE_EXPIRATION]';

/** The endpoint fields alerting reads (EndpointConfig and ExternalEndpointConfig both have them). */
export type AlertableEndpoint = Pick<EndpointConfig, 'name' | 'group' | 'key' | 'enabled' | 'alerts' | 'labels' | 'redactor'>;

export interface AlertContext {
  endpoint: AlertableEndpoint;
  rule: AlertRule;
  externalLabels: Readonly<Record<string, string>>;
  /** Conditions of the check that fired (empty when unknown). */
  conditionResults: readonly ConditionResult[];
  /** This replica's name: an annotation, never a label. */
  replica: string;
  /** When this replica saw the first failure of the run (epoch ms): the `failing_since` annotation. */
  failingSince?: number;
}

/** `CertificateExpiringSoon` when every failing condition is a certificate-expiry one. */
export function alertName(conditionResults: readonly ConditionResult[]): string {
  const failing = conditionResults.filter((c) => !c.success);
  if (failing.length > 0 && failing.every((c) => c.condition.includes(CERTIFICATE_PLACEHOLDER))) {
    return CERTIFICATE_EXPIRING_SOON;
  }
  return ENDPOINT_DOWN;
}

function userLabels(...sources: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (!REPLICA_LABEL_NAMES.has(name) && value !== '') out[name] = value;
    }
  }
  return out;
}

/**
 * The label set of one (endpoint, rule) alert. Precedence, lowest first: external labels,
 * endpoint labels, rule labels, then vigil's own (alertname, endpoint, group, severity,
 * receiver_hint), which user labels cannot override. Empty values are dropped, as
 * Alertmanager drops them.
 */
export function alertLabels(
  endpoint: AlertableEndpoint,
  rule: AlertRule,
  externalLabels: Readonly<Record<string, string>>,
  name: string,
): Record<string, string> {
  const core: Record<string, string> = {
    alertname: name,
    endpoint: endpoint.name,
    group: endpoint.group,
    severity: rule.severity,
    receiver_hint: rule.type,
  };
  const labels = userLabels(externalLabels, endpoint.labels, rule.labels);
  for (const [k, v] of Object.entries(core)) {
    if (v !== '') labels[k] = v;
    else delete labels[k];
  }
  return labels;
}

function displayName(endpoint: AlertableEndpoint): string {
  return endpoint.group ? `${endpoint.group}/${endpoint.name}` : endpoint.name;
}

export function alertAnnotations(ctx: AlertContext, name: string): Record<string, string> {
  const { endpoint, rule } = ctx;
  const failing = ctx.conditionResults.filter((c) => !c.success).map((c) => truncateText(c.rendered, MAX_RENDERED_CONDITION_CHARS));
  const summary =
    name === CERTIFICATE_EXPIRING_SOON
      ? `Certificate of ${displayName(endpoint)} expires soon`
      : `Endpoint ${displayName(endpoint)} is failing`;
  const description =
    rule.description ||
    `${displayName(endpoint)} failed ${rule.failureThreshold} consecutive check(s)` +
      (failing.length > 0 ? `: ${failing.join(', ')}` : '');
  const annotations: Record<string, string> = { summary, description };
  if (failing.length > 0) annotations.failing_conditions = failing.join('\n');
  annotations.replica = ctx.replica;
  if (ctx.failingSince !== undefined) annotations.failing_since = new Date(ctx.failingSince).toISOString();
  if (rule.runbookUrl) annotations.runbook_url = rule.runbookUrl;
  for (const [k, v] of Object.entries(rule.annotations)) annotations[k] = v;
  // annotations go to Slack, email...: none may carry the endpoint's secrets (echoed by a target, or from ${ENV})
  return endpoint.redactor.record(annotations);
}

/** Labels and annotations of the alert for `ctx`. */
export function buildAlert(ctx: AlertContext): { labels: Record<string, string>; annotations: Record<string, string> } {
  const name = alertName(ctx.conditionResults);
  return {
    labels: alertLabels(ctx.endpoint, ctx.rule, ctx.externalLabels, name),
    annotations: alertAnnotations(ctx, name),
  };
}

/** Labels of the always-firing Watchdog alert (identical on every replica). */
export function watchdogLabels(externalLabels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...userLabels(externalLabels), alertname: WATCHDOG, severity: 'none' };
}

// ---- validation: the rules Alertmanager applies to a postable alert ----

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** true when the string has no lone surrogate, i.e. encodes to valid UTF-8. */
export function isValidUtf8(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

function validateSet(kind: 'label' | 'annotation', set: Readonly<Record<string, unknown>>, problems: string[]): void {
  for (const [name, value] of Object.entries(set)) {
    // Alertmanager removes empty-valued labels before validating.
    if (kind === 'label' && value === '') continue;
    if (!isValidLabelName(name)) problems.push(`invalid ${kind} name "${name}"`);
    if (typeof value !== 'string') problems.push(`${kind} "${name}" has a non-string value`);
    else if (!isValidUtf8(value)) problems.push(`${kind} "${name}" has an invalid UTF-8 value`);
  }
}

/**
 * Every reason Alertmanager would reject this alert (empty when valid), after it drops
 * empty-valued labels: label and annotation names `[a-zA-Z_][a-zA-Z0-9_]*`, string values of
 * valid UTF-8, at least one label, and startsAt not after endsAt when both are set.
 */
export function validateAlert(alert: PostableAlert): string[] {
  const problems: string[] = [];
  validateSet('label', alert.labels, problems);
  validateSet('annotation', alert.annotations, problems);
  if (Object.values(alert.labels).filter((v) => v !== '').length === 0) {
    problems.push('at least one label pair required');
  }
  const starts = alert.startsAt === undefined ? undefined : Date.parse(alert.startsAt);
  const ends = alert.endsAt === undefined ? undefined : Date.parse(alert.endsAt);
  if (starts !== undefined && Number.isNaN(starts)) problems.push(`invalid startsAt "${alert.startsAt}"`);
  if (ends !== undefined && Number.isNaN(ends)) problems.push(`invalid endsAt "${alert.endsAt}"`);
  if (starts !== undefined && ends !== undefined && ends < starts) problems.push('endsAt is before startsAt');
  return problems;
}
