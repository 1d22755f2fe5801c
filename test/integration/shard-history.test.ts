/**
 * Sharding with `--history.prometheus-url`, against real processes: two shards (dist/cli.js,
 * --shard.count 2) probe 6 endpoints between them and a real Prometheus scrapes both. A replica of
 * shard 0 reading that Prometheus lists all 6 endpoints on its API and status page: its own with
 * its own results, shard 1's with their latest state from Prometheus instead of "no data". A
 * replica without the flag lists only what it probes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignShards } from '../../src/shard/rendezvous.js';
import { freePort } from '../helpers/alertmanager-cluster.js';
import { requireBinary } from '../helpers/binaries.js';
import { eventually, queryVector, startPrometheus, vigilScrapeConfig, type PrometheusServer } from '../helpers/prometheus.js';
import { ensureBuilt, ReplicaTracker, startTarget, startVigil, type StatusTarget, type VigilReplica } from '../helpers/vigil-process.js';

const prometheusBinary = requireBinary('prometheus');
const WAIT_MS = 60_000;
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
/** Endpoints whose target fails. */
const DOWN = new Set(['b', 'e']);

interface Status {
  key: string;
  name: string;
  results: { success: boolean; timestamp: string }[];
}

describe.skipIf(!prometheusBinary)('sharding with --history.prometheus-url', () => {
  const tracker = new ReplicaTracker();
  const closers: (() => Promise<unknown>)[] = [];
  let prometheus: PrometheusServer;
  let shard0: VigilReplica;
  let reader: VigilReplica;
  const owners = assignShards(NAMES.map((n) => `core_${n}`), 2, 1);
  const ownedBy = (index: number) => NAMES.filter((n) => owners.get(`core_${n}`)?.[0] === index);

  beforeAll(async () => {
    await ensureBuilt();
    expect(ownedBy(0).length).toBeGreaterThan(0);
    expect(ownedBy(1).length).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-shard-history-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const up: StatusTarget = await startTarget(200);
    const down: StatusTarget = await startTarget(500);
    closers.push(up.close, down.close);
    const file = join(dir, 'config.yaml');
    const endpoint = (n: string) =>
      `  - name: ${n}\n    group: core\n    url: ${DOWN.has(n) ? down.url : up.url}\n    interval: 1s\n    conditions: ["[STATUS] == 200"]\n`;
    await writeFile(file, `endpoints:\n${NAMES.map(endpoint).join('')}`);

    const ports = [await freePort(), await freePort()];
    prometheus = await startPrometheus({
      binary: prometheusBinary!,
      config: vigilScrapeConfig(ports),
    });
    closers.push(() => prometheus.stop());
    const shards = await Promise.all(
      [0, 1].map((i) => startVigil(tracker, { name: `vigil-${i}`, configFile: file, port: ports[i], args: ['--shard.count=2', `--shard.index=${i}`] })),
    );
    shard0 = shards[0]!;
    closers.push(...shards.map((s) => () => s.stop()));
    await eventually('every endpoint scraped from its shard', WAIT_MS, async () =>
      (await queryVector(prometheus.url, 'vigil_probe_success')).length === NAMES.length ? true : undefined,
    );
    // a second replica of shard 0, reading Prometheus (its first refresh finds every series)
    reader = await startVigil(tracker, {
      name: 'reader-0',
      configFile: file,
      args: ['--shard.count=2', '--shard.index=0', `--history.prometheus-url=${prometheus.url}`],
    });
    closers.push(() => reader.stop());
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    tracker.dispose();
  });

  const statuses = async (replica: VigilReplica): Promise<Status[]> =>
    (await (await fetch(`${replica.url}/api/v1/endpoints/statuses`)).json()) as Status[];

  it('without the flag, the API lists only the endpoints this shard probes', async () => {
    expect((await statuses(shard0)).map((s) => s.name).sort()).toEqual(ownedBy(0).sort());
  });

  it('with it, every endpoint is listed; other shards\' endpoints show their latest state from Prometheus', async () => {
    // The remote mean duration needs two scrapes in Prometheus' 5m rate and a refresh after them
    // (every 30 s): wait for that state rather than assume the first refresh had it.
    const remoteKey = ownedBy(1)[0];
    const all = await eventually('a result for every endpoint, with the remote mean duration', WAIT_MS * 2, async () => {
      const list = await statuses(reader);
      const remoteResult = (list.find((s) => s.name === remoteKey) as unknown as { results: { duration: number }[] } | undefined)?.results[0];
      const complete = list.length === NAMES.length && list.every((s) => s.results.length > 0) && (remoteResult?.duration ?? 0) > 0;
      return complete ? list : undefined;
    });
    for (const status of all) {
      expect(status.results.at(-1)?.success, status.name).toBe(!DOWN.has(status.name));
    }
    // the remote result carries the recent mean duration from Prometheus' histogram
    const remote = all.find((s) => s.name === ownedBy(1)[0]) as unknown as { results: { duration: number }[] };
    expect(remote.results[0]!.duration).toBeGreaterThan(0);
    for (const name of ownedBy(1)) {
      // one result, from Prometheus: this replica never probed it
      expect(all.find((s) => s.name === name)?.results, name).toHaveLength(1);
      const metrics = await (await fetch(`${reader.url}/metrics`)).text();
      expect(metrics).not.toContain(`vigil_probe_success{endpoint="${name}"`);
    }
    type Overview = { endpoints: { name: string; state: string }[] };
    const page = (await (await fetch(`${reader.url}/ui/api/overview`)).json()) as Overview;
    expect(Object.fromEntries(page.endpoints.map((e) => [e.name, e.state]))).toEqual(
      Object.fromEntries(NAMES.map((n) => [n, DOWN.has(n) ? 'down' : 'up'])),
    );
  });
});
