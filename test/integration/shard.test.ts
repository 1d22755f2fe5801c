/**
 * Sharding with real processes: 4 vigil replicas (dist/cli.js) at --shard.count 4
 * --shard.replication 2. Every endpoint is probed by exactly 2 of them with balanced load, and
 * with a real 2-peer Alertmanager cluster an incident gives one notification per state change,
 * even when one of the endpoint's two owners is killed mid-incident.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignShards } from '../../src/shard/rendezvous.js';
import { QUIET_MS, startAlertmanagerCluster, testAlertmanagerConfig } from '../helpers/alertmanager-cluster.js';
import type { AlertmanagerCluster } from '../helpers/alertmanager-cluster.js';
import { requireBinary } from '../helpers/binaries.js';
import { expectResolvedOnce } from '../helpers/eventual-resolve.js';
import { startSlackSink, startSmtpSink } from '../helpers/sinks.js';
import type { EmailMessage, SlackMessage, SlackSink, SmtpSink } from '../helpers/sinks.js';
import { ensureBuilt, ReplicaTracker, startTarget, startVigil } from '../helpers/vigil-process.js';
import type { StartVigilOptions, StatusTarget, VigilReplica } from '../helpers/vigil-process.js';

const alertmanager = requireBinary('alertmanager');
const SHARDS = 4;
const REPLICATION = 2;
const NOTIFY_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `vigil_probes_total` per endpoint name (summed over results) as one replica exports it. */
async function probeCounts(replica: VigilReplica): Promise<Map<string, number>> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^vigil_probes_total\{endpoint="([^"]+)"[^}]*\} (\d+)$/gm)) {
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
  }
  return out;
}

