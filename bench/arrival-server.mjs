// The Node fallback target of bench/fleet.mjs (child process): answers 200 {"status":"UP"} and
// records each request's arrival time by path. IPC: sends { port }; answers { fromMs, toMs } with
// { arrivals: [path, times[]][] } for requests that arrived in [fromMs, toMs).
import { createServer } from 'node:http';

const BODY = '{"status":"UP"}';
/** @type {Map<string, number[]>} */
const arrivals = new Map();
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  const list = arrivals.get(path);
  if (list) list.push(Date.now());
  else arrivals.set(path, [Date.now()]);
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  res.end(BODY);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', ({ fromMs, toMs }) => {
  const out = [];
  for (const [path, times] of arrivals) out.push([path, times.filter((t) => t >= fromMs && t < toMs)]);
  for (const times of arrivals.values()) times.splice(0, times.findIndex((t) => t >= fromMs) >>> 0);
  process.send?.({ arrivals: out });
});
process.on('disconnect', () => process.exit(0));
