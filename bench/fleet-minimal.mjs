// The floor for bench/fleet.mjs (child process): a deliberately minimal Node prober, no product
// code: node:http GET with a fresh connection per probe, status 200 check, body read and dropped;
// no conditions, metrics or history. Each endpoint runs every interval at phase i × interval / N
// with one setTimeout chain per endpoint (phases sent to the parent). Args: --endpoints=N --interval-ms=MS --port=P
import { request } from 'node:http';
import { arg } from './lib.mjs';
import { measuredChild } from './fleet-child.mjs';

const endpoints = Number(arg('endpoints', '1000'));
const intervalMs = Number(arg('interval-ms', '10000'));
const port = Number(arg('port', '0'));
const prefix = arg('prefix', '/minimal');
let failures = 0; // counted for debugging; the parent measures probes at the target

function probe(i) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: `${prefix}?i=${i}`, agent: false, timeout: 5000 }, (res) => {
      if (res.statusCode !== 200) failures++;
      res.on('data', () => {});
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', () => {
      failures++;
      resolve(undefined);
    });
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const start = Date.now() + 100;
const phases = [];
for (let i = 0; i < endpoints; i++) {
  let next = start + Math.floor((i * intervalMs) / endpoints);
  phases.push(next % intervalMs);
  const tick = () => {
    next += intervalMs;
    setTimeout(tick, Math.max(0, next - Date.now()));
    void probe(i);
  };
  setTimeout(tick, next - Date.now());
}
measuredChild();
process.send?.({ cmd: 'ready', phases });
