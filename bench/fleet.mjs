#!/usr/bin/env node
// Fleet benchmark (issue 10): vigil probing N HTTP endpoints every 10 s against a local target
// (nginx when installed, else a Node server), next to a minimal Node prober (bench/fleet-minimal.mjs,
// no product code) run the same way, and blackbox_exporter driven by Prometheus at the same rate when
// both are installed. Lateness and missed probes are measured at the target from arrival times, the
// same way for every prober; CPU and RSS by each prober process itself (or /proc for the Go pair).
// vigil and the minimal prober run one after the other; vigil and the Go pair run side by side.
// vigil's window includes a /metrics scrape every 10 s (its first, cache-building scrape is timed
// before the window; the all-endpoints statuses API after it). Event-loop delay is measured in a
// second window, after the CPU window, and for vigil also in windows that cover one scrape each.
// Prints the table, emits rows for bench/run.mjs, writes JSON to bench/results/.
// Usage: node bench/fleet.mjs [--endpoints=1000,10000] [--warmup-s=60] [--measure-s=20]
//        [--blackbox-endpoints=1000] [--target=node] [--soak=10m [--endpoints=10000]]
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, distDir, emit, fmt, loadDist, percentile, sleep } from './lib.mjs';
import { BLACKBOX, PROMETHEUS, processCpuMs, startBlackboxPair } from './fleet-blackbox.mjs';
import { startTarget } from './fleet-target.mjs';

const { hashString } = await loadDist('scheduler/phase.js');
const { endpointKey } = await loadDist('config/key.js');

const INTERVAL_MS = 10_000;
/** Arrivals up to this much before their due time count as on time (timer and log granularity). */
const EARLY_MS = 500;
const soakMs = parseDuration(arg('soak', ''));
const sizes = arg('endpoints', soakMs ? '10000' : '1000,10000').split(',').map(Number);
// 60 s: the first ~60 s after start-up are JIT compilation and V8's first memory-reducer GCs (which
// deoptimize code that then recompiles on helper threads); measured per 20 s window at 1 000 endpoints,
// vigil's CPU fell from 1 950 to ~1 150 ms and the minimal prober's from 1 720 to ~1 270 ms.
const warmupMs = Number(arg('warmup-s', '60')) * 1000;
const measureMs = Math.max(INTERVAL_MS, Math.round(Number(arg('measure-s', '20')) / 10) * INTERVAL_MS);
const blackboxSize = Number(arg('blackbox-endpoints', '1000'));
const dist = distDir();
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const MiB = 2 ** 20;
const SCRAPE_LAG_SAMPLES = 3;

function parseDuration(text) {
  const m = /^(\d+)(s|m|h)?$/.exec(text);
  return m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] : 0;
}

