#!/usr/bin/env node
// HTTP probe throughput and latency: vigil's probeHttp vs. plain undici request() with a fresh Client
// per request (the same fresh-connection work, without vigil's phase timing, TLS capture, body cap).
// Both probe the same local server (a child process). When prometheus-blackbox-exporter is installed,
// the same number of /probe?module=http_2xx requests go to a blackbox_exporter child (informational).
// Usage: node bench/http-probe.mjs [--probes=2000] [--concurrency=50] [--rounds=3]
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Pool, request } from 'undici';
import { arg, emit, fmt, loadDist, median, percentile, runPool, sleep } from './lib.mjs';

const { probeHttp } = await loadDist('probe/http.js');

const probes = Number(arg('probes', '2000'));
const concurrency = Number(arg('concurrency', '50'));
const rounds = Number(arg('rounds', '3'));
const BLACKBOX = ['/usr/bin/prometheus-blackbox-exporter', '/usr/bin/blackbox_exporter'].find((p) => existsSync(p));

/** Starts bench/target-server.mjs as a child; resolves with its port and a stop(). */
async function startTarget() {
  const child = fork(fileURLToPath(new URL('./target-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`target server exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

const target = await startTarget();
const url = `http://127.0.0.1:${target.port}/health`;
const probeTarget = { url: new URL(url), method: 'GET', headers: {}, body: '' };
const probeOptions = { timeoutMs: 10_000, insecure: false, followRedirects: true, maxRedirects: 10, maxBodyBytes: 1 << 20, network: 'ip' };

/** @typedef {{ name: string, once: () => Promise<boolean> }} Contender */

/** @type {Contender} */
const vigil = {
  name: 'vigil probeHttp',
  once: async () => {
    const result = await probeHttp(probeTarget, probeOptions, new AbortController().signal);
    return result.status === 200 && result.error === undefined;
  },
};

/** @type {Contender} */
const reference = {
  name: 'undici fresh Client',
  once: async () => {
    const client = new Client(`http://127.0.0.1:${target.port}`);
    try {
      const res = await request(url, { dispatcher: client, method: 'GET' });
      await res.body.text();
      return res.statusCode === 200;
    } finally {
      await client.close();
    }
  },
};

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts blackbox_exporter on loopback with an http_2xx module; resolves with a contender and stop(). */
async function startBlackbox(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-blackbox-'));
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, 'modules:\n  http_2xx:\n    prober: http\n    timeout: 10s\n    http:\n      preferred_ip_protocol: ip4\n');
  const port = await freePort();
  const child = spawn(binary, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency });
  const stop = async () => {
    await pool.close().catch(() => undefined);
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await pool.request({ path: '/-/healthy', method: 'GET' });
      await res.body.text();
      if (res.statusCode === 200) {
        const path = `/probe?module=http_2xx&target=${encodeURIComponent(url)}`;
        /** @type {Contender} */
        const contender = {
          name: 'blackbox_exporter /probe',
          once: async () => {
            const r = await pool.request({ path, method: 'GET' });
            const text = await r.body.text();
            return r.statusCode === 200 && /^probe_success 1$/m.test(text);
          },
        };
        return { contender, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`blackbox_exporter did not become healthy: ${stderr}`);
}

/** One round of `probes` probes; fails loudly when a probe fails (the numbers would be meaningless). */
async function round(contender, count) {
  let failed = 0;
  const { latenciesMs, elapsedMs } = await runPool(count, concurrency, async () => {
    if (!(await contender.once())) failed++;
  });
  if (failed > 0) throw new Error(`${contender.name}: ${failed} of ${count} probes failed`);
  return { perSec: count / (elapsedMs / 1000), p50: percentile(latenciesMs, 50), p99: percentile(latenciesMs, 99) };
}

let blackbox;
try {
  if (BLACKBOX) blackbox = await startBlackbox(BLACKBOX);
  else console.log('http-probe: prometheus-blackbox-exporter not installed, skipping the blackbox comparison');
  const contenders = [vigil, reference, ...(blackbox ? [blackbox.contender] : [])];
  for (const c of contenders) await round(c, Math.min(200, probes)); // warm-up: JIT, sockets

  /** @type {Map<Contender, Array<{ perSec: number, p50: number, p99: number }>>} */
  const stats = new Map(contenders.map((c) => [c, []]));
  const ratios = [];
  const blackboxRatios = [];
  for (let r = 0; r < rounds; r++) {
    // Interleaved, so load from other processes hits every contender in every round.
    const byName = new Map();
    for (const c of contenders) {
      const s = await round(c, probes);
      stats.get(c).push(s);
      byName.set(c, s);
      console.log(`http-probe: round ${r + 1}: ${c.name.padEnd(26)} ${fmt(s.perSec)} probes/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
    }
    ratios.push(byName.get(vigil).perSec / byName.get(reference).perSec);
    if (blackbox) blackboxRatios.push(byName.get(vigil).perSec / byName.get(blackbox.contender).perSec);
  }
  const summary = (c) => {
    const s = stats.get(c);
    return { perSec: median(s.map((x) => x.perSec)), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)) };
  };
  const show = (s) => `${fmt(s.perSec)}/s p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} ms`;
  const v = summary(vigil);
  const ref = summary(reference);
  const ratio = median(ratios);
  console.log(`http-probe: ${probes} probes, concurrency ${concurrency}, median of ${rounds} rounds: vigil ${show(v)}; reference ${show(ref)}; ratio ${ratio.toFixed(2)}`);
  const rows = [
    {
      name: `http probe: ${probes} probes, concurrency ${concurrency}`,
      vigil: show(v),
      reference: `${show(ref)} (undici)`,
      ratio,
      ratioLabel: 'vigil/ref probes/s',
      target: '>= 0.5x',
      pass: ratio >= 0.5,
    },
  ];
  if (blackbox) {
    const b = summary(blackbox.contender);
    const bRatio = median(blackboxRatios);
    console.log(`http-probe: blackbox_exporter ${show(b)}; vigil/blackbox ${bRatio.toFixed(2)}`);
    rows.push({
      name: 'http probe vs blackbox_exporter /probe',
      vigil: show(v),
      reference: `${show(b)} (blackbox)`,
      ratio: bRatio,
      ratioLabel: 'vigil/blackbox probes/s',
      target: 'info',
      pass: null,
    });
  }
  emit(rows);
} finally {
  await blackbox?.stop();
  target.stop();
}
