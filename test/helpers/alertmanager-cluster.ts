/**
 * Real Alertmanager peers for integration tests: loopback only, fresh data dirs, free ports,
 * readiness = every peer's GET /api/v2/status says cluster "ready" (and "disabled" for a
 * single peer without clustering). Processes are always killed: stop(), and process exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { findBinary } from './binaries.js';

export interface AlertmanagerClusterOptions {
  /** Number of peers (default 2). */
  peers?: number;
  /** alertmanager.yml as text; the same file for every peer. */
  config: string;
  /** --cluster.peer-timeout (default TEST_PEER_TIMEOUT). */
  peerTimeout?: string;
  /** Give up waiting for readiness after this long (default 60 s). */
  readyTimeoutMs?: number;
  /** Extra flags for every peer. */
  extraArgs?: string[];
  /** Path of the binary (default: prometheus-alertmanager or alertmanager on PATH). */
  binary?: string;
}

export interface AlertmanagerPeer {
  /** http://127.0.0.1:PORT — usable before the peer runs (ports are reserved up front). */
  readonly url: string;
  readonly webPort: number;
  readonly clusterPort: number;
  readonly dataDir: string;
  /** Whether the process is running. */
  running(): boolean;
  /** Everything this peer logged (stderr, debug level) since the cluster was prepared. */
  logs(): string;
  /** How many notifications this peer delivered (its "Notify success" log lines). */
  notificationsSent(): number;
}

export interface AlertmanagerCluster {
  /** One base URL per peer, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly urls: string[];
  readonly peers: AlertmanagerPeer[];
  /** Start every stopped peer and wait until all are ready; `wipe` deletes their storage first (alerts are never stored). */
  start(options?: { wipe?: boolean }): Promise<void>;
  /** SIGKILL peer i (a crash: no graceful leave) and wait for it to exit. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Start peer i again with the same ports and data dir; waits until the whole cluster is ready. */
  restart(i: number): Promise<void>;
  /** Kill every peer and delete the data dirs. Idempotent. */
  stop(): Promise<void>;
}

const STATUS_POLL_MS = 250;
const TAIL_LINES = 60;

/** Ports freePort() handed out in this process: never handed out twice. */
const handedOut = new Set<number>();
const MAX_PORT_ATTEMPTS = 100;

async function ephemeralPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * A free TCP port on 127.0.0.1 (listen on 0, read it back, close) that this process has not been
 * given before. The kernel may hand a just-released port out again: a cluster once got peer 0's
 * gossip port as peer 1's web port ("bind: address already in use").
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
    const port = await ephemeralPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no new free port after ${MAX_PORT_ATTEMPTS} attempts`);
}

interface PeerState {
  peer: AlertmanagerPeer;
  child?: ChildProcess;
  exited?: Promise<void>;
  lines: string[];
}

function tail(state: PeerState): string {
  return state.lines.slice(-TAIL_LINES).join('\n');
}

interface ClusterStatus {
  cluster?: { status?: string; peers?: unknown[] };
}

async function fetchStatus(url: string): Promise<ClusterStatus | undefined> {
  try {
    const response = await fetch(`${url}/api/v2/status`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return (await response.json()) as ClusterStatus;
  } catch {
    return undefined;
  }
}

/**
 * Reserve ports and data dirs for a cluster without starting it (so URLs can be handed to
 * a client that must find Alertmanager unreachable first). Call start() later.
 */
export async function prepareAlertmanagerCluster(options: AlertmanagerClusterOptions): Promise<AlertmanagerCluster> {
  const binary = options.binary ?? findBinary('alertmanager');
  if (!binary) throw new Error('prometheus-alertmanager is not installed (use requireBinary in the test)');
  const count = options.peers ?? 2;
  const peerTimeout = options.peerTimeout ?? TEST_PEER_TIMEOUT;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const clustered = count > 1;

  const states: PeerState[] = [];
  for (let i = 0; i < count; i++) {
    const webPort = await freePort();
    const clusterPort = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), `vigil-am${i}-`));
    const state: PeerState = { lines: [], peer: undefined as unknown as AlertmanagerPeer };
    state.peer = {
      url: `http://127.0.0.1:${webPort}`,
      webPort,
      clusterPort,
      dataDir,
      running: () => state.child !== undefined && state.child.exitCode === null && state.child.signalCode === null,
      logs: () => state.lines.join('\n'),
      notificationsSent: () => state.lines.filter((line) => line.includes('msg="Notify success"')).length,
    };
    await writeFile(join(dataDir, 'alertmanager.yml'), options.config);
    states.push(state);
  }

  let stopped = false;
  const killAllSync = () => {
    for (const state of states) if (state.peer.running()) state.child?.kill('SIGKILL');
  };
  process.once('exit', killAllSync);

  const argsFor = (i: number): string[] => {
    const { webPort, clusterPort, dataDir, url } = states[i]!.peer;
    const args = [
      `--config.file=${join(dataDir, 'alertmanager.yml')}`,
      `--storage.path=${join(dataDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${webPort}`,
      `--web.external-url=${url}`,
      '--log.level=debug',
    ];
    if (!clustered) return [...args, '--cluster.listen-address=', ...(options.extraArgs ?? [])];
    args.push(
      `--cluster.listen-address=127.0.0.1:${clusterPort}`,
      `--cluster.advertise-address=127.0.0.1:${clusterPort}`,
      `--cluster.peer-timeout=${peerTimeout}`,
      '--cluster.gossip-interval=100ms',
      '--cluster.pushpull-interval=2s',
    );
    states.forEach((other, j) => {
      if (j !== i) args.push(`--cluster.peer=127.0.0.1:${other.peer.clusterPort}`);
    });
    return [...args, ...(options.extraArgs ?? [])];
  };

  const spawnPeer = (i: number) => {
    const state = states[i]!;
    if (state.peer.running()) return;
    const child = spawn(binary, argsFor(i), { stdio: ['ignore', 'ignore', 'pipe'] });
    state.child = child;
    state.exited = new Promise<void>((done) => child.once('exit', () => done()));
    let partial = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      state.lines.push(...lines);
    });
  };

  const waitReady = async () => {
    const deadline = Date.now() + readyTimeoutMs;
    const expected = clustered ? 'ready' : 'disabled';
    for (;;) {
      const statuses = await Promise.all(states.map((state) => fetchStatus(state.peer.url)));
      const ready = statuses.every(
        (status) => status?.cluster?.status === expected && (!clustered || (status.cluster.peers?.length ?? 0) === count),
      );
      if (ready) return;
      const dead = states.findIndex((state) => !state.peer.running());
      if (dead >= 0) throw new Error(`alertmanager peer ${dead} exited:\n${tail(states[dead]!)}`);
      if (Date.now() > deadline) {
        const report = statuses.map((status, i) => `peer ${i}: ${JSON.stringify(status?.cluster)}`).join('\n');
        throw new Error(`alertmanager cluster not ready after ${readyTimeoutMs} ms\n${report}\n${tail(states[0]!)}`);
      }
      await new Promise((done) => setTimeout(done, STATUS_POLL_MS));
    }
  };

  const kill = async (i: number, signal: NodeJS.Signals = 'SIGKILL') => {
    const state = states[i];
    if (!state) throw new RangeError(`no alertmanager peer ${i}`);
    if (state.peer.running()) state.child?.kill(signal);
    await state.exited;
  };

  return {
    urls: states.map((state) => state.peer.url),
    peers: states.map((state) => state.peer),
    async start(startOptions: { wipe?: boolean } = {}) {
      if (stopped) throw new Error('cluster was stopped');
      if (startOptions.wipe) {
        await Promise.all(states.filter((st) => !st.peer.running()).map((st) => rm(join(st.peer.dataDir, 'data'), { recursive: true, force: true })));
      }
      states.forEach((_state, i) => spawnPeer(i));
      await waitReady();
    },
    kill,
    async restart(i: number) {
      await kill(i);
      spawnPeer(i);
      await waitReady();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(states.map((_state, i) => kill(i)));
      process.removeListener('exit', killAllSync);
      await Promise.all(states.map((state) => rm(state.peer.dataDir, { recursive: true, force: true })));
    },
  };
}

