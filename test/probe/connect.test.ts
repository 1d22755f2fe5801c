import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bareHost, connectTcp, resolveHost } from '../../src/probe/connect.js';
import { describeError } from '../../src/probe/error-message.js';
import type { PhasesMs } from '../../src/probe/timing.js';
import { listen } from '../helpers/listen.js';

const live = () => new AbortController().signal;

describe('connect helpers', () => {
  it('strips the brackets of IPv6 URL hosts', () => {
    expect(bareHost('[::1]')).toBe('::1');
    expect(bareHost('example.com')).toBe('example.com');
  });

  it('resolves IP literals without a lookup and records the resolve phase', async () => {
    const phases: PhasesMs = {};
    await expect(resolveHost('127.0.0.1', { network: 'ip' }, live(), phases)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolveHost('[::1]', { network: 'ip6' }, live(), phases)).resolves.toEqual({ address: '::1', family: 6 });
    expect(phases.resolve).toBeGreaterThanOrEqual(0);
  });

  it('refuses a literal of the wrong family for network ip4/ip6', async () => {
    await expect(resolveHost('::1', { network: 'ip4' }, live(), {})).rejects.toThrow('address ::1 is not IPv4');
  });

  it('resolves localhost to an IPv4 address when the network is ip4', async () => {
    const resolved = await resolveHost('localhost', { network: 'ip4' }, live(), {});
    expect(resolved.family).toBe(4);
    expect(resolved.address).toMatch(/^127\./);
  });

  it('connects, records the connect phase, and normalises refusals', async () => {
    const server = createServer((socket) => socket.destroy());
    const { port, close } = await listen(server);
    const phases: PhasesMs = {};
    const socket = await connectTcp({ address: '127.0.0.1', family: 4 }, port, live(), phases);
    expect(phases.connect).toBeGreaterThanOrEqual(0);
    socket.destroy();
    await close();
    const refused = await connectTcp({ address: '127.0.0.1', family: 4 }, port, live(), {}).catch((error: unknown) => error);
    expect(describeError(refused)).toBe('connection refused');
  });

  it('maps TLS verification codes and keeps unknown messages', () => {
    expect(describeError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe('certificate has expired');
    expect(describeError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toBe('self-signed certificate');
    expect(describeError(new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }))).toBe(
      'connection reset by peer',
    );
    expect(describeError(new Error('something odd'))).toBe('something odd');
  });
});
