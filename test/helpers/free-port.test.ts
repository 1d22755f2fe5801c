import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './alertmanager-cluster.js';

describe('freePort', () => {
  it('never hands out the same port twice in a process, and each one can be bound', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    const last = ports.at(-1) as number;
    const server = createServer();
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(last, '127.0.0.1', () => done());
    });
    await new Promise<void>((done) => server.close(() => done()));
  });
});
