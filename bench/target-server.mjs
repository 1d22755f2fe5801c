// A probe target for the benchmarks, run as a child process (fork) so its work does not land on the
// event loop being measured. Listens on 127.0.0.1:0, answers every request with a small JSON body
// and `Connection: close` (the server closes first, so TIME_WAIT stays on its side, not on the
// prober's ephemeral ports). IPC: sends { port } when listening; answers 'count' with { count }.
import { createServer } from 'node:http';

const BODY = JSON.stringify({ status: 'UP', data: [{ id: 1 }], items: [1, 2, 3, 4] });
let count = 0;
const server = createServer((req, res) => {
  count++;
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), connection: 'close' });
  res.end(BODY);
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message) => {
  if (message === 'count') process.send?.({ count });
});
process.on('disconnect', () => process.exit(0));
