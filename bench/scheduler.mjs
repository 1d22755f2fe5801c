#!/usr/bin/env node
// Scheduler and memory: the real app (dist/app.js startApp, in a child process) probing 1000 HTTP
// endpoints every 1 s on a local server, against a reference of 10 endpoints in the same run.
// Reports RSS growth (and the marginal KiB per endpoint), event-loop lag p99, and the probes/s kept.
// Usage: node bench/scheduler.mjs [--endpoints=1000] [--reference=10] [--seconds=20]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, distDir, emit, fmt } from './lib.mjs';

const endpoints = Number(arg('endpoints', '1000'));
const referenceEndpoints = Number(arg('reference', '10'));
const seconds = Number(arg('seconds', '20'));
const WARMUP_MS = 5000; // first runs are spread over 5 s; the rest of the run is the measured window
const measureMs = Math.max(1000, seconds * 1000 - WARMUP_MS);
const MEMORY_TARGET_KIB = 100; // marginal RSS per endpoint after the run
const LAG_TARGET_MS = 50; // p99 event-loop lag with `endpoints` endpoints
const dist = distDir();
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** Forks a child and waits for its first IPC message. */
function forkWithMessage(file, args, execArgv = []) {
  const child = fork(here(file), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, first };
}

function nextMessage(child) {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before reporting`)));
  });
}

function config(count, port) {
  const lines = ['vigil:', '  history-size: 100', 'endpoints:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - name: ep-${String(i).padStart(4, '0')}`,
      `    group: g-${String(Math.floor(i / 50)).padStart(2, '0')}`,
      `    url: http://127.0.0.1:${port}/health?i=${i}`,
      '    interval: 1s',
      '    client: { timeout: 5s }',
      '    conditions: ["[STATUS] == 200", "[BODY].status == UP", "[RESPONSE_TIME] < 1000"]',
    );
  }
  return `${lines.join('\n')}\n`;
}

const target = forkWithMessage('./target-server.mjs', []);
const { port } = await target.first;
const countRequests = async () => {
  const reply = nextMessage(target.child);
  target.child.send('count');
  return (await reply).count;
};
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-scheduler-'));

/** One run of the app with `count` endpoints. */
async function run(count) {
  const file = join(dir, `config-${count}.yaml`);
  writeFileSync(file, config(count, port));
  const app = forkWithMessage('./scheduler-app.mjs', [`--config=${file}`, `--warmup-ms=${WARMUP_MS}`, `--measure-ms=${measureMs}`, `--dist=${dist}`], ['--expose-gc']);
  await app.first; // 'warm'
  const before = await countRequests();
  const done = await nextMessage(app.child);
  const after = await countRequests();
  await new Promise((resolve) => (app.child.exitCode === null ? app.child.once('exit', resolve) : resolve(undefined)));
  const probesPerSec = (after - before) / (measureMs / 1000);
  const growthBytes = done.endRss - done.baselineRss;
  const cpuMsPerProbe = done.cpuMs / Math.max(after - before, 1);
  const line =
    `scheduler: ${count} endpoints @1s: ${fmt(probesPerSec)} probes/s, RSS ${fmt(done.baselineRss / 2 ** 20, 1)} → ${fmt(done.endRss / 2 ** 20, 1)} MiB ` +
    `(+${fmt(growthBytes / 2 ** 20, 1)}; +${fmt((done.endRss - done.warmRss) / 2 ** 20, 1)} in the measured ${measureMs / 1000} s), ` +
    `heap ${fmt(done.endHeapUsed / 2 ** 20, 1)} of ${fmt(done.endHeapTotal / 2 ** 20, 1)} MiB, external ${fmt(done.endExternal / 2 ** 20, 1)} MiB (array buffers ${fmt(done.endArrayBuffers / 2 ** 20, 1)}), lag p50 ${done.lagP50Ms.toFixed(1)} p99 ${done.lagP99Ms.toFixed(1)} max ${done.lagMaxMs.toFixed(1)} ms, ` +
    `CPU ${fmt((done.cpuMs / measureMs) * 100)}% of a core (${cpuMsPerProbe.toFixed(3)} ms per probe)`;
  console.log(line);
  return { count, probesPerSec, growthBytes, cpuMsPerProbe, ...done };
}

try {
  const ref = await run(referenceEndpoints);
  const big = await run(endpoints);
  // Compare end states: both runs start from the same baseline, and a small run's RSS can even shrink.
  const marginalKiB = (big.endRss - ref.endRss) / (endpoints - referenceEndpoints) / 1024;
  const MIN_LAG_MS = 1; // lag below 1 ms is timer noise; clamp so the ratio stays meaningful
  const lagRatio = Math.max(big.lagP99Ms, MIN_LAG_MS) / Math.max(ref.lagP99Ms, MIN_LAG_MS);
  const kept = big.probesPerSec / endpoints;
  console.log(`scheduler: marginal memory ${fmt(marginalKiB, 1)} KiB per endpoint; ${fmt(kept * 100, 1)}% of ${endpoints} endpoints' ticks ran`);
  emit([
    {
      name: `scheduler: RSS after ${seconds} s, ${endpoints} vs ${referenceEndpoints} endpoints`,
      vigil: `${fmt(big.endRss / 2 ** 20, 1)} MiB (+${fmt(marginalKiB, 1)} KiB/endpoint; heap ${fmt(big.endHeapUsed / 2 ** 20, 1)})`,
      reference: `${fmt(ref.endRss / 2 ** 20, 1)} MiB (heap ${fmt(ref.endHeapUsed / 2 ** 20, 1)})`,
      ratio: big.endRss / ref.endRss,
      ratioLabel: 'vigil/ref RSS',
      target: `<= ${MEMORY_TARGET_KIB} KiB/endpoint`,
      pass: marginalKiB <= MEMORY_TARGET_KIB,
    },
    {
      name: `scheduler: event-loop lag p99, ${endpoints} vs ${referenceEndpoints}`,
      vigil: `${big.lagP99Ms.toFixed(1)} ms (max ${big.lagMaxMs.toFixed(0)})`,
      reference: `${ref.lagP99Ms.toFixed(1)} ms (max ${ref.lagMaxMs.toFixed(0)})`,
      ratio: lagRatio,
      ratioLabel: 'vigil/ref (>=1 ms)',
      target: `<= ${LAG_TARGET_MS} ms`,
      pass: big.lagP99Ms <= LAG_TARGET_MS,
    },
    {
      // Context for the lag: CPU well below 100% with a high lag means the machine, not vigil, is busy.
      name: `scheduler: CPU used, ${endpoints} vs ${referenceEndpoints}`,
      vigil: `${fmt((big.cpuMs / measureMs) * 100)}% of a core, ${big.cpuMsPerProbe.toFixed(2)} ms/probe`,
      reference: `${fmt((ref.cpuMs / measureMs) * 100)}% of a core, ${ref.cpuMsPerProbe.toFixed(2)} ms/probe`,
      ratio: big.cpuMs / ref.cpuMs,
      ratioLabel: 'vigil/ref CPU',
      target: 'info',
      pass: null,
    },
    {
      name: `scheduler: probes/s kept, ${endpoints} vs ${referenceEndpoints}`,
      vigil: `${fmt(big.probesPerSec)}/s of ${endpoints}`,
      reference: `${fmt(ref.probesPerSec, 1)}/s of ${referenceEndpoints}`,
      ratio: big.probesPerSec / Math.max(ref.probesPerSec, 1e-9),
      ratioLabel: 'vigil/ref probes/s',
      target: `>= 90% of ticks`,
      pass: kept >= 0.9,
    },
  ]);
} finally {
  target.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
