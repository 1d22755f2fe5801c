#!/usr/bin/env node
// Status page first render in Chromium: 1000 and 10 000 endpoints (100 results each) against a
// 10-endpoint reference in the same run, as ratios; targets: < 1 s and < 3x the reference. Also the
// page's JS heap after the render (CDP Runtime.getHeapUsage, after a GC) and the overview's size.
// Needs `npm run build` (imports dist/) and chromium.
// Usage: node bench/ui-render.mjs [--runs=5] [--dist=dist] [--counts=10,1000,10000]
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { chromium } from 'playwright-core';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const runs = Number(arg('runs', '5'));
const counts = arg('counts', '10,1000,10000').split(',').map(Number);
const dist = resolve(arg('dist', 'dist'));
if (!existsSync(join(dist, 'web', 'ui', 'router.js'))) {
  console.error(`${dist}/web/ui/router.js not found: run npm run build first`);
  process.exit(2);
}
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { createStore } = await load('store/index.js');
const { createApiRouter } = await load('web/api.js');
const { createUiRouter } = await load('web/ui/router.js');
const { securityHeaders } = await load('web/security.js');
const { silentLogger } = await load('log.js');
const { loadConfig } = await load('config/load.js');

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!executablePath) {
  console.error('chromium not installed');
  process.exit(2);
}

/** A real config (through the loader, as a user would write it) with `count` endpoints in groups of 20. */
async function benchConfig(count) {
  const lines = ['ui:', '  title: bench', '  header: bench', 'endpoints:'];
  for (let i = 0; i < count; i += 1) {
    lines.push(`  - name: endpoint-${i}`, `    group: group-${Math.floor(i / 20)}`, `    url: https://endpoint-${i}.example.com/health`, '    conditions: ["[STATUS] == 200"]');
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    return await loadConfig(file, { env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startApp(count) {
  const now = Date.now();
  const clock = { now: () => now };
  const store = createStore({ historySize: 100, clock });
  const config = await benchConfig(count);
  for (const e of config.endpoints) {
    for (let j = 0; j < 100; j += 1) {
      const ok = (j * 7 + e.name.length) % 13 !== 0;
      store.observe({
        endpoint: e, timestamp: now - (100 - j) * 60000, success: ok,
        result: { connected: true, status: ok ? 200 : 500, responseTimeMs: 20 + (j % 30), phasesMs: {} },
        conditionResults: [{ condition: '[STATUS] == 200', success: ok, rendered: ok ? '[STATUS] == 200' : '[STATUS] (500) == 200' }],
        errors: [],
      });
    }
  }
  const deps = { store, getConfig: () => config, clock, logger: silentLogger, onExternalResult: () => undefined };
  const app = express();
  app.use(securityHeaders());
  app.use(createApiRouter(deps));
  app.use(createUiRouter(deps));
  const server = createServer(app);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const profile = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true, viewport: { width: 1200, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
const results = {};
try {
  const cdp = await context.newCDPSession(page);
  for (const count of counts) {
    const app = await startApp(count);
    const times = [];
    for (let i = 0; i < runs + 1; i += 1) {
      const t0 = performance.now();
      await page.goto(`${app.base}/`, { waitUntil: 'commit' });
      await page.waitForSelector('body[data-ready="1"] article.endpoint .bar.ok');
      const dt = performance.now() - t0;
      if (i > 0) times.push(dt); // first run warms caches
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const res = await fetch(`${app.base}/ui/api/overview`, { headers: { 'Accept-Encoding': 'identity' } });
    const bytes = (await res.arrayBuffer()).byteLength;
    const rendered = await page.locator('article.endpoint').count();
    results[count] = { medianMs: median(times), overviewBytes: bytes, rendered, heapBytes: heap.usedSize };
    await app.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const ref = results[counts[0]];
const rows = [];
for (const count of counts) {
  const r = results[count];
  console.log(`ui-render: ${count} endpoints ${r.medianMs.toFixed(0)} ms (overview ${r.overviewBytes} B, ${r.rendered} rows rendered, JS heap ${mb(r.heapBytes)})`);
  if (count === counts[0]) continue;
  const ratio = r.medianMs / ref.medianMs;
  console.log(`ui-render: ratio ${count}/${counts[0]} = ${ratio.toFixed(2)}x (median of ${runs} runs)`);
  rows.push({
    name: `status page first render (Chromium), ${count} vs ${counts[0]} endpoints`,
    vigil: `${r.medianMs.toFixed(0)} ms, heap ${mb(r.heapBytes)}`,
    reference: `${ref.medianMs.toFixed(0)} ms, heap ${mb(ref.heapBytes)}`,
    ratio,
    ratioLabel: `${count}/${counts[0]} time`,
    target: '< 1000 ms and <= 3x',
    pass: r.medianMs < 1000 && ratio <= 3,
  });
}
console.log(`BENCH_JSON ${JSON.stringify(rows)}`);
