/**
 * Shared setup of the HA integration tests: Slack and SMTP sinks, a real Alertmanager cluster
 * on the repository's routing, a temp dir for vigil configs and a tracker for vigil processes.
 * Registers beforeAll/afterAll; cleanups run in reverse order before the cluster stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, onTestFailed } from 'vitest';
import { startAlertmanagerCluster, testAlertmanagerConfig } from './alertmanager-cluster.js';
import type { AlertmanagerCluster } from './alertmanager-cluster.js';
import { startSlackSink, startSmtpSink } from './sinks.js';
import type { SlackSink, SmtpSink } from './sinks.js';
import { ensureBuilt, ReplicaTracker } from './vigil-process.js';

export interface HaHarness {
  slack: SlackSink;
  smtp: SmtpSink;
  /** The alertmanager.yml every peer runs. */
  config: string;
  cluster: AlertmanagerCluster;
  tracker: ReplicaTracker;
  dir: string;
  /** Run in reverse order in afterAll, before the cluster stops. */
  cleanups: (() => Promise<unknown>)[];
}

export interface HaHarnessOptions {
  peers: number;
  groupInterval?: string;
  peerTimeout?: string;
}

/** Call at describe level; the returned getter is valid inside tests. */
export function useHaHarness(options: HaHarnessOptions): () => HaHarness {
  let harness: HaHarness | undefined;
  const partial: Partial<HaHarness> = { cleanups: [] };

  beforeAll(async () => {
    partial.tracker = new ReplicaTracker();
    await ensureBuilt();
    partial.dir = await mkdtemp(join(tmpdir(), 'vigil-ha-'));
    partial.slack = await startSlackSink();
    partial.smtp = await startSmtpSink();
    const config = testAlertmanagerConfig({
      slackUrl: partial.slack.url,
      smarthost: partial.smtp.smarthost,
      ...(options.groupInterval ? { groupInterval: options.groupInterval } : {}),
    });
    partial.config = config;
    partial.cluster = await startAlertmanagerCluster({
      peers: options.peers,
      config,
      ...(options.peerTimeout ? { peerTimeout: options.peerTimeout } : {}),
    });
    harness = partial as HaHarness;
  }, 180_000);

  afterAll(async () => {
    partial.tracker?.dispose();
    for (const cleanup of (partial.cleanups ?? []).reverse()) await cleanup();
    await partial.cluster?.stop();
    await partial.slack?.close();
    await partial.smtp?.close();
    if (partial.dir) await rm(partial.dir, { recursive: true, force: true });
  });

  const get = (): HaHarness => {
    if (!harness) throw new Error('HA harness not set up (beforeAll failed?)');
    return harness;
  };
  // A failed test prints who notified what and when: duplicates explain themselves in the CI log.
  beforeEach(() => onTestFailed(() => { if (harness) console.error(notificationTimeline(harness)); }));
  return get;
}

/** Lines that say which peer notified, dropped or deduplicated what; the sinks' messages with their times. */
const NOTIFY_LINE = /Received alert|Notify success|Notify for alerts failed|flushing|Notify attempt failed|memberlist|component=cluster/;

export function notificationTimeline(h: Pick<HaHarness, 'cluster' | 'slack' | 'smtp'>): string {
  const lines: string[] = ['--- notification timeline ---'];
  for (const m of h.slack.messages) lines.push(`slack ${m.receivedAt.toISOString()} ${m.status} ${m.title}`);
  for (const m of h.smtp.messages) lines.push(`email ${m.receivedAt.toISOString()} ${m.status} ${m.subject}`);
  h.cluster.peers.forEach((peer, i) => {
    for (const line of peer.logs().split('\n')) if (NOTIFY_LINE.test(line)) lines.push(`am${i} ${line}`);
  });
  return lines.join('\n');
}
