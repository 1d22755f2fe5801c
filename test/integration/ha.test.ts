/**
 * The full HA proof: 3 real vigil processes (dist/cli.js) probe one local target and send
 * to a real 2-peer Alertmanager cluster running the repository's routing. Whatever happens
 * to a replica or a peer, one incident gives exactly one firing and one resolved
 * notification per integration (Slack, email).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { prepareAlertmanagerCluster, QUIET_MS } from '../helpers/alertmanager-cluster.js';
import { requireBinary } from '../helpers/binaries.js';
import { expectResolvedOnce as expectEventualResolve } from '../helpers/eventual-resolve.js';
import { useHaHarness } from '../helpers/ha-harness.js';
import type { EmailMessage, SlackMessage } from '../helpers/sinks.js';
import { writeHaConfig } from '../helpers/vigil-config.js';
import { startTarget, startVigil, waitAlertState } from '../helpers/vigil-process.js';
import type { StatusTarget, VigilReplica } from '../helpers/vigil-process.js';

const alertmanager = requireBinary('alertmanager');
const NOTIFY_TIMEOUT_MS = 30_000;
const REPLICAS = 3;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Scenario {
  endpoint: string;
  target: StatusTarget;
  replicas: VigilReplica[];
  /** Notifications about this scenario's endpoint only. */
  mine: (message: SlackMessage | EmailMessage) => boolean;
}