/** Start `peers` Alertmanagers gossiping with each other and wait until all say "ready". */
export async function startAlertmanagerCluster(options: AlertmanagerClusterOptions): Promise<AlertmanagerCluster> {
  const cluster = await prepareAlertmanagerCluster(options);
  try {
    await cluster.start();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** One Alertmanager with clustering disabled. */
export async function startAlertmanager(
  options: Omit<AlertmanagerClusterOptions, 'peers' | 'peerTimeout'>,
): Promise<AlertmanagerCluster> {
  return startAlertmanagerCluster({ ...options, peers: 1 });
}

export interface TestConfigOptions {
  /** Slack-compatible webhook URL (the webhook sink). */
  slackUrl: string;
  /** host:port of the SMTP sink. */
  smarthost: string;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Path of the production config (default: alertmanager/alertmanager.yml of this repo). */
  source?: string;
}

/**
 * Test timing. Alertmanager writes its notification log only after a notification is delivered,
 * so the second peer (which waits peer_timeout before checking that log) dedupes only if the
 * first peer's delivery plus gossip fit in peer_timeout: 2s leaves room on a loaded CI machine.
 * group_interval must stay > (peers − 1) × peer_timeout for resolved notifications to dedupe.
 */
export const TEST_PEER_TIMEOUT = '2s';
export const TEST_GROUP_WAIT = '1s';
export const TEST_GROUP_INTERVAL = '3s';
/** > group_wait + group_interval + (peers − 1) × peer_timeout: long enough for a duplicate to show. */
export const QUIET_MS = 8_000;

/** The repository's alertmanager/alertmanager.yml. */
export const PRODUCTION_CONFIG = resolve(import.meta.dirname, '../../alertmanager/alertmanager.yml');

/**
 * The production alertmanager.yml with the same routes, receivers, inhibit rules and
 * templates, but secrets replaced by the local sinks, TLS/auth off, and test timing
 * (TEST_GROUP_WAIT, TEST_GROUP_INTERVAL, repeat_interval 1h unless given).
 */
export function testAlertmanagerConfig(options: TestConfigOptions): string {
  const source = options.source ?? PRODUCTION_CONFIG;
  const doc = parseDocument(readFileSync(source, 'utf8'));
  doc.deleteIn(['global', 'slack_api_url_file']);
  doc.setIn(['global', 'slack_api_url'], options.slackUrl);
  doc.setIn(['global', 'smtp_smarthost'], options.smarthost);
  doc.setIn(['global', 'smtp_require_tls'], false);
  doc.deleteIn(['global', 'smtp_auth_username']);
  doc.deleteIn(['global', 'smtp_auth_password_file']);
  const templates = (doc.getIn(['templates']) as { toJSON(): unknown } | undefined)?.toJSON();
  const globs = Array.isArray(templates) ? templates.map(String) : [];
  doc.setIn(
    ['templates'],
    globs.map((glob) => resolve(dirname(source), glob)),
  );
  doc.setIn(['route', 'group_wait'], options.groupWait ?? TEST_GROUP_WAIT);
  doc.setIn(['route', 'group_interval'], options.groupInterval ?? TEST_GROUP_INTERVAL);
  doc.setIn(['route', 'repeat_interval'], options.repeatInterval ?? '1h');
  return doc.toString();
}
