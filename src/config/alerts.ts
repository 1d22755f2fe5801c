/**
 * `alerts[]` of endpoints and external endpoints, and Gatus' `alerting:` section, whose
 * provider settings vigil ignores (Alertmanager routes) except each provider's `default-alert`.
 */
import { DEFAULT_FAILURE_THRESHOLD, DEFAULT_SEVERITY, DEFAULT_SUCCESS_THRESHOLD } from './schema.js';
import type { AlertRule } from './schema.js';
import { ALERT_PROVIDERS, GATUS_ALERT_IGNORED, REMINDER_INTERVAL_REASON } from './gatus-keys.js';
import type { ConfigNode } from './node.js';
import { Section } from './reader.js';
import type { Issues } from './reader.js';

/** Gatus `alerting.<provider>.default-alert`: fills fields an alert of that type leaves unset. */
export interface DefaultAlert {
  enabled?: boolean;
  failureThreshold?: number;
  successThreshold?: number;
  sendOnResolved?: boolean;
  description?: string;
}

export type DefaultAlerts = ReadonlyMap<string, DefaultAlert>;

const DEFAULT_ALERT_KEYS = ['enabled', 'failure-threshold', 'success-threshold', 'send-on-resolved', 'description', 'minimum-reminder-interval'];

/** Checks `minimum-reminder-interval` (a duration) and warns once that Alertmanager does it. */
function readReminderInterval(section: Section): void {
  if (!section.has('minimum-reminder-interval')) return;
  section.durationMs('minimum-reminder-interval', 0);
  const path = section.child('minimum-reminder-interval');
  section.issues.warnOnce(path.replace(/\[\d+\]/g, '[]'), section.keyLoc('minimum-reminder-interval'), path, REMINDER_INTERVAL_REASON);
}

function isProvider(name: string): boolean {
  return (ALERT_PROVIDERS as readonly string[]).includes(name);
}

function readDefaultAlert(section: Section): DefaultAlert {
  section.checkKeys({ known: DEFAULT_ALERT_KEYS, ignored: [...GATUS_ALERT_IGNORED, 'type'], gatus: true });
  readReminderInterval(section);
  const out: DefaultAlert = {};
  if (section.has('enabled')) out.enabled = section.bool('enabled', true);
  if (section.has('failure-threshold')) out.failureThreshold = section.int('failure-threshold', DEFAULT_FAILURE_THRESHOLD, 1);
  if (section.has('success-threshold')) out.successThreshold = section.int('success-threshold', DEFAULT_SUCCESS_THRESHOLD, 1);
  if (section.has('send-on-resolved')) out.sendOnResolved = section.bool('send-on-resolved', false);
  if (section.has('description')) out.description = section.str('description');
  return out;
}

/**
 * Reads `alerting:`. Provider names are checked; provider settings (webhooks, tokens...) are
 * never read, so they can never leak into a message.
 */
export function readAlerting(section: Section, issues: Issues): Map<string, DefaultAlert> {
  const defaults = new Map<string, DefaultAlert>();
  for (const [name, entry] of section.node.entries) {
    const path = section.child(name);
    if (!isProvider(name)) {
      issues.error(entry.keyLoc, path, `unknown alerting provider (known: ${ALERT_PROVIDERS.join(', ')})`);
      continue;
    }
    issues.warnOnce(
      path,
      entry.keyLoc,
      path,
      `provider settings are not used: vigil sends alerts to Alertmanager, with the alert type as the receiver_hint label`,
    );
    const provider = Section.of(issues, entry.value, path, entry.keyLoc);
    if (provider.has('default-alert')) defaults.set(name, readDefaultAlert(provider.section('default-alert')));
  }
  return defaults;
}

function readLabelMap(section: Section, key: string): Record<string, string> {
  return section.stringMap(key, true);
}

function readAlert(section: Section, defaults: DefaultAlerts): AlertRule {
  section.checkKeys({
    known: [
      'type', 'enabled', 'failure-threshold', 'success-threshold', 'send-on-resolved', 'description',
      'severity', 'labels', 'annotations', 'runbook-url', 'minimum-reminder-interval',
    ],
    ignored: GATUS_ALERT_IGNORED,
    gatus: true,
  });
  readReminderInterval(section);
  const type = section.required('type');
  if (type !== '' && !isProvider(type)) {
    section.error('type', `unknown alert type "${type}" (known: ${ALERT_PROVIDERS.join(', ')})`);
  }
  const base = defaults.get(type) ?? {};
  const severity = section.str('severity', DEFAULT_SEVERITY);
  if (severity.trim() === '') section.error('severity', 'must not be empty');
  return {
    type,
    enabled: section.bool('enabled', base.enabled ?? true),
    failureThreshold: section.int('failure-threshold', base.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD, 1),
    successThreshold: section.int('success-threshold', base.successThreshold ?? DEFAULT_SUCCESS_THRESHOLD, 1),
    sendOnResolved: section.bool('send-on-resolved', base.sendOnResolved ?? false),
    description: section.str('description', base.description ?? ''),
    severity,
    labels: readLabelMap(section, 'labels'),
    annotations: readLabelMap(section, 'annotations'),
    runbookUrl: section.str('runbook-url'),
  };
}

/**
 * Gatus escalation (several alerts of one type, e.g. slack at 5, 10 and 15 failures) must stay
 * several Alertmanager alerts: when a type occurs more than once on an endpoint, each of its
 * alerts gets the label `threshold="<failure-threshold>"` (the same on every replica). Two
 * alerts of one type with the same failure-threshold would still be one alert: a warning.
 */
function labelEscalations(rules: AlertRule[], items: readonly ConfigNode[], path: string, issues: Issues): void {
  const byType = new Map<string, number[]>();
  rules.forEach((rule, i) => byType.set(rule.type, [...(byType.get(rule.type) ?? []), i]));
  for (const indexes of byType.values()) {
    if (indexes.length < 2) continue;
    const seen = new Map<number, number>();
    for (const i of indexes) {
      const rule = rules[i];
      if (rule === undefined) continue;
      rule.labels.threshold ??= String(rule.failureThreshold);
      const first = seen.get(rule.failureThreshold);
      const loc = items[i]?.loc;
      if (first !== undefined && loc !== undefined) {
        const at = `${path}[${i}]`;
        issues.warnOnce(at, loc, at, `same type and failure-threshold as ${path}[${first}]: Alertmanager sees them as one alert`);
      } else seen.set(rule.failureThreshold, i);
    }
  }
}

export function readAlerts(items: readonly ConfigNode[], path: string, issues: Issues, defaults: DefaultAlerts): AlertRule[] {
  const rules = items.map((item, i) => readAlert(Section.of(issues, item, `${path}[${i}]`, item.loc), defaults));
  labelEscalations(rules, items, path, issues);
  // Gatus send-on-resolved: false (its default): no "resolved" notification. Alertmanager
  // decides that per receiver, so the alert says so in a label the routes match on.
  for (const rule of rules) if (!rule.sendOnResolved) rule.labels.send_resolved ??= 'false';
  return rules;
}
