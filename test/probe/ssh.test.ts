import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'ssh2';
import type { Connection } from 'ssh2';
import { probeSsh } from '../../src/probe/ssh.js';
import { listen } from '../helpers/listen.js';
import { closedPort, makeOptions, makeTarget, probeSilentServer } from '../helpers/protocol-probe.js';

const USER = 'probe';
const PASSWORD = 'correct horse';

/** An SSH server with password auth; `exec` answers `exit N` with exit code N and prints `ran: <command>`. */
async function startSshServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [privateKey], ident: 'vigil-test-ssh', greeting: 'welcome to the test server' }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === USER && ctx.password === PASSWORD) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('exec', (acceptExec, _reject, info) => {
        const stream = acceptExec();
        const code = /^exit (\d+)$/.exec(info.command)?.[1];
        stream.write(`ran: ${info.command}\n`);
        stream.exit(code === undefined ? 0 : Number(code));
        stream.end();
      });
    });
  });
  const { port, close } = await listen(server);
  return {
    port,
    close: async () => {
      for (const client of clients) client.end();
      await close();
    },
  };
}

describe('probeSsh', () => {
  let server: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    server = await startSshServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('without credentials reads the identification line: connected, status 0, body = banner', async () => {
    const result = await probeSsh(makeTarget(`ssh://127.0.0.1:${server.port}`), makeOptions(), new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.status).toBe(0);
    expect(result.body).toBe('SSH-2.0-vigil-test-ssh');
    expect(result.ip).toBe('127.0.0.1');
    expect(result.responseTimeMs).toBeGreaterThan(0);
  });

  it('authenticates with a good password: status 0, body = banner', async () => {
    const result = await probeSsh(
      makeTarget(`ssh://127.0.0.1:${server.port}`, { ssh: { username: USER, password: PASSWORD } }),
      makeOptions(),
      new AbortController().signal,
    );
    expect(result.error).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.status).toBe(0);
    expect(result.body).toBe('SSH-2.0-vigil-test-ssh');
  });

  it('reports a bad password as connected with status 1 and an authentication error', async () => {
    const result = await probeSsh(
      makeTarget(`ssh://127.0.0.1:${server.port}`, { ssh: { username: USER, password: 'wrong' } }),
      makeOptions(),
      new AbortController().signal,
    );
    expect(result.connected).toBe(true);
    expect(result.status).toBe(1);
    expect(result.error).toBe('authentication failed');
  });

  it('runs a Gatus-style {"command"} body after login: status = exit code, body = stdout', async () => {
    const target = (command: string) =>
      makeTarget(`ssh://127.0.0.1:${server.port}`, { ssh: { username: USER, password: PASSWORD }, body: JSON.stringify({ command }) });
    const ok = await probeSsh(target('uptime'), makeOptions(), new AbortController().signal);
    expect(ok).toMatchObject({ connected: true, status: 0, body: 'ran: uptime\n' });
    const failing = await probeSsh(target('exit 3'), makeOptions(), new AbortController().signal);
    expect(failing).toMatchObject({ connected: true, status: 3, body: 'ran: exit 3\n' });
    expect(failing.error).toBeUndefined();
  });

  it('fails with connected=false and status 1 on a closed port', async () => {
    const port = await closedPort();
    const result = await probeSsh(makeTarget(`ssh://127.0.0.1:${port}`), makeOptions(), new AbortController().signal);
    expect(result).toMatchObject({ connected: false, status: 1, error: 'connection refused' });
  });

  it('times out on a server that accepts and never sends a banner, with and without credentials', async () => {
    for (const ssh of [undefined, { username: USER, password: PASSWORD }]) {
      const { result, elapsedMs } = await probeSilentServer(probeSsh, (port) => `ssh://127.0.0.1:${port}`, { timeoutMs: 300, target: ssh ? { ssh } : {} });
      expect(result).toMatchObject({ connected: false, status: 1, error: 'timeout after 300ms' });
      expect(elapsedMs).toBeLessThan(1500);
    }
  });

  it('stops promptly when the caller aborts', async () => {
    const { result } = await probeSilentServer(probeSsh, (port) => `ssh://127.0.0.1:${port}`, { timeoutMs: 5000, abortAfterMs: 100 });
    expect(result).toMatchObject({ connected: false, error: 'probe aborted' });
    expect(result.responseTimeMs).toBeLessThan(1500);
  });
});
