// Child process of bench/scheduler.mjs (forked with --expose-gc): runs the real app (dist/app.js
// startApp) on a generated config, and measures its own RSS and event-loop delay.
// IPC out: { phase: 'warm' } when the measured window starts, { phase: 'done', ... } at its end.
// Args: --config=FILE --warmup-ms=5000 --measure-ms=15000
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { arg, loadDist, sleep } from './lib.mjs';

const LAG_RESOLUTION_MS = 10;
const configFile = arg('config', '');
const warmupMs = Number(arg('warmup-ms', '5000'));
const measureMs = Number(arg('measure-ms', '15000'));

const { startApp } = await loadDist('app.js');
const { parseFlags } = await loadDist('flags.js');
const { createLogger } = await loadDist('log.js');

const collect = () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  return process.memoryUsage();
};
const send = (message) => new Promise((resolve) => process.send?.(message, () => resolve(undefined)));

const command = parseFlags([`--config.file=${configFile}`, '--web.listen-address=127.0.0.1:0', '--log.level=error', '--replica=bench']);
if (command.kind !== 'run') throw new Error(`unexpected command ${command.kind}`);

// Settle what loading the modules left behind before taking the baseline.
collect();
await sleep(200);
const baseline = collect();
const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
lag.enable();
const app = await startApp(command.flags, createLogger({ level: 'error' }));
await sleep(warmupMs); // the scheduler spreads first runs over 5 s
lag.reset();
const warm = collect();
const cpuStart = process.cpuUsage();
await send({ phase: 'warm' });
const rssSamples = [];
// Bounded: one sample per second of the measured window.
for (let t = 0; t < measureMs; t += 1000) {
  await sleep(Math.min(1000, measureMs - t));
  rssSamples.push(process.memoryUsage().rss);
}
lag.disable();
const cpu = process.cpuUsage(cpuStart);
const end = collect();
// Histogram values are whole timer intervals; subtract the resolution to get the lag beyond it.
const beyond = (ns) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
await send({
  phase: 'done',
  baselineRss: baseline.rss,
  warmRss: warm.rss,
  endRss: end.rss,
  endHeapUsed: end.heapUsed,
  endHeapTotal: end.heapTotal,
  endExternal: end.external,
  endArrayBuffers: end.arrayBuffers,
  baselineHeapUsed: baseline.heapUsed,
  maxRss: Math.max(...rssSamples, end.rss),
  lagP50Ms: beyond(lag.percentile(50)),
  lagP99Ms: beyond(lag.percentile(99)),
  lagMaxMs: beyond(lag.max),
  cpuMs: (cpu.user + cpu.system) / 1000,
});
await app.stop();
process.exit(0);
