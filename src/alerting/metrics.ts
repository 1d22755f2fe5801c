/** The notifier's metrics, registered on the registry passed in (reused if already there). */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

export interface NotifierMetrics {
  sent: Counter<'alertmanager'>;
  /** Accepted alerts by state: `firing` (endsAt in the future) or `resolved`. */
  alertsSent: Counter<'alertmanager' | 'status'>;
  errors: Counter<'alertmanager'>;
  dropped: Counter<'alertmanager'>;
  latency: Histogram<'alertmanager'>;
  configured: Gauge;
  invalid: Counter;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function notifierMetrics(registry: Registry): NotifierMetrics {
  const registers = [registry];
  const labelNames = ['alertmanager'] as const;
  return {
    sent: reuse(registry, 'vigil_notifications_sent_total', () =>
      new Counter({ name: 'vigil_notifications_sent_total', help: 'Alerts accepted by an Alertmanager peer.', labelNames, registers }),
    ),
    alertsSent: reuse(registry, 'vigil_alerts_sent_total', () =>
      new Counter({
        name: 'vigil_alerts_sent_total',
        help: 'Alerts accepted by an Alertmanager peer, by status (firing or resolved).',
        labelNames: ['alertmanager', 'status'] as const,
        registers,
      }),
    ),
    errors: reuse(registry, 'vigil_notifications_errors_total', () =>
      new Counter({ name: 'vigil_notifications_errors_total', help: 'Alerts in batches an Alertmanager peer did not accept (each attempt).', labelNames, registers }),
    ),
    dropped: reuse(registry, 'vigil_notifications_dropped_total', () =>
      new Counter({ name: 'vigil_notifications_dropped_total', help: 'Alerts dropped from a full per-peer queue (oldest first).', labelNames, registers }),
    ),
    latency: reuse(registry, 'vigil_notification_latency_seconds', () =>
      new Histogram({ name: 'vigil_notification_latency_seconds', help: 'Duration of POST /api/v2/alerts to an Alertmanager peer.', labelNames, registers }),
    ),
    configured: reuse(registry, 'vigil_alertmanagers_configured', () =>
      new Gauge({ name: 'vigil_alertmanagers_configured', help: 'Alertmanager peers every alert is sent to.', registers }),
    ),
    invalid: reuse(registry, 'vigil_notifications_invalid_total', () =>
      new Counter({ name: 'vigil_notifications_invalid_total', help: 'Alerts never sent because Alertmanager would reject them.', registers }),
    ),
  };
}

/** Removes one peer's series (when it leaves the configuration). */
export function removePeerSeries(metrics: NotifierMetrics, alertmanager: string): void {
  for (const metric of [metrics.sent, metrics.errors, metrics.dropped, metrics.latency]) {
    metric.remove({ alertmanager });
  }
  for (const status of ALERT_STATUSES) metrics.alertsSent.remove({ alertmanager, status });
}

export const ALERT_STATUSES = ['firing', 'resolved'] as const;

/** Creates a peer's series at zero so dashboards see them before the first error. */
export function initPeerSeries(metrics: NotifierMetrics, alertmanager: string): void {
  for (const metric of [metrics.sent, metrics.errors, metrics.dropped]) metric.inc({ alertmanager }, 0);
  for (const status of ALERT_STATUSES) metrics.alertsSent.inc({ alertmanager, status }, 0);
  metrics.latency.zero({ alertmanager });
}
