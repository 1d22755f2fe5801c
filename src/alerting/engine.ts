/**
 * Alerting engine: a CheckSink that runs the threshold machine for every (endpoint, enabled
 * rule) and tells the notifier what to assert. Resending is the notifier's job (its own
 * timer), not done per check.
 *
 * Resolution: with `vigil.resolve: confirm` (the default) a recovery stops the resends and
 * sends endsAt = recovery time once the Alertmanager peers show that no other replica still
 * refreshes the alert (notifier.confirmResolve). With `explicit` a recovery always sends endsAt = recovery time
 * to Alertmanager, whatever the rule's `send-on-resolved`: whether a "resolved" notification
 * reaches Slack or email is decided by Alertmanager's own `send_resolved` per receiver, and
 * an unresolved alert would otherwise stay active there for up to 4 × resend-interval.
 * With `expire` the alert is just no longer resent and lapses at its last endsAt.
 */
import type { CheckResult, CheckSink } from '../check/types.js';
import type { Clock } from '../clock.js';
import type { AlertRule, Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { fingerprint } from './fingerprint.js';
import { alertAnnotations, alertLabels, buildAlert } from './labels.js';
import type { AlertableEndpoint, AlertContext } from './labels.js';
import type { AlertSnapshot, Notifier } from './notifier.js';
import { initialAlertState, step } from './state.js';
import type { AlertState } from './state.js';

export interface AlertingOptions {
  config: Config;
  notifier: Pick<Notifier, 'fire' | 'resolve' | 'confirmResolve' | 'expire' | 'snapshot' | 'replica'>;
  clock: Clock;
  logger: Logger;
}

export interface RuleSnapshot {
  endpoint: string;
  group: string;
  key: string;
  /** Gatus provider name (`receiver_hint`). */
  type: string;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  triggered: boolean;
  /** Fingerprint of the alert this replica asserts for the rule, while triggered. */
  fingerprint?: string;
}

export interface Alerting extends CheckSink {
  updateConfig(config: Config): void;
  snapshot(): { rules: RuleSnapshot[]; alerts: AlertSnapshot[] };
}

interface RuleEntry {
  endpointKey: string;
  ruleIndex: number;
  state: AlertState;
  /** Labels and annotations sent when it fired (labels never change while firing). */
  fired?: { labels: Record<string, string>; annotations: Record<string, string> };
}

const RELEASE_MESSAGES = {
  explicit: 'alert resolved',
  expire: 'alert expiring',
  confirm: 'alert recovered, resolving once no other replica reports it',
} as const;

const ruleKey = (endpointKey: string, index: number, rule: AlertRule): string => `${endpointKey}\u0000${index}\u0000${rule.type}`;

function endpointIndex(config: Config): Map<string, AlertableEndpoint> {
  const index = new Map<string, AlertableEndpoint>();
  for (const e of config.endpoints) index.set(e.key, e);
  for (const e of config.externalEndpoints) index.set(e.key, e);
  return index;
}

export function createAlerting(options: AlertingOptions): Alerting {
  const { notifier, clock, logger } = options;
  let config = options.config;
  let endpoints = endpointIndex(config);
  const rules = new Map<string, RuleEntry>();

  const release = (entry: RuleEntry, at: number, why: string): void => {
    if (!entry.fired) return;
    const mode = config.vigil.resolve;
    if (mode === 'expire') notifier.expire(entry.fired.labels);
    else if (mode === 'confirm') notifier.confirmResolve(entry.fired.labels, at);
    else notifier.resolve(entry.fired.labels, at);
    logger.info(RELEASE_MESSAGES[mode], {
      alertname: entry.fired.labels.alertname,
      endpoint: entry.fired.labels.endpoint,
      why,
    });
    delete entry.fired;
  };

  const context = (endpoint: AlertableEndpoint, rule: AlertRule, check: CheckResult | undefined, failingSince?: number): AlertContext => ({
    endpoint,
    rule,
    externalLabels: config.vigil.externalLabels,
    conditionResults: check?.conditionResults ?? [],
    replica: notifier.replica,
    ...(failingSince === undefined ? {} : { failingSince }),
  });

  const observe = (check: CheckResult): void => {
    const endpoint = endpoints.get(check.endpoint.key);
    if (!endpoint?.enabled) return;
    endpoint.alerts.forEach((rule, index) => {
      if (!rule.enabled) return;
      const key = ruleKey(endpoint.key, index, rule);
      const entry = rules.get(key) ?? { endpointKey: endpoint.key, ruleIndex: index, state: initialAlertState };
      rules.set(key, entry);
      const { state, action } = step(entry.state, check.success, rule, check.timestamp);
      entry.state = state;
      if (action === 'fire') {
        const alert = buildAlert(context(endpoint, rule, check, state.failingSince));
        // startsAt is when the alert fired, as Prometheus sends it, not the first failure (that is
        // the failing_since annotation): an alert that reaches a new Alertmanager group already
        // older than group_wait makes each peer flush at once, and several replicas' POSTs racing
        // that flush can shift one peer's group timer by its peer-timeout wait, which opens the
        // window for the stale-snapshot duplicate (docs/ha.md, "Why a resolve can come twice").
        if (notifier.fire({ ...alert, startsAt: check.timestamp })) {
          entry.fired = alert;
          logger.info('alert firing', { alertname: alert.labels.alertname, endpoint: endpoint.name, group: endpoint.group });
        }
      } else if (action === 'resolve') {
        release(entry, check.timestamp, 'recovered');
      } else if (entry.fired && !check.success) {
        // Still failing: refresh the annotations (failing conditions) for the next resend.
        const annotations = alertAnnotations(context(endpoint, rule, check, state.failingSince), entry.fired.labels.alertname ?? '');
        entry.fired = { labels: entry.fired.labels, annotations };
        notifier.fire({ labels: entry.fired.labels, annotations });
      }
    });
  };

  const updateConfig = (next: Config): void => {
    config = next;
    endpoints = endpointIndex(next);
    const now = clock.now();
    for (const [key, entry] of rules) {
      const endpoint = endpoints.get(entry.endpointKey);
      const rule = endpoint?.alerts[entry.ruleIndex];
      if (!endpoint?.enabled || !rule?.enabled || ruleKey(endpoint.key, entry.ruleIndex, rule) !== key) {
        release(entry, now, 'removed from configuration');
        rules.delete(key);
        continue;
      }
      if (!entry.fired) continue;
      // Labels may have changed (severity, extra labels): the old alert ends, the new one fires.
      const name = entry.fired.labels.alertname ?? '';
      const labels = alertLabels(endpoint, rule, next.vigil.externalLabels, name);
      if (fingerprint(labels) === fingerprint(entry.fired.labels)) continue;
      const { annotations } = entry.fired;
      release(entry, now, 'labels changed');
      if (notifier.fire({ labels, annotations, startsAt: now })) {
        entry.fired = { labels, annotations };
      }
    }
  };

  return {
    observe,
    updateConfig,
    snapshot: () => ({
      rules: [...rules.values()].flatMap((entry) => {
        const endpoint = endpoints.get(entry.endpointKey);
        const rule = endpoint?.alerts[entry.ruleIndex];
        if (!endpoint || !rule) return [];
        const s: RuleSnapshot = {
          endpoint: endpoint.name,
          group: endpoint.group,
          key: endpoint.key,
          type: rule.type,
          consecutiveFailures: entry.state.consecutiveFailures,
          consecutiveSuccesses: entry.state.consecutiveSuccesses,
          triggered: entry.state.triggered,
        };
        if (entry.fired) s.fingerprint = fingerprint(entry.fired.labels);
        return [s];
      }),
      alerts: notifier.snapshot(),
    }),
  };
}