describe.skipIf(!alertmanager)('HA: 3 vigil replicas × 2 Alertmanager peers', () => {
  const h = useHaHarness({ peers: 2 });

  async function scenario(endpoint: string, alertmanagerUrls: string[]): Promise<Scenario> {
    const target = await startTarget();
    h().cleanups.push(() => target.close());
    const file = await writeHaConfig(h().dir, { endpoint, targetUrl: target.url });
    const replicas = await Promise.all(
      Array.from({ length: REPLICAS }, (_v, i) =>
        startVigil(h().tracker, { name: `vigil-${i + 1}`, configFile: file, alertmanagerUrls }),
      ),
    );
    const mine = (message: SlackMessage | EmailMessage) =>
      ('title' in message ? message.title : message.subject).includes(`core/${endpoint}`);
    return { endpoint, target, replicas, mine };
  }

  const count = (s: Scenario) => ({
    slackFiring: h().slack.firing().filter(s.mine).length,
    slackResolved: h().slack.resolved().filter(s.mine).length,
    emailFiring: h().smtp.firing().filter(s.mine).length,
    emailResolved: h().smtp.resolved().filter(s.mine).length,
  });

  async function expectFiringOnce(s: Scenario): Promise<void> {
    await h().slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'firing');
    await h().smtp.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'firing');
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });
  }

  async function expectResolvedOnce(s: Scenario): Promise<void> {
    await h().slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'resolved');
    await h().smtp.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'resolved');
    await sleep(QUIET_MS);
    await expectEventualResolve(h().slack, s.mine, NOTIFY_TIMEOUT_MS, 'slack');
    await expectEventualResolve(h().smtp, s.mine, NOTIFY_TIMEOUT_MS, 'email');
  }

  async function stopAll(s: Scenario): Promise<void> {
    const codes = await Promise.all(s.replicas.map((replica) => replica.stop()));
    expect(codes.filter((code) => code !== null)).toEqual(codes.filter((code) => code !== null).map(() => 0));
  }

  it('(a, e) one incident → 1 firing Slack + 1 firing email, then 1 resolved of each; fingerprints agree', async () => {
    const c = h().cluster;
    const s = await scenario('api-a', c.urls);
    s.target.setStatus(500);
    await expectFiringOnce(s);

    // (e) the fingerprint vigil reports is the one Alertmanager computed from the labels it received
    const [stored] = (await (await fetch(`${c.urls[0]}/api/v2/alerts?filter=endpoint%3D%22api-a%22`)).json()) as {
      fingerprint: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
    expect(stored).toBeDefined();
    expect(stored!.labels).not.toHaveProperty('replica');
    expect(stored!.annotations.replica).toMatch(/^vigil-[123]$/);
    expect(fingerprint(stored!.labels)).toBe(stored!.fingerprint);
    for (const replica of s.replicas) {
      const active = JSON.stringify(await (await fetch(`${replica.url}/api/v1/alerts`)).json());
      expect(active, `${replica.name} /api/v1/alerts`).toContain(`"fingerprint":"${stored!.fingerprint}"`);
    }

    s.target.setStatus(200);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  it('(b) a replica killed mid-incident → still exactly 1 firing and 1 resolved per integration', async () => {
    const s = await scenario('api-b', h().cluster.urls);
    s.target.setStatus(500);
    await h().slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'firing');
    await s.replicas[2]!.kill();
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });

    s.target.setStatus(200);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  it('(c) the Alertmanager peer that notified killed mid-incident → still exactly 1 + 1, and the resolve arrives', async () => {
    const c = h().cluster;
    const sentBefore = c.peers.map((peer) => peer.notificationsSent());
    const s = await scenario('api-c', c.urls);
    s.target.setStatus(500);
    // wait until the notification log entry has been gossiped (expectFiringOnce waits QUIET_MS):
    // a peer that crashes between notifying and gossiping makes the other peer notify again
    await expectFiringOnce(s);
    const notifier = c.peers.findIndex((peer, i) => peer.notificationsSent() > sentBefore[i]!);
    expect(notifier).toBeGreaterThanOrEqual(0);
    await c.kill(notifier);
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });

    s.target.setStatus(200);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  it('(d) Alertmanager unreachable when the incident starts, up 20 s later → the alert arrives once', async () => {
    const late = await prepareAlertmanagerCluster({ peers: 2, config: h().config });
    h().cleanups.push(() => late.stop());
    const s = await scenario('api-d', late.urls);
    s.target.setStatus(500);
    const downAt = Date.now();
    // the replicas fire (2 failures at 1 s) and keep failing to reach either peer
    await sleep(20_000);
    expect(count(s)).toEqual({ slackFiring: 0, slackResolved: 0, emailFiring: 0, emailResolved: 0 });
    await late.start();

    await expectFiringOnce(s);
    const [message] = h().slack.firing().filter(s.mine);
    expect(message!.title).toBe('[FIRING:1] EndpointDown core/api-d');
    // startsAt is when the replicas saw the failure, not when Alertmanager came up
    const [stored] = (await (await fetch(`${late.urls[1]}/api/v2/alerts?filter=endpoint%3D%22api-d%22`)).json()) as {
      startsAt: string;
    }[];
    expect(new Date(stored!.startsAt).getTime()).toBeLessThan(downAt + 10_000);
    await stopAll(s);
  });

  it('(f) replicas whose clocks are 30 s behind and 25 s ahead, started mid-incident → still exactly 1 + 1', async () => {
    const c = h().cluster;
    const target = await startTarget();
    h().cleanups.push(() => target.close());
    const endpoint = 'api-f';
    const file = await writeHaConfig(h().dir, { endpoint, targetUrl: target.url });
    const s: Scenario = {
      endpoint,
      target,
      replicas: [await startVigil(h().tracker, { name: 'vigil-1', configFile: file, alertmanagerUrls: c.urls })],
      mine: (m) => ('title' in m ? m.title : m.subject).includes(`core/${endpoint}`),
    };
    target.setStatus(500);
    await h().slack.waitFor(1, NOTIFY_TIMEOUT_MS, (m) => s.mine(m) && m.status === 'firing');
    for (const [name, clockOffsetMs] of [['vigil-2', -30_000], ['vigil-3', 25_000]] as const) {
      s.replicas.push(await startVigil(h().tracker, { name, configFile: file, alertmanagerUrls: c.urls, clockOffsetMs }));
    }
    await Promise.all(s.replicas.map((r) => waitAlertState(r, endpoint, 'firing', NOTIFY_TIMEOUT_MS)));
    // the late replicas fire too (2 failures at 1 s) and resend every 2 s: long enough for a flap to show
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });
    target.setStatus(200);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  it('(g) a replica restarted mid-incident → still exactly 1 firing and 1 resolved per integration', async () => {
    const s = await scenario('api-g', h().cluster.urls);
    s.target.setStatus(500);
    await expectFiringOnce(s);
    await s.replicas[1]!.kill();
    s.replicas[1] = await startVigil(h().tracker, { name: 'vigil-2', configFile: join(h().dir, 'api-g.yaml'), alertmanagerUrls: h().cluster.urls });
    // the restarted replica fires again (it keeps no state) into the alert that is still firing
    await waitAlertState(s.replicas[1], 'api-g', 'firing', NOTIFY_TIMEOUT_MS);
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });
    s.target.setStatus(200);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  /** Every peer down mid-incident, the target recovers during the outage, then the peers return. */
  async function outage(endpoint: string, wipe: boolean): Promise<Scenario> {
    const peers = await prepareAlertmanagerCluster({ peers: 2, config: h().config });
    h().cleanups.push(() => peers.stop());
    await peers.start();
    const s = await scenario(endpoint, peers.urls);
    s.target.setStatus(500);
    await expectFiringOnce(s);
    // SIGTERM: a clean stop writes the notification log to storage (a crash loses what the
    // last maintenance, every 15 min by default, did not write)
    await Promise.all(peers.peers.map((_p, i) => peers.kill(i, 'SIGTERM')));
    s.target.setStatus(200);
    await Promise.all(s.replicas.map((r) => waitAlertState(r, endpoint, 'confirming', NOTIFY_TIMEOUT_MS)));
    await sleep(QUIET_MS);
    await peers.start({ wipe });
    return s;
  }

  it('(h) every peer down, recovery during the outage, storage kept → the resolve arrives once when they return', async () => {
    const s = await outage('api-h', false);
    await expectResolvedOnce(s);
    await stopAll(s);
  });

  it('(i) the same with the peers\' storage lost → no duplicate; the resolve is lost (Alertmanager forgot it notified)', async () => {
    const s = await outage('api-i', true);
    await Promise.all(s.replicas.map((r) => waitAlertState(r, 'api-i', 'resolved', NOTIFY_TIMEOUT_MS)));
    await sleep(QUIET_MS);
    expect(count(s)).toEqual({ slackFiring: 1, slackResolved: 0, emailFiring: 1, emailResolved: 0 });
    await stopAll(s);
  });
});
