/**
 * Loopback targets for test/integration/hostile-targets.test.ts, run as a child process so their work
 * does not share vigil's event loop: a healthy HTTP server (recording when each path was requested)
 * and servers that misbehave the way real targets do. Sends {ports} over IPC once listening; answers
 * 'report' with the request times per path; exits on 'exit' or when the parent goes away.
 * Plain JavaScript so node runs it without a TypeScript loader.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';

/** @param {(socket: import('node:net').Socket) => void} onSocket */
async function serveTcp(onSocket) {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listening(server);
}

/** @param {import('node:net').Server} server */
async function listening(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Calls `tick` every `everyMs` until the socket closes.
 * @param {import('node:net').Socket} socket @param {number} everyMs @param {() => void} tick
 */
function every(socket, everyMs, tick) {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else tick();
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** Accepts, reads, never answers. */
const silentTcp = () => serveTcp((socket) => socket.resume());

/** Answers a status line, then one header byte every 100 ms, forever. */
const tricklingHeaders = () =>
  serveTcp((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\n');
      every(socket, 100, () => socket.write('X'));
    });
  });

/** Answers a TLS ClientHello with bytes that are not TLS: an HTTP/1.0 error, or binary noise. */
/** @param {'text' | 'binary'} kind */
const tlsGarbage = (kind) =>
  serveTcp((socket) => {
    socket.once('data', () => {
      if (kind === 'text') socket.end('HTTP/1.0 400 Bad Request\r\n\r\n');
      else socket.end(Buffer.from([0x16, 0x03, 0x03, 0x7f, 0xff, 0x02, 0x00, 0x00, 0x4d, 0x03, 0x03, ...Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)]));
    });
  });

/** Redirects every request to itself. */
const redirectLoop = () =>
  listening(
    createHttpServer((req, res) => {
      res.writeHead(302, { location: req.url ?? '/' });
      res.end();
    }),
  );

/** Sends headers and part of the promised body, then resets the connection. */
const resetMidBody = () =>
  serveTcp((socket) => {
    socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{"status":', () => socket.resetAndDestroy()));
  });

/** A body that never ends (chunked), written as fast as the client reads. */
const endlessBody = () =>
  serveTcp((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
      const chunk = Buffer.alloc(16 * 1024, 'z');
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) {
          /* until the client pushes back */
        }
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
  });

/** For grpc://: answers the HTTP/2 preface with an HTTP/1.1 response and closes. */
const http1ForGrpc = () =>
  serveTcp((socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  });

/** @type {Map<string, number[]>} */
const seen = new Map();
const healthy = () =>
  listening(
    createHttpServer((req, res) => {
      const path = req.url ?? '';
      seen.set(path, [...(seen.get(path) ?? []), Date.now()]);
      res.end('{"status":"UP"}');
    }),
  );

const ports = {
  healthy: await healthy(),
  trickling: await tricklingHeaders(),
  tlsText: await tlsGarbage('text'),
  tlsBinary: await tlsGarbage('binary'),
  redirect: await redirectLoop(),
  silent: await silentTcp(),
  reset: await resetMidBody(),
  endless: await endlessBody(),
  grpcSilent: await silentTcp(),
  grpcHttp1: await http1ForGrpc(),
};
process.on('message', (message) => {
  if (message === 'report') process.send?.({ seen: Object.fromEntries(seen) });
  else process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ports });