async function gauge(replica: VigilReplica, name: string): Promise<number> {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${replica.url}/metrics`)).text());
  return Number(m?.[1] ?? Number.NaN);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function endpointYaml(name: string, url: string, interval: string, alerts: boolean): string {
  const lines = [`  - name: ${name}`, '    group: core', `    url: ${url}`, `    interval: ${interval}`, "    conditions: ['[STATUS] == 200']"];
  if (alerts) lines.push('    alerts:', '      - type: slack', '        failure-threshold: 2', '        success-threshold: 2', '        send-on-resolved: true');
  return `${lines.join('\n')}\n`;
}

/**
 * Starts the 4 shards one after the other (4 cold starts at once on a loaded 2-core machine can
 * exceed the helper's readiness timeout); each is registered for cleanup as soon as it runs.
 */
async function startShards(tracker: ReplicaTracker, cleanups: (() => Promise<void>)[], options: (i: number) => StartVigilOptions): Promise<VigilReplica[]> {
  const replicas: VigilReplica[] = [];
  for (let i = 0; i < SHARDS; i++) {
    const replica = await startVigil(tracker, options(i));
    replicas.push(replica);
    cleanups.push(async () => {
      await replica.stop();
    });
  }
  return replicas;
}

function shardArgs(index: number): string[] {
  return [`--shard.count=${SHARDS}`, `--shard.index=${index}`, `--shard.replication=${REPLICATION}`];
}

describe('sharding: 4 replicas, --shard.count 4 --shard.replication 2', () => {
  let tracker: ReplicaTracker | undefined;
  let dir = '';
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    tracker = new ReplicaTracker();
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'vigil-shard-'));
  }, 180_000);

  afterAll(async () => {
    tracker?.dispose();
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('200 endpoints: each probed by exactly 2 replicas, per-replica load max/min ≤ 1.3', async () => {
    const hits = new Map<string, number>();
    const server = createServer((request, response) => {
      hits.set(request.url ?? '', (hits.get(request.url ?? '') ?? 0) + 1);
      response.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
    const port = (server.address() as AddressInfo).port;
    const names = Array.from({ length: 200 }, (_v, i) => `svc-${i}`);
    const file = join(dir, 'two-hundred.yaml');
    await writeFile(file, `endpoints:\n${names.map((n) => endpointYaml(n, `http://127.0.0.1:${port}/${n}`, '5s', false)).join('')}`);

    const replicas = await startShards(tracker!, cleanups, (i) => ({ name: `vigil-${i}`, configFile: file, args: shardArgs(i) }));
    // the first round is spread over 5 s; wait until every endpoint has been probed
    await until(async () => names.every((n) => hits.has(`/${n}`)), 30_000, 'every endpoint to be probed');
    // and until each replica has probed as many endpoints as it says it owns
    await until(
      async () => (await Promise.all(replicas.map(async (r) => (await probeCounts(r)).size === (await gauge(r, 'vigil_shard_endpoints'))))).every(Boolean),
      30_000,
      'each replica to probe all of its endpoints',
    );
    const counts = await Promise.all(replicas.map(probeCounts));

    const probedBy = new Map<string, string[]>();
    for (const [i, replica] of replicas.entries()) {
      for (const [name, total] of counts[i]!) if (total > 0) probedBy.set(name, [...(probedBy.get(name) ?? []), replica.name]);
    }
    expect([...probedBy.keys()].sort()).toEqual([...names].sort());
    for (const name of names) expect(probedBy.get(name), name).toHaveLength(REPLICATION);

    const loads = counts.map((m) => m.size);
    const exported = await Promise.all(replicas.map((r) => gauge(r, 'vigil_shard_endpoints')));
    expect(exported).toEqual(loads);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(names.length * REPLICATION);
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThanOrEqual(1.3);
    for (const [i, replica] of replicas.entries()) {
      const text = await (await fetch(`${replica.url}/metrics`)).text();
      expect(text).toContain(`vigil_shard_info{index="${i}",count="4",replication="2"} 1`);
    }
  });

  describe.skipIf(!alertmanager)('with a real 2-peer Alertmanager cluster', () => {
    let slack: SlackSink;
    let smtp: SmtpSink;
    let cluster: AlertmanagerCluster | undefined;

    beforeAll(async () => {
      slack = await startSlackSink();
      smtp = await startSmtpSink();
      cluster = await startAlertmanagerCluster({ peers: 2, config: testAlertmanagerConfig({ slackUrl: slack.url, smarthost: smtp.smarthost }) });
    }, 180_000);

    afterAll(async () => {
      await cluster?.stop();
      await slack?.close();
      await smtp?.close();
    });

    it('one notification per incident and per recovery; an owner killed mid-incident → every endpoint still probed, one resolve', async () => {
      const failing: StatusTarget = await startTarget();
      const healthy: StatusTarget = await startTarget();
      cleanups.push(() => failing.close(), () => healthy.close());
      const names = Array.from({ length: 12 }, (_v, i) => `api-${i}`);
      const file = join(dir, 'alerts.yaml');
      await writeFile(
        file,
        `vigil:\n  resend-interval: 2s\nendpoints:\n${names.map((n) => endpointYaml(n, n === 'api-0' ? failing.url : healthy.url, '1s', true)).join('')}`,
      );
      const owners = assignShards(names.map((n) => `core_${n}`), SHARDS, REPLICATION).get('core_api-0')!;
      expect(owners).toHaveLength(2);

      const replicas = await startShards(tracker!, cleanups, (i) => ({
        name: `vigil-${i}`,
        configFile: file,
        alertmanagerUrls: cluster!.urls,
        args: shardArgs(i),
      }));
      const mine = (m: SlackMessage | EmailMessage) => ('title' in m ? m.title : m.subject).includes('core/api-0');
      const count = () => ({
        slackFiring: slack.firing().filter(mine).length,
        slackResolved: slack.resolved().filter(mine).length,
        emailFiring: smtp.firing().filter(mine).length,
        emailResolved: smtp.resolved().filter(mine).length,
      });

      failing.setStatus(500);
      await slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => mine(m) && m.status === 'firing');
      await smtp.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => mine(m) && m.status === 'firing');
      await sleep(QUIET_MS);
      expect(count()).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });
      // only the two owners know the incident; the alert has no shard or replica label
      const [stored] = (await (await fetch(`${cluster!.urls[0]}/api/v2/alerts?filter=endpoint%3D%22api-0%22`)).json()) as {
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }[];
      expect(stored!.labels).toEqual({ alertname: 'EndpointDown', endpoint: 'api-0', group: 'core', severity: 'critical', receiver_hint: 'slack' });
      expect(owners.map((i) => `vigil-${i}`)).toContain(stored!.annotations.replica);
      for (const [i, replica] of replicas.entries()) {
        const alerts = JSON.stringify(await (await fetch(`${replica.url}/api/v1/alerts`)).json());
        expect(alerts.includes('"endpoint":"api-0"'), replica.name).toBe(owners.includes(i));
      }

      // kill one of the endpoint's two owners mid-incident
      const victim = owners[0]!;
      await replicas[victim]!.kill();
      const alive = replicas.filter((_r, i) => i !== victim);
      const before = await Promise.all(alive.map(probeCounts));
      await until(
        async () => {
          const after = await Promise.all(alive.map(probeCounts));
          return names.every((n) => after.some((m, i) => (m.get(n) ?? 0) > (before[i]!.get(n) ?? 0)));
        },
        20_000,
        'every endpoint to be probed again by a surviving replica',
      );
      await sleep(QUIET_MS);
      expect(count()).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });

      failing.setStatus(200);
      await slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => mine(m) && m.status === 'resolved');
      await smtp.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => mine(m) && m.status === 'resolved');
      await sleep(QUIET_MS);
      await expectResolvedOnce(slack, mine, NOTIFY_TIMEOUT_MS, 'slack');
      await expectResolvedOnce(smtp, mine, NOTIFY_TIMEOUT_MS, 'email');
      // no other endpoint ever alerted
      expect(slack.messages.filter((m) => !mine(m) && !m.title.includes('Watchdog'))).toEqual([]);
    });
  });
});
