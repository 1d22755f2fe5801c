/**
 * The Alertmanager side of vigil's HA, without vigil: 3 "replicas" POST identical alerts
 * (same labels, different `replica` annotation and startsAt) to BOTH peers of a real
 * 2-peer cluster running the repository's routing; exactly one Slack message and one email
 * come out when it fires, and exactly one of each when it resolves.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { QUIET_MS, startAlertmanagerCluster, testAlertmanagerConfig } from '../helpers/alertmanager-cluster.js';
import type { AlertmanagerCluster } from '../helpers/alertmanager-cluster.js';
import { requireBinary } from '../helpers/binaries.js';
import { notificationTimeline } from '../helpers/ha-harness.js';
import { startSlackSink, startSmtpSink } from '../helpers/sinks.js';
import type { SlackSink, SmtpSink } from '../helpers/sinks.js';

const alertmanager = requireBinary('alertmanager');


interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

async function postAlerts(url: string, alerts: PostableAlert[]): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(response.status, await response.text()).toBe(200);
}

interface GettableAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: string; inhibitedBy: string[] };
}

async function getAlerts(url: string): Promise<GettableAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts`);
  expect(response.status).toBe(200);
  return (await response.json()) as GettableAlert[];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** What 3 replicas × 2 peers do: 6 POSTs, identical labels, per-replica annotations. */
async function sendFromReplicas(
  cluster: AlertmanagerCluster,
  labels: Record<string, string>,
  endsAt: (replica: number) => Date,
  startsAt: Date,
): Promise<void> {
  const posts: Promise<void>[] = [];
  for (let replica = 1; replica <= 3; replica++) {
    const alert: PostableAlert = {
      labels,
      annotations: {
        summary: `${labels.endpoint} is down`,
        failing_conditions: '[STATUS] (500) == 200',
        replica: `vigil-${replica}`,
        runbook_url: 'https://runbooks.example.org/endpoint-down',
      },
      // replicas noticed the failure at slightly different times; Alertmanager keeps the earliest
      startsAt: new Date(startsAt.getTime() + replica * 150).toISOString(),
      endsAt: endsAt(replica).toISOString(),
    };
    for (const url of cluster.urls) posts.push(postAlerts(url, [alert]));
  }
  await Promise.all(posts);
}

