/**
 * A mass outage on a real 3-peer Alertmanager cluster: ENDPOINTS endpoints go down together
 * and come back, 3 vigil replicas report them. Every notification must be sent once: at most
 * 1 % duplicates (Slack and email, firing and resolved). The cluster timing follows the rule in
 * docs/ha.md for this many notifications (the notification log entries of the peer that
 * notified must reach the others by gossip within the peer timeout).
 * VIGIL_MASS_PEER_TIMEOUT / VIGIL_MASS_GROUP_INTERVAL override the timing (to measure it).
 * About 2 minutes; the measured duplicates are in docs/ha.md ("Mass outage").
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { useHaHarness } from '../helpers/ha-harness.js';
import type { EmailMessage, SlackMessage } from '../helpers/sinks.js';
import { startVigil } from '../helpers/vigil-process.js';

const alertmanager = requireBinary('alertmanager');
const ENDPOINTS = 500;
const PEER_TIMEOUT = process.env.VIGIL_MASS_PEER_TIMEOUT ?? '10s';
const GROUP_INTERVAL = process.env.VIGIL_MASS_GROUP_INTERVAL ?? '25s';
const WAIT_MS = 150_000;
/** After the last expected message: long enough for a late duplicate (peer 2 waits 2 × peer-timeout). */
const SETTLE_MS = 2 * Number.parseInt(PEER_TIMEOUT, 10) * 1000 + 5_000;

const endpointOf = (m: SlackMessage | EmailMessage): string => /core\/(m-\d+)/.exec('title' in m ? m.title : m.subject)?.[1] ?? '';

function duplicates(messages: readonly (SlackMessage | EmailMessage)[]): { total: number; unique: number } {
  return { total: messages.length, unique: new Set(messages.map(endpointOf)).size };
}

describe.skipIf(!alertmanager)(`HA: ${ENDPOINTS} simultaneous incidents, 3 vigil replicas × 3 Alertmanager peers`, () => {
  const h = useHaHarness({ peers: 3, peerTimeout: PEER_TIMEOUT, groupInterval: GROUP_INTERVAL });

  it(`≤ 1 % duplicate notifications (peer-timeout ${PEER_TIMEOUT}, group_interval ${GROUP_INTERVAL})`, async () => {
    let status = 200;
    const target = createServer((_request, response) => response.writeHead(status).end());
    await new Promise<void>((done) => target.listen(0, '127.0.0.1', () => done()));
    h().cleanups.push(() => new Promise<void>((done) => target.close(() => done())));
    const { port } = target.address() as AddressInfo;
    const file = join(h().dir, 'mass.yaml');
    const endpoints = Array.from({ length: ENDPOINTS }, (_v, i) => [
      `  - name: m-${i}`,
      '    group: core',
      `    url: http://127.0.0.1:${port}/e/${i}`,
      '    interval: 5s',
      "    conditions: ['[STATUS] == 200']",
      '    alerts: [{ type: slack, failure-threshold: 2, success-threshold: 2, send-on-resolved: true }]',
    ].join('\n'));
    await writeFile(file, ['vigil:', '  resend-interval: 10s', 'endpoints:', ...endpoints, ''].join('\n'));
    const replicas = await Promise.all(
      [1, 2, 3].map((i) => startVigil(h().tracker, { name: `vigil-${i}`, configFile: file, alertmanagerUrls: h().cluster.urls })),
    );
    h().cleanups.push(() => Promise.all(replicas.map((r) => r.stop())));
    const { slack, smtp } = h();
    const mine = (m: SlackMessage | EmailMessage) => endpointOf(m) !== '';

    status = 500;
    const downAt = Date.now();
    await slack.waitFor(ENDPOINTS, WAIT_MS, (m) => mine(m) && m.status === 'firing');
    await smtp.waitFor(ENDPOINTS, WAIT_MS, (m) => mine(m) && m.status === 'firing');
    const firingMs = Date.now() - downAt;
    await new Promise((done) => setTimeout(done, SETTLE_MS));
    const firing = { slack: duplicates(slack.firing().filter(mine)), email: duplicates(smtp.firing().filter(mine)) };

    status = 200;
    const upAt = Date.now();
    await slack.waitFor(ENDPOINTS, WAIT_MS, (m) => mine(m) && m.status === 'resolved');
    await smtp.waitFor(ENDPOINTS, WAIT_MS, (m) => mine(m) && m.status === 'resolved');
    const resolvedMs = Date.now() - upAt;
    await new Promise((done) => setTimeout(done, SETTLE_MS));
    const resolved = { slack: duplicates(slack.resolved().filter(mine)), email: duplicates(smtp.resolved().filter(mine)) };
    const sent = h().cluster.peers.map((p) => p.notificationsSent());
    console.info(`[ha-mass-outage] peer-timeout=${PEER_TIMEOUT} group_interval=${GROUP_INTERVAL} firing=${JSON.stringify(firing)} (${firingMs} ms) resolved=${JSON.stringify(resolved)} (${resolvedMs} ms) per-peer notifications=${JSON.stringify(sent)}`);

    for (const counts of [firing.slack, firing.email, resolved.slack, resolved.email]) {
      expect(counts.unique).toBe(ENDPOINTS);
      expect(counts.total - counts.unique).toBeLessThanOrEqual(ENDPOINTS / 100);
    }
  }, 600_000);
});
