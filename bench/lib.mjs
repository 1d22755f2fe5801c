// Shared helpers for the benchmarks in bench/. Plain ESM with JSDoc, no build step.
// Every benchmark prints human-readable lines, then one `BENCH_JSON <json>` line with its rows,
// which bench/run.mjs collects into the table.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * One line of the final table.
 * @typedef {object} BenchRow
 * @property {string} name       benchmark name
 * @property {string} vigil      vigil's result, formatted with its unit
 * @property {string} reference  the reference result, formatted with its unit
 * @property {number} ratio      the compared number (meaning given by ratioLabel)
 * @property {string} ratioLabel how to read the ratio, e.g. "vigil/ref"
 * @property {string} target     the target, human-readable, or "info"
 * @property {boolean | null} pass  true/false against the target; null when informational
 */

/** @param {string} name @param {string} fallback @returns {string} */
export function arg(name, fallback) {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/** @param {string} name @returns {boolean} */
export function flag(name) {
  return process.argv.includes(`--${name}`);
}

/** Absolute path of the built code; exits with a message when it is missing. */
export function distDir() {
  const dist = resolve(arg('dist', 'dist'));
  if (!existsSync(join(dist, 'app.js'))) {
    console.error(`${dist}/app.js not found: run npm run build first (npm run bench does)`);
    process.exit(2);
  }
  return dist;
}

/** Imports a module of the built code, e.g. loadDist('conditions/index.js'). @param {string} path */
export function loadDist(path) {
  return import(pathToFileURL(join(distDir(), path)).href);
}

/** @param {readonly number[]} xs @returns {number} */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile, p in [0, 100]. @param {readonly number[]} xs @param {number} p */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

/** 12345.6 → "12,346". @param {number} n @param {number} [digits] */
export function fmt(n, digits = 0) {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Runs `count` tasks with at most `concurrency` in flight; returns each task's wall time in ms
 * and the total elapsed ms. Bounded: every worker takes indexes from a shared counter.
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<void>} task
 * @returns {Promise<{ latenciesMs: number[], elapsedMs: number }>}
 */
export async function runPool(count, concurrency, task) {
  const latenciesMs = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      latenciesMs[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latenciesMs, elapsedMs: performance.now() - start };
}

/** Prints the rows for bench/run.mjs. @param {BenchRow[]} rows */
export function emit(rows) {
  console.log(`BENCH_JSON ${JSON.stringify(rows)}`);
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
