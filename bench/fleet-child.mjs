// The measuring side of a prober child process in bench/fleet.mjs (vigil or the minimal prober).
// IPC in: { cmd: 'mark' } starts a measured window (CPU, RSS peak); { cmd: 'lag' } starts measuring
// event-loop delay (until the next 'mark'); { cmd: 'report' } answers { cpuMs, rss, maxRss, heapUsed,
// lagP99Ms, lagMaxMs } for the window so far.
// The delay monitor is off in CPU windows: its 10 ms timer wakes the process 100 times a second,
// ~7 CPU-ms/s on this machine (0.07 ms/probe at 100 probes/s), which blackbox_exporter does not pay.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const LAG_RESOLUTION_MS = 10;
const beyond = (ns) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);

/** Starts answering the parent; `onMessage` gets every other message. */
export function measuredChild(onMessage = () => {}) {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  let cpuStart = process.cpuUsage();
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 500);
  sampler.unref();
  process.on('message', (message) => {
    if (message?.cmd === 'mark') {
      cpuStart = process.cpuUsage();
      maxRss = process.memoryUsage.rss();
      lag.disable();
      process.send?.({ cmd: 'marked' });
    } else if (message?.cmd === 'lag') {
      lag.reset();
      lag.enable();
      process.send?.({ cmd: 'lagging' });
    } else if (message?.cmd === 'report') {
      const cpu = process.cpuUsage(cpuStart);
      const memory = process.memoryUsage();
      process.send?.({
        cmd: 'report',
        cpuMs: (cpu.user + cpu.system) / 1000,
        rss: memory.rss,
        maxRss: Math.max(maxRss, memory.rss),
        heapUsed: memory.heapUsed,
        lagP99Ms: beyond(lag.percentile(99)),
        lagMaxMs: beyond(lag.max),
      });
    } else {
      onMessage(message);
    }
  });
  process.on('disconnect', () => process.exit(0));
}
