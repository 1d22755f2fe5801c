import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server, utils } from 'ssh2';
import type { Connection } from 'ssh2';
import { probeSsh } from '../../src/probe/ssh.js';
import { listen } from '../helpers/listen.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const USER = 'probe';
const rsa = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } });
const client = rsa();
const stranger = rsa();

/** An SSH server accepting only public-key auth with `client`'s key for USER (signature checked). */
async function startKeyServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const allowed = utils.parseKey(client.privateKey);
  if (allowed instanceof Error) throw allowed;
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [rsa().privateKey] }, (conn) => {
    connections.add(conn);
    conn.on('error', () => undefined);
    conn.on('close', () => connections.delete(conn));
    conn.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== USER) return ctx.reject(['publickey']);
      if (!ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
      // first round: "would you accept this key?"; second round: the signature
      if (!ctx.signature) return ctx.accept();
      if (ctx.blob !== undefined && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      return ctx.reject(['publickey']);
    });
    conn.on('ready', () => undefined);
  });
  const { port, close } = await listen(server as unknown as import('node:net').Server);
  return {
    port,
    close: async () => {
      for (const c of connections) c.end();
      await close();
    },
  };
}

let server: { port: number; close: () => Promise<void> };
beforeAll(async () => {
  server = await startKeyServer();
});
afterAll(async () => {
  await server.close();
});

describe('ssh probe: Gatus ssh.private-key', () => {
  it('authenticates with the configured private key (status 0)', async () => {
    const result = await probeSsh(
      makeTarget(`ssh://127.0.0.1:${server.port}`, { ssh: { username: USER, password: '', privateKey: client.privateKey } }),
      makeOptions({ timeoutMs: 10_000 }),
      new AbortController().signal,
    );
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ connected: true, status: 0 });
  });

  it('a key the server does not know: connected, status 1, authentication failed', async () => {
    const result = await probeSsh(
      makeTarget(`ssh://127.0.0.1:${server.port}`, { ssh: { username: USER, password: '', privateKey: stranger.privateKey } }),
      makeOptions({ timeoutMs: 10_000 }),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ connected: true, status: 1, error: 'authentication failed' });
  });
});
