// Probe target for bench/fleet.mjs: local nginx (Debian nginx-light) when installed, started as a
// child process with a temporary config on a free port; otherwise bench/arrival-server.mjs (Node).
// Both answer `200 {"status":"UP"}` and record each request's arrival time and path, so lateness
// and missed probes are measured the same way for every prober.
import { spawn, fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './lib.mjs';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {{ kind: string, port: number, arrivals: (fromMs: number, toMs: number) => Promise<Map<string, number[]>>, pid: () => number[], stop: () => Promise<void> }} Target
 */

/** @returns {Promise<Target>} */
async function startNginx() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const log = join(dir, 'logs', 'access.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      'daemon off;',
      'master_process off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 16384; }',
      'http {',
      "  log_format arrival '$msec $request_uri';",
      `  access_log ${log} arrival buffer=256k flush=1s;`,
      `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
      '  keepalive_timeout 5s;',
      `  server { listen 127.0.0.1:${port} backlog=4096; location / { default_type application/json; return 200 '{"status":"UP"}'; } }`,
      '}',
    ].join('\n'),
  );
  const child = spawn(NGINX ?? 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(50);
  }
  return {
    kind: `nginx ${NGINX}`,
    port,
    pid: () => [child.pid ?? 0],
    async arrivals(fromMs, toMs) {
      await sleep(1200); // the access log is flushed every second
      /** @type {Map<string, number[]>} */
      const out = new Map();
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const space = line.indexOf(' ');
        if (space < 0) continue;
        const at = Number(line.slice(0, space)) * 1000;
        if (at < fromMs || at >= toMs) continue;
        const path = line.slice(space + 1);
        const list = out.get(path);
        if (list) list.push(at);
        else out.set(path, [at]);
      }
      return out;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** @returns {Promise<Target>} */
async function startNode() {
  const child = fork(fileURLToPath(new URL('./arrival-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`arrival server exited with ${code}`)));
  });
  return {
    kind: 'Node http server (nginx not installed)',
    port,
    pid: () => [child.pid ?? 0],
    arrivals(fromMs, toMs) {
      return new Promise((resolve) => {
        child.once('message', (m) => resolve(new Map(m.arrivals)));
        child.send({ fromMs, toMs });
      });
    },
    async stop() {
      child.kill();
    },
  };
}

/** nginx when installed (unless --target=node), else the Node server. */
export function startTarget(prefer = 'nginx') {
  return NGINX && prefer !== 'node' ? startNginx() : startNode();
}
