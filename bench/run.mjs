#!/usr/bin/env node
// Runs every benchmark in bench/ in sequence, each in its own process, and prints one table:
// name, vigil result, reference result (measured in the same run), ratio, target, PASS/WARN.
// Targets are informational on shared, noisy machines: the exit code is 0 unless a benchmark
// crashes, or, with --strict, a target is missed.
// Usage: npm run bench [-- --strict] [-- --only=conditions,http-probe,scheduler,ui-render,fleet]
//        npm run bench -- --soak 10m   (only the fleet soak: RSS and lateness every minute)
// To add a benchmark: one line in BENCHMARKS (a file in bench/ that ends with emit(rows)).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { arg, distDir, flag } from './lib.mjs';

/**
 * @typedef {import('./lib.mjs').BenchRow} BenchRow
 * @typedef {{ name: string, file: string }} Benchmark
 */

/** @type {Benchmark[]} */
const BENCHMARKS = [
  { name: 'conditions', file: 'conditions.mjs' },
  { name: 'pattern', file: 'pattern.mjs' },
  { name: 'http-probe', file: 'http-probe.mjs' },
  { name: 'scheduler', file: 'scheduler.mjs' },
  { name: 'ui-render', file: 'ui-render.mjs' },
  { name: 'fleet', file: 'fleet.mjs' },
];

const strict = flag('strict');
/** `--soak 10m` or `--soak=10m`: run only the fleet benchmark's soak. */
const soakIndex = process.argv.indexOf('--soak');
const soak = arg('soak', soakIndex > 0 ? (process.argv[soakIndex + 1] ?? '') : '');
const only = soak ? ['fleet'] : arg('only', '').split(',').filter(Boolean);
/** Extra arguments per benchmark name. */
const extraArgs = { fleet: soak ? [`--soak=${soak}`] : [] };
const dist = distDir();

/** Runs one benchmark, echoing its output; resolves with its exit code and stdout. */
function runChild(file, args = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), `--dist=${dist}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      for (const line of String(d).split('\n')) if (line && !line.startsWith('BENCH_JSON ')) process.stdout.write(`  ${line}\n`);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** @type {Array<BenchRow & { status: string }>} */
const table = [];
let crashed = false;
const started = performance.now();
for (const bench of BENCHMARKS) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  const path = fileURLToPath(new URL(bench.file, import.meta.url));
  if (!existsSync(path)) {
    console.log(`${bench.name}: bench/${bench.file} not present, skipped`);
    continue;
  }
  console.log(`${bench.name}: running bench/${bench.file}`);
  const t0 = performance.now();
  const { code, stdout, stderr } = await runChild(bench.file, extraArgs[bench.name] ?? []);
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  const crash = (why) => {
    crashed = true;
    table.push({ name: bench.name, vigil: '-', reference: '-', ratio: Number.NaN, ratioLabel: '', target: '-', pass: null, status: `CRASH (${why})` });
  };
  if (bench.name === 'ui-render' && code === 2 && /chromium not installed/.test(stderr)) {
    console.log(`${bench.name}: chromium not installed, skipped`);
    table.push({ name: bench.name, vigil: '-', reference: '-', ratio: Number.NaN, ratioLabel: '', target: '-', pass: null, status: 'SKIP' });
    continue;
  }
  if (code !== 0) {
    crash(`exit ${code}`);
    continue;
  }
  try {
    const json = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    /** @type {BenchRow[]} */
    const rows = json ? JSON.parse(json.slice('BENCH_JSON '.length)) : [];
    if (rows.length === 0) throw new Error('no results');
    for (const row of rows) table.push({ ...row, status: row.pass === null ? 'info' : row.pass ? 'PASS' : 'WARN' });
  } catch (err) {
    console.error(`${bench.name}: ${err instanceof Error ? err.message : String(err)}`);
    crash('bad output');
  }
  console.log(`${bench.name}: done in ${seconds} s`);
}

const header = ['benchmark', 'vigil', 'reference', 'ratio', 'target', 'result'];
const cells = table.map((r) => [
  r.name,
  r.vigil,
  r.reference,
  Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x ${r.ratioLabel}`.trim() : '-',
  r.target,
  r.status,
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
console.log('');
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const c of cells) console.log(line(c));
const missed = table.filter((r) => r.pass === false).length;
console.log('');
console.log(
  `${table.length} rows in ${((performance.now() - started) / 1000).toFixed(0)} s; ${missed} target(s) missed` +
    (missed > 0 && !strict ? ' (WARN only: shared machines are noisy; use --strict to fail)' : '') +
    '. Ratios compare runs in the same process/run; absolute numbers depend on the machine.',
);
process.exitCode = crashed || (strict && missed > 0) ? 1 : 0;
