// The measuring side of a prober child process in bench/fleet.mjs (vigil or the minimal prober).
// IPC in: { cmd: 'mark' } starts a measured window (CPU, RSS peak, event-loop delay);
// { cmd: 'report' } answers { cpuMs, rss, maxRss, heapUsed, lagP99Ms, lagMaxMs } for the window so far.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const LAG_RESOLUTION_MS = 10;
const beyond = (ns) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);

/** Starts answering the parent; `onMessage` gets every other message. */
export function measuredChild(onMessage = () => {}) {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  let cpuStart = process.cpuUsage();
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 500);
  sampler.unref();
  process.on('message', (message) => {
    if (message?.cmd === 'mark') {
      cpuStart = process.cpuUsage();
      maxRss = process.memoryUsage.rss();
      lag.reset();
      process.send?.({ cmd: 'marked' });
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
