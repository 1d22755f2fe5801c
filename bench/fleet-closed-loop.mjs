// Closed loop for bench/fleet.mjs (child process): vigil's probeHttp against the target as fast as
// it goes, `--concurrency` probes in flight for `--seconds`. Prints one JSON line { probesPerSec, failures }.
import { arg, loadDist } from './lib.mjs';

const { probeHttp } = await loadDist('probe/http.js');
const port = Number(arg('port', '0'));
const concurrency = Number(arg('concurrency', '64'));
const seconds = Number(arg('seconds', '5'));
const target = { url: new URL(`http://127.0.0.1:${port}/closed-loop`), method: 'GET', headers: {}, body: '' };
const options = { timeoutMs: 5000, insecure: false, followRedirects: true, maxRedirects: 10, maxBodyBytes: 1 << 20, network: 'ip' };
let done = 0;
let failures = 0;
const until = performance.now() + seconds * 1000;
const worker = async () => {
  while (performance.now() < until) {
    const r = await probeHttp(target, options, new AbortController().signal);
    if (r.status === 200 && !r.error) done++;
    else failures++;
  }
};
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ probesPerSec: done / ((performance.now() - t0) / 1000), failures }));