/** Forks a prober child; resolves once it sends { cmd: 'ready' }. */
async function forkChild(file, args) {
  const child = fork(here(file), [...args, `--dist=${dist}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
  const ready = await reply(child, 'ready');
  return { child, ready };
}

function reply(child, cmd) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.cmd !== cmd) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`child exited with ${code} while waiting for ${cmd}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function ask(child, cmd, answer) {
  const r = reply(child, answer);
  child.send({ cmd });
  return r;
}

async function kill(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Lateness of each probe against its endpoint's intended schedule (`phases[i]`, ms within the
 * interval): arrival modulo the interval minus the phase; a little early (clock granularity)
 * counts as 0. A probe belongs to the window by its intended time, so one that is due near the
 * end and arrives late is still counted. Missed: probes below window / interval per endpoint.
 */
function schedule(arrivals, paths, phases, fromMs, windowMs) {
  const late = [];
  let probes = 0;
  let missed = 0;
  const expected = Math.round(windowMs / INTERVAL_MS);
  paths.forEach((path, i) => {
    let n = 0;
    for (const t of arrivals.get(path) ?? []) {
      let lateness = (((t - phases[i]) % INTERVAL_MS) + INTERVAL_MS) % INTERVAL_MS;
      if (lateness > INTERVAL_MS - EARLY_MS) lateness -= INTERVAL_MS; // a little early
      const due = t - lateness;
      if (due < fromMs || due >= fromMs + windowMs) continue;
      n++;
      late.push(Math.max(0, lateness));
    }
    probes += n;
    missed += Math.max(0, expected - n);
  });
  return { probes, missed, lateP99Ms: percentile(late, 99), lateMaxMs: late.length ? Math.max(...late) : Number.NaN };
}

/** vigil's phase of endpoint i: hash(key) mod interval (src/scheduler/phase.ts). */
function vigilPhases(count) {
  return Array.from({ length: count }, (_, i) => hashString(endpointKey(`g-${Math.floor(i / 100)}`, `ep-${i}`)) % INTERVAL_MS);
}

function vigilConfig(count, port, prefix) {
  const lines = ['endpoints:'];
  for (let i = 0; i < count; i++) {
    lines.push(`  - name: ep-${i}`, `    group: g-${Math.floor(i / 100)}`, `    url: http://127.0.0.1:${port}${prefix}?i=${i}`, '    interval: 10s', '    conditions: ["[STATUS] == 200"]');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Each page a user or a dashboard asks for: the status page, its overview (every endpoint's summary),
 * the bars of the first 100 rows, one endpoint's detail and its Gatus statuses. The first answer of
 * each (which builds per-config indexes and caches) is reported apart, like the first scrape; the
 * target (issue 10, each < 100 ms) is on the slowest of the three answers after it.
 */
async function timePages(base, count) {
  const key = endpointKey('g-0', 'ep-0');
  const keys = Array.from({ length: Math.min(100, count) }, (_, i) => endpointKey(`g-${Math.floor(i / 100)}`, `ep-${i}`));
  const pages = {
    'status page': [`${base}/`],
    overview: [`${base}/ui/api/overview`],
    bars: [`${base}/ui/api/bars`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keys }) }],
    'endpoint detail': [`${base}/ui/api/endpoints/${key}`],
    'endpoint statuses': [`${base}/api/v1/endpoints/${key}/statuses`],
  };
  const first = {};
  const slowest = {};
  for (const [name, [url, init]] of Object.entries(pages)) {
    const times = [];
    for (let i = 0; i < 4; i++) {
      const answer = await timedGet(url, init);
      if (!answer.ok) throw new Error(`${url}: HTTP ${answer.status}`);
      times.push(answer.ms);
    }
    first[name] = times[0];
    slowest[name] = Math.max(...times.slice(1));
  }
  return { first, slowest };
}

async function timedGet(url, init) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  return { ms: performance.now() - t0, bytes: Buffer.byteLength(text), text, ok: res.ok, status: res.status };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-fleet-'));
const target = await startTarget(arg('target', 'nginx'));
console.log(`fleet: target ${target.kind} on 127.0.0.1:${target.port}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

/** One prober run at `count` endpoints: warm up (until `windowAt` when given), then measure one window. */
async function runProber(kind, count, windowAt) {
  const prefix = `/${kind}`;
  const paths = Array.from({ length: count }, (_, i) => `${prefix}?i=${i}`);
  let started;
  if (kind === 'vigil') {
    const file = join(dir, `vigil-${count}.yaml`);
    writeFileSync(file, vigilConfig(count, target.port, prefix));
    started = await forkChild('./fleet-vigil.mjs', [`--config=${file}`]);
  } else {
    started = await forkChild('./fleet-minimal.mjs', [`--endpoints=${count}`, `--interval-ms=${INTERVAL_MS}`, `--port=${target.port}`, `--prefix=${prefix}`]);
  }
  const { child, ready } = started;
  const phases = kind === 'vigil' ? vigilPhases(count) : ready.phases;
  try {
    await sleep(windowAt ? Math.max(0, windowAt - Date.now()) : warmupMs);
    const extra = {};
    const metricsUrl = `http://127.0.0.1:${ready.port}/metrics`;
    // The first scrape builds the label texts (cached per series from then on): a one-time cost,
    // timed and reported, but before the measured window, which is the steady state.
    if (kind === 'vigil') extra.firstScrapeMs = (await timedGet(metricsUrl)).ms;
    await ask(child, 'mark', 'marked');
    const from = Date.now();
    if (kind === 'vigil') {
      // In the window vigil is scraped every 10 s, as a Prometheus with a 10 s scrape interval
      // would: that CPU counts against vigil (the minimal prober serves nothing).
      let metrics;
      for (let at = from + INTERVAL_MS / 2; at < from + measureMs; at += INTERVAL_MS) {
        await sleep(Math.max(0, at - Date.now()));
        metrics = await timedGet(metricsUrl);
      }
      const series = metrics.text.split('\n').filter((l) => l && !l.startsWith('#'));
      const skipped = series.filter((l) => l.startsWith('vigil_probes_skipped_total')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      Object.assign(extra, { scrapeMs: metrics.ms, scrapeBytes: metrics.bytes, series: series.length, skipped });
    }
    await sleep(Math.max(0, from + measureMs - Date.now()));
    const cpuReport = await ask(child, 'report', 'report');
    // Event-loop delay in a window of its own (the monitor's timer costs CPU, see fleet-child.mjs),
    // one interval long, with one /metrics scrape in it for vigil: does a scrape block the loop?
    await ask(child, 'lag', 'lagging');
    const lagFrom = Date.now();
    if (kind === 'vigil') {
      await sleep(INTERVAL_MS / 2);
      await timedGet(metricsUrl);
    }
    await sleep(Math.max(0, lagFrom + INTERVAL_MS - Date.now()));
    const { lagP99Ms, lagMaxMs } = await ask(child, 'report', 'report');
    const report = { ...cpuReport, lagP99Ms, lagMaxMs };
    if (kind === 'vigil') {
      // Delay measured only while a scrape is in flight (three scrapes, each in a window of its own):
      // the claim is that writing /metrics never blocks the loop for more than 20 ms at a time.
      let scrapeLagMaxMs = 0;
      for (let i = 0; i < SCRAPE_LAG_SAMPLES; i++) {
        await ask(child, 'lag', 'lagging');
        await timedGet(metricsUrl);
        scrapeLagMaxMs = Math.max(scrapeLagMaxMs, (await ask(child, 'report', 'report')).lagMaxMs);
      }
      extra.scrapeLagMaxMs = scrapeLagMaxMs;
      // The whole statuses API (every endpoint) is a UI/API cost, not the probing steady state: after the windows.
      const statuses = await timedGet(`http://127.0.0.1:${ready.port}/api/v1/endpoints/statuses`);
      Object.assign(extra, { statusesMs: statuses.ms, statusesBytes: statuses.bytes });
      extra.pages = await timePages(`http://127.0.0.1:${ready.port}`, count);
    }
    const arrivals = await target.arrivals(from - INTERVAL_MS / 2, from + measureMs + 2000);
    const sched = schedule(arrivals, paths, phases, from, measureMs);
    const result = { kind, count, ...report, ...sched, ...extra, cpuMsPerProbe: report.cpuMs / Math.max(1, sched.probes) };
    console.log(
      `fleet: ${kind} ${count} endpoints: ${result.probes} probes (${result.missed} missed), CPU ${result.cpuMsPerProbe.toFixed(2)} ms/probe, ` +
        `RSS ${fmt(result.rss / MiB)} MB (peak ${fmt(result.maxRss / MiB)}), lateness p99 ${result.lateP99Ms.toFixed(0)} / max ${result.lateMaxMs.toFixed(0)} ms, ` +
        `loop delay max ${result.lagMaxMs.toFixed(0)} ms` +
        (kind === 'vigil' ? ` (${result.scrapeLagMaxMs.toFixed(0)} ms during a scrape)` : '') +
        (kind === 'vigil'
          ? `, /metrics ${fmt(result.series)} series (${(result.series / count).toFixed(1)}/endpoint) in ${fmt(result.scrapeMs)} ms (first scrape ${fmt(result.firstScrapeMs)} ms), ${fmt(result.scrapeBytes / MiB, 1)} MB; statuses API ${fmt(result.statusesMs)} ms, ${fmt(result.statusesBytes / MiB, 1)} MB`
          : ''),
    );
    return result;
  } finally {
    await kill(child);
  }
}

async function idleRss() {
  const file = join(dir, 'vigil-1.yaml');
  writeFileSync(file, vigilConfig(1, target.port, '/idle'));
  const { child } = await forkChild('./fleet-vigil.mjs', [`--config=${file}`]);
  await sleep(3000);
  const report = await ask(child, 'report', 'report');
  await kill(child);
  return report.rss;
}

async function runBlackbox(count, windowAt) {
  const prefix = '/blackbox';
  const paths = Array.from({ length: count }, (_, i) => `${prefix}?i=${i}`);
  const pair = await startBlackboxPair(paths.map((p) => `http://127.0.0.1:${target.port}${p}`), INTERVAL_MS);
  try {
    await sleep(windowAt ? Math.max(0, windowAt - Date.now()) : warmupMs + 5000);
    const cpu0 = pair.pids.map(processCpuMs);
    const from = Date.now();
    await sleep(measureMs);
    const cpuMs = pair.pids.map(processCpuMs).reduce((a, c, i) => a + c - cpu0[i], 0);
    const arrivals = await target.arrivals(from, from + measureMs);
    const phases = paths.map((p) => ((arrivals.get(p)?.[0] ?? 0) % INTERVAL_MS));
    const sched = schedule(arrivals, paths, phases, from, measureMs);
    const result = { kind: 'blackbox+prometheus', count, cpuMs, ...sched, cpuMsPerProbe: cpuMs / Math.max(1, sched.probes) };
    console.log(`fleet: blackbox_exporter + Prometheus ${count} targets: ${result.probes} probes, CPU ${result.cpuMsPerProbe.toFixed(2)} ms/probe (exporter + Prometheus)`);
    return result;
  } finally {
    await pair.stop();
  }
}

function closedLoop() {
  const out = execFileSync(process.execPath, [here('./fleet-closed-loop.mjs'), `--port=${target.port}`, `--dist=${dist}`, '--seconds=5'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

async function soak() {
  const count = sizes[0];
  const prefix = '/vigil';
  const paths = Array.from({ length: count }, (_, i) => `${prefix}?i=${i}`);
  const file = join(dir, `soak-${count}.yaml`);
  writeFileSync(file, vigilConfig(count, target.port, prefix));
  const { child } = await forkChild('./fleet-vigil.mjs', [`--config=${file}`]);
  const phases = vigilPhases(count);
  const minutes = [];
  try {
    await sleep(warmupMs);
    for (let t = 0; t < soakMs; t += 60_000) {
      await ask(child, 'mark', 'marked');
      await ask(child, 'lag', 'lagging'); // no CPU figure in the soak: the delay monitor may run
      const from = Date.now();
      const window = Math.min(60_000, soakMs - t);
      await sleep(window);
      const report = await ask(child, 'report', 'report');
      await sleep(2000);
      const sched = schedule(await target.arrivals(from - INTERVAL_MS / 2, from + window + 2000), paths, phases, from, window);
      minutes.push({ minute: t / 60_000 + 1, rss: report.rss, ...sched, lagMaxMs: report.lagMaxMs, loadavg: loadavg()[0] });
      console.log(`soak: minute ${t / 60_000 + 1}: RSS ${fmt(report.rss / MiB)} MB, heap ${fmt(report.heapUsed / MiB)} MB, lateness p99 ${sched.lateP99Ms.toFixed(0)} / max ${sched.lateMaxMs.toFixed(0)} ms, ${sched.missed} missed, load ${loadavg()[0].toFixed(2)}`);
    }
  } finally {
    await kill(child);
  }
  return { soak: { endpoints: count, minutes } };
}

function rowsFor(v, m) {
  const n = v.count;
  const big = n >= 10_000;
  const ratio = v.cpuMsPerProbe / m.cpuMsPerProbe;
  const rssTarget = big ? 300 : 120;
  return [
    { name: `fleet ${n}@10s: CPU-ms/probe`, vigil: v.cpuMsPerProbe.toFixed(2), reference: `${m.cpuMsPerProbe.toFixed(2)} (minimal Node)`, ratio, ratioLabel: 'vigil/minimal', target: big ? '<= 1.3x' : 'info', pass: big ? ratio <= 1.3 : null },
    { name: `fleet ${n}@10s: RSS`, vigil: `${fmt(v.rss / MiB)} MB`, reference: `${fmt(m.rss / MiB)} MB`, ratio: v.rss / m.rss, ratioLabel: 'vigil/minimal', target: `< ${rssTarget} MB`, pass: v.rss / MiB < rssTarget },
    { name: `fleet ${n}@10s: lateness p99 / max`, vigil: `${v.lateP99Ms.toFixed(0)} / ${v.lateMaxMs.toFixed(0)} ms`, reference: `${m.lateP99Ms.toFixed(0)} / ${m.lateMaxMs.toFixed(0)} ms`, ratio: v.lateP99Ms / Math.max(1, m.lateP99Ms), ratioLabel: 'p99 vigil/minimal', target: '< 50 / < 250 ms', pass: v.lateP99Ms < 50 && v.lateMaxMs < 250 },
    { name: `fleet ${n}@10s: missed probes (skipped)`, vigil: `${v.missed} (${v.skipped} skipped)`, reference: `${m.missed}`, ratio: Number.NaN, ratioLabel: '', target: '0', pass: v.missed === 0 && v.skipped === 0 },
    { name: `fleet ${n}@10s: /metrics`, vigil: `${(v.series / n).toFixed(1)} series/endpoint, ${fmt(v.scrapeMs)} ms (first ${fmt(v.firstScrapeMs)}), ${fmt(v.scrapeBytes / MiB, 1)} MB`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: '<= 12/endpoint, < 250 ms', pass: v.series / n <= 12 + 100 / n && v.scrapeMs < 250 },
    { name: `fleet ${n}@10s: event-loop delay max during a /metrics scrape`, vigil: `${v.scrapeLagMaxMs.toFixed(0)} ms`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: '< 20 ms', pass: v.scrapeLagMaxMs < 20 },
    { name: `fleet ${n}@10s: event-loop delay max`, vigil: `${v.lagMaxMs.toFixed(0)} ms`, reference: `${m.lagMaxMs.toFixed(0)} ms`, ratio: Number.NaN, ratioLabel: '', target: 'info', pass: null },
    { name: `fleet ${n}@10s: pages, slowest of 3 answers (first answer)`, vigil: Object.entries(v.pages.slowest).map(([page, ms]) => `${page} ${fmt(ms)} (${fmt(v.pages.first[page])})`).join(', ') + ' ms', reference: '-', ratio: Number.NaN, ratioLabel: '', target: '< 100 ms each', pass: Math.max(...Object.values(v.pages.slowest)) < 100 },
    { name: `fleet ${n}@10s: statuses API (all endpoints)`, vigil: `${fmt(v.statusesMs)} ms, ${fmt(v.statusesBytes / MiB, 1)} MB`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: 'info', pass: null },
  ];
}

const results = { startedAt: new Date().toISOString(), target: target.kind, loadavgStart: loadavg(), runs: [] };
const rows = [];
try {
  if (soakMs) {
    Object.assign(results, await soak());
    const minutes = results.soak.minutes;
    const first = minutes[0];
    const last = minutes[minutes.length - 1];
    rows.push({ name: `fleet soak ${results.soak.endpoints}@10s: RSS minute 1 → ${last.minute}`, vigil: `${fmt(first.rss / MiB)} → ${fmt(last.rss / MiB)} MB`, reference: '-', ratio: last.rss / first.rss, ratioLabel: 'last/first', target: 'info (flat = no leak)', pass: null });
    rows.push({ name: `fleet soak ${results.soak.endpoints}@10s: worst minute lateness p99 / max`, vigil: `${fmt(Math.max(...minutes.map((m) => m.lateP99Ms)))} / ${fmt(Math.max(...minutes.map((m) => m.lateMaxMs)))} ms`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: '< 50 / < 250 ms', pass: null });
  }
  else {
    const idle = await idleRss();
    results.idleRss = idle;
    console.log(`fleet: vigil idle with 1 endpoint: RSS ${fmt(idle / MiB)} MB`);
    rows.push({ name: 'fleet: idle RSS, 1 endpoint', vigil: `${fmt(idle / MiB)} MB`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: '< 70 MB', pass: idle / MiB < 70 });
    const table = [];
    for (const n of sizes) {
      const v = await runProber('vigil', n);
      const m = await runProber('minimal', n);
      results.runs.push(v, m);
      table.push([v, m]);
      rows.push(...rowsFor(v, m));
    }
    if (BLACKBOX && PROMETHEUS && blackboxSize > 0) {
      // Side by side: vigil and the pair probe the same target at the same time and are measured over
      // the same window, so the machine's speed, which drifts between runs minutes apart (vigil's and the
      // minimal prober's CPU-ms/probe at 1 000 endpoints moved by a third on this VM), moves both alike.
      console.log(`fleet: vigil and blackbox_exporter + Prometheus at ${blackboxSize} endpoints each, at the same time`);
      const windowAt = Date.now() + warmupMs + 5000;
      const [v, b] = await Promise.all([runProber('vigil', blackboxSize, windowAt), runBlackbox(blackboxSize, windowAt)]);
      results.runs.push({ ...v, alongside: 'blackbox+prometheus' }, b);
      const ratio = v.cpuMsPerProbe / b.cpuMsPerProbe;
      rows.push({ name: `fleet ${blackboxSize}@10s: CPU-ms/probe vs blackbox_exporter + Prometheus`, vigil: v.cpuMsPerProbe.toFixed(2), reference: b.cpuMsPerProbe.toFixed(2), ratio, ratioLabel: 'vigil/blackbox', target: '<= 0.35x', pass: ratio <= 0.35 });
    } else if (blackboxSize > 0) console.log('fleet: prometheus or blackbox_exporter not installed: no blackbox comparison');
    const loop = closedLoop();
    results.closedLoop = loop;
    console.log(`fleet: closed loop: ${fmt(loop.probesPerSec)} probes/s (${loop.failures} failures)`);
    rows.push({ name: 'fleet: closed-loop HTTP probes/s (probeHttp, 64 in flight)', vigil: `${fmt(loop.probesPerSec)}/s`, reference: '-', ratio: Number.NaN, ratioLabel: '', target: '>= 3000/s', pass: loop.probesPerSec >= 3000 });
    console.log('');
    console.log('| endpoints | vigil CPU-ms/probe | minimal Node | vigil RSS | minimal RSS | vigil lateness p99 / max | minimal p99 / max | series on /metrics | one /metrics scrape |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [v, m] of table) {
      console.log(
        `| ${fmt(v.count)} | ${v.cpuMsPerProbe.toFixed(2)} | ${m.cpuMsPerProbe.toFixed(2)} | ${fmt(v.rss / MiB)} MB | ${fmt(m.rss / MiB)} MB | ${v.lateP99Ms.toFixed(0)} / ${v.lateMaxMs.toFixed(0)} ms | ` +
          `${m.lateP99Ms.toFixed(0)} / ${m.lateMaxMs.toFixed(0)} ms | ${fmt(v.series)} | ${fmt(v.scrapeMs)} ms (first ${fmt(v.firstScrapeMs)} ms), ${fmt(v.scrapeBytes / MiB, 1)} MB |`,
      );
    }
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (target ${target.kind})`);
  }
} finally {
  await target.stop();
  rmSync(dir, { recursive: true, force: true });
}
results.loadavgEnd = loadavg();
const resultsDir = here('./results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `fleet-${results.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`fleet: results in ${file}`);
if (rows.length > 0) emit(rows);
