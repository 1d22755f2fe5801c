/**
 * Real vigil replicas for integration tests: the built dist/cli.js as child processes on free
 * loopback ports, ready once /-/ready answers 200, plus a probed HTTP target whose status can change.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { keepLastLines, waitUntilReady } from './spawned.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');
// wide: several replicas (some with hundreds of endpoints) start at once on a loaded 2-core machine
const READY_TIMEOUT_MS = 60_000;

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build dist/ when cli.js is missing or older than src/ (CI's npm ci builds it already). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtimeMs(join(ROOT, 'src'))) return;
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 });
}

export interface StatusTarget {
  url: string;
  setStatus(code: number): void;
  close(): Promise<void>;
}

/** The probed service: answers `status` (200 unless told otherwise) to every request. */
export async function startTarget(initialStatus = 200): Promise<StatusTarget> {
  let status = initialStatus;
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'broken');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    setStatus: (code) => {
      status = code;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface VigilReplica {
  name: string;
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash). */
  kill(): Promise<void>;
  /** The last 80 log lines (stdout and stderr). */
  logs(): string;
}

/** Every vigil child of a test file, so afterAll and process exit can kill leftovers. */
export class ReplicaTracker {
  readonly children = new Set<ChildProcess>();
  readonly #onExit = () => this.killAll();

  constructor() {
    process.once('exit', this.#onExit);
  }

  /** SIGKILL every child still running; call from afterAll. */
  killAll(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  /** killAll() and stop watching process exit. */
  dispose(): void {
    this.killAll();
    process.removeListener('exit', this.#onExit);
  }
}

export interface StartVigilOptions {
  name: string;
  configFile: string;
  alertmanagerUrls?: readonly string[];
  /** More command-line flags. */
  args?: readonly string[];
  /** Listen on this loopback port instead of a free one. */
  port?: number;
  /** Shift the replica's wall clock (Date) by this much, through the skewed-clock.mjs preload. */
  clockOffsetMs?: number;
}

const SKEWED_CLOCK = join(import.meta.dirname, 'skewed-clock.mjs');

/**
 * The origin vigil listens on, read from its "vigil started" log line: a replica started on port 0
 * gets its port from the kernel, with no race against other processes for a "free" port.
 */
function listenOrigin(child: ChildProcess, exited: Promise<unknown>, timeoutMs: number): Promise<string | undefined> {
  return new Promise((done) => {
    let buffered = '';
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const finish = (origin: string | undefined): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      done(origin);
    };
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"vigil started"')) continue;
        const page = (JSON.parse(line) as { status_page?: string }).status_page;
        if (page !== undefined) return finish(new URL(page).origin);
      }
    };
    child.stderr?.on('data', onData);
    void exited.then(() => finish(undefined));
  });
}

/** Starts dist/cli.js on a loopback port (the kernel's pick unless given) and resolves once /-/ready answers 200. */
export async function startVigil(tracker: ReplicaTracker, options: StartVigilOptions): Promise<VigilReplica> {
  const { name } = options;
  const args = [
    CLI,
    `--config.file=${options.configFile}`,
    `--web.listen-address=127.0.0.1:${options.port ?? 0}`,
    ...(options.alertmanagerUrls ?? []).map((url) => `--alertmanager.url=${url}`),
    '--log.format=json',
    `--replica=${name}`,
    ...(options.args ?? []),
  ];
  const env = options.clockOffsetMs === undefined
    ? process.env
    : { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${SKEWED_CLOCK}`, VIGIL_TEST_CLOCK_OFFSET_MS: String(options.clockOffsetMs) };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  tracker.children.add(child);
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      tracker.children.delete(child);
      done(code);
    }),
  );
  const logs = keepLastLines(child, 80);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const origin = options.port === undefined ? await listenOrigin(child, exited, READY_TIMEOUT_MS) : `http://127.0.0.1:${options.port}`;
  if (origin === undefined) {
    await kill();
    throw new Error(`vigil ${name} did not log "vigil started" (exit ${child.exitCode ?? child.signalCode}):\n${logs()}`);
  }
  const replica: VigilReplica = { name, url: origin, port: Number(new URL(origin).port), stop, kill, logs };
  await waitUntilReady(origin, { name: `vigil ${name}`, child, timeoutMs: READY_TIMEOUT_MS, logs, giveUp: kill });
  return replica;
}

/** Resolves (with the time) once the replica's /api/v1/alerts shows the endpoint's alert in `state`. */
export async function waitAlertState(replica: VigilReplica, endpoint: string, state: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alerts = (await (await fetch(`${replica.url}/api/v1/alerts`)).json()) as { labels: Record<string, string>; state: string }[];
    if (alerts.some((a) => a.labels.endpoint === endpoint && a.state === state)) return Date.now();
    if (Date.now() > deadline) throw new Error(`${replica.name}: no ${state} alert for ${endpoint}: ${JSON.stringify(alerts)}\n${replica.logs()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