describe.skipIf(!alertmanager)('Alertmanager cluster dedupes identical alerts from every replica', () => {
  let slack: SlackSink;
  let smtp: SmtpSink;
  let cluster: AlertmanagerCluster | undefined;

  const labels = { alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical', receiver_hint: 'slack' };
  // set when the alert first fires: what vigil sends as startsAt (see the firing test)
  let startedAt = new Date();

  beforeAll(async () => {
    slack = await startSlackSink();
    smtp = await startSmtpSink();
    const config = testAlertmanagerConfig({ slackUrl: slack.url, smarthost: smtp.smarthost });
    cluster = await startAlertmanagerCluster({ peers: 2, config });
  });

  beforeEach(() => onTestFailed(() => { if (cluster) console.error(notificationTimeline({ cluster, slack, smtp })); }));

  afterAll(async () => {
    await cluster?.stop();
    await slack?.close();
    await smtp?.close();
  });

  it('3 replicas × 2 peers firing → exactly 1 Slack message and 1 email', async () => {
    const c = cluster!;
    startedAt = new Date(Date.now() - 500);
    await sendFromReplicas(c, labels, () => new Date(Date.now() + 60_000), startedAt);

    const [message] = await slack.waitFor(1, 20_000);
    const [mail] = await smtp.waitFor(1, 20_000);
    await sleep(QUIET_MS);

    expect(slack.messages).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    expect(message!.status).toBe('firing');
    expect(message!.title).toBe('[FIRING:1] EndpointDown core/api');
    expect(message!.text).toContain('[STATUS] (500) == 200');
    expect(message!.text).toMatch(/Reported by replica:\* vigil-[123]/);
    expect(message!.payload.channel).toBe('#vigil-alerts');
    expect(mail!.status).toBe('firing');
    expect(mail!.subject).toBe('[FIRING:1] EndpointDown core/api');
    expect(mail!.to).toEqual(['oncall@example.org']);
    expect(mail!.text).toContain('*Endpoint:* api');
  });

  it('both peers hold one alert, with the earliest startsAt and the fingerprint vigil computes', async () => {
    const c = cluster!;
    for (const url of c.urls) {
      const alerts = await getAlerts(url);
      expect(alerts).toHaveLength(1);
      const [alert] = alerts;
      expect(alert!.labels).toEqual(labels);
      expect(alert!.fingerprint).toBe(fingerprint(labels));
      expect(new Date(alert!.startsAt).getTime()).toBe(startedAt.getTime() + 150);
    }
  });

  it('3 replicas × 2 peers resolving (endsAt = now) → exactly 1 resolved Slack message and 1 resolved email', async () => {
    const c = cluster!;
    const now = new Date();
    await sendFromReplicas(c, labels, () => now, startedAt);

    const [message] = await slack.waitFor(1, 20_000, (m) => m.status === 'resolved');
    const [mail] = await smtp.waitFor(1, 20_000, (m) => m.status === 'resolved');
    await sleep(QUIET_MS);

    expect(slack.resolved()).toHaveLength(1);
    expect(smtp.resolved()).toHaveLength(1);
    expect(slack.firing()).toHaveLength(1);
    expect(smtp.firing()).toHaveLength(1);
    expect(message!.title).toBe('[RESOLVED] EndpointDown core/api');
    expect(message!.text).not.toContain('Failing conditions');
    expect(mail!.subject).toBe('[RESOLVED] EndpointDown core/api');
  });

  it('a replica label (what vigil never sends) defeats the dedupe: 3 alerts, [FIRING:3]', async () => {
    const c = cluster!;
    const base = { alertname: 'EndpointDown', endpoint: 'web', group: 'edge', severity: 'critical' };
    const posts: Promise<void>[] = [];
    for (let replica = 1; replica <= 3; replica++) {
      const alert: PostableAlert = {
        labels: { ...base, replica: `vigil-${replica}` },
        annotations: { summary: 'web is down' },
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 60_000).toISOString(),
      };
      for (const url of c.urls) posts.push(postAlerts(url, [alert]));
    }
    await Promise.all(posts);

    const edge = (m: { title: string }) => m.title.includes('edge/web');
    const [message] = await slack.waitFor(1, 20_000, edge);
    expect(message!.title).toBe('[FIRING:3] EndpointDown edge/web');
    const stored = (await getAlerts(c.urls[0]!)).filter((alert) => alert.labels.endpoint === 'web');
    expect(new Set(stored.map((alert) => alert.fingerprint)).size).toBe(3);
  });

  it("reports the design's fingerprint vectors and inhibits CertificateExpiringSoon while EndpointDown fires", async () => {
    const c = cluster!;
    const down = { alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical' };
    const cert = { alertname: 'CertificateExpiringSoon', endpoint: 'api', group: 'core', severity: 'warning' };
    const watchdog = { alertname: 'Watchdog' };
    const active = (alertLabels: Record<string, string>): PostableAlert => ({
      labels: alertLabels,
      annotations: { replica: 'vigil-1' },
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await postAlerts(c.urls[0]!, [active(down), active(cert), active(watchdog)]);

    // keyed by alertname, among exactly the label sets posted here (earlier tests left others)
    const byName = async () => {
      const alerts = await getAlerts(c.urls[0]!);
      const posted = [down, cert, watchdog].map((set) => JSON.stringify(Object.entries(set).sort()));
      const mine = alerts.filter((alert) => posted.includes(JSON.stringify(Object.entries(alert.labels).sort())));
      return new Map(mine.map((alert) => [alert.labels.alertname ?? '', alert]));
    };
    let alerts = await byName();
    expect(alerts.get('EndpointDown')?.fingerprint).toBe('9574ec6f190fe4e8');
    expect(alerts.get('Watchdog')?.fingerprint).toBe('003b0a0f7d3fa569');
    expect(fingerprint(down)).toBe('9574ec6f190fe4e8');
    expect(fingerprint(watchdog)).toBe('003b0a0f7d3fa569');
    expect(alerts.get('CertificateExpiringSoon')?.fingerprint).toBe(fingerprint(cert));

    // inhibition is evaluated asynchronously after the POST
    const deadline = Date.now() + 10_000;
    while ((alerts.get('CertificateExpiringSoon')?.status.inhibitedBy.length ?? 0) === 0 && Date.now() < deadline) {
      await sleep(200);
      alerts = await byName();
    }
    expect(alerts.get('CertificateExpiringSoon')?.status.state).toBe('suppressed');
    expect(alerts.get('CertificateExpiringSoon')?.status.inhibitedBy).toEqual(['9574ec6f190fe4e8']);
    expect(alerts.get('EndpointDown')?.status.state).toBe('active');
  });
});
