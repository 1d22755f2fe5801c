/**
 * Issue 9 item 1: names whose DNS server never answers must not starve names that resolve at once.
 * With dns.lookup (getaddrinfo in libuv's 4-thread pool), 8 such names held every pool thread and
 * ~98 % of the probes of 30 healthy `localhost` endpoints failed.
 *
 * Two setups: the resolver's servers injected (always), and the real default path — the system
 * resolver reading /etc/resolv.conf — in a private mount namespace whose resolv.conf names a black
 * hole (needs root: this file re-runs itself inside `unshare -m` with VIGIL_TEST_DNS_BLACKHOLE set).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostResolver } from '../../src/probe/resolve.js';
import { probeTcp } from '../../src/probe/tcp.js';
import type { HostResolver } from '../../src/probe/types.js';
import { startSilentUdpServer } from '../helpers/dns-server.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const INSIDE = process.env['VIGIL_TEST_DNS_BLACKHOLE'];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Outcome {
  healthy: number;
  healthyFailed: number;
  hostileErrors: Set<string>;
}

/** 8 black-holed names and 30 healthy localhost endpoints, each probed every 250 ms for 4 s (1 s timeout). */
async function probeMix(resolver: HostResolver | undefined): Promise<Outcome> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const options = makeOptions({ timeoutMs: 1000, network: 'ip4', ...(resolver ? { resolver } : {}) });
  const outcome: Outcome = { healthy: 0, healthyFailed: 0, hostileErrors: new Set() };
  const endAt = Date.now() + 4000;
  const loop = async (url: string, healthy: boolean) => {
    while (Date.now() < endAt) {
      const started = Date.now();
      const result = await probeTcp(makeTarget(url), options, new AbortController().signal);
      if (healthy) {
        outcome.healthy++;
        if (!result.connected || result.error) outcome.healthyFailed++;
      } else if (result.error) outcome.hostileErrors.add(result.error);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 250 - (Date.now() - started))));
    }
  };
  await Promise.all([
    ...Array.from({ length: 8 }, (_, i) => loop(`tcp://blackhole-${i}.vigil.test:${port}`, false)),
    ...Array.from({ length: 30 }, () => loop(`tcp://localhost:${port}`, true)),
  ]);
  return outcome;
}

function expectHealthyUnharmed(outcome: Outcome): void {
  expect(outcome.healthy).toBeGreaterThan(30 * 8);
  expect(outcome.healthyFailed / outcome.healthy).toBeLessThanOrEqual(0.02);
  expect([...outcome.hostileErrors].every((e) => e === 'timeout after 1s' || e === 'dns query timed out')).toBe(true);
}

// Registered only in the re-run inside the namespace (and the outer tests only outside it), so
// neither run reports the other's tests as skipped.
if (INSIDE) describe('inside a mount namespace whose resolv.conf names a black hole', () => {
  it('system resolver: healthy localhost probes keep passing', async () => {
    const blackHole = await startSilentUdpServer(INSIDE, 53);
    closers.push(() => blackHole.close());
    const outcome = await probeMix(undefined);
    expect(blackHole.received.length).toBeGreaterThan(0);
    expectHealthyUnharmed(outcome);
  });
});

if (!INSIDE) describe('DNS that never answers does not starve other probes', () => {
  it('with the resolver servers injected: ≤ 2 % of healthy probes fail', async () => {
    const blackHole = await startSilentUdpServer();
    closers.push(() => blackHole.close());
    const dir = mkdtempSync(join(tmpdir(), 'vigil-starve-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'resolv.conf'), '');
    const resolver = createHostResolver({ servers: [`127.0.0.1:${blackHole.port}`], resolvConfFile: join(dir, 'resolv.conf') });
    const outcome = await probeMix(resolver);
    expect(blackHole.received.length).toBeGreaterThan(0);
    expectHealthyUnharmed(outcome);
  });

  const root = process.getuid?.() === 0;
  if (!root && process.env['CI'] === 'true') {
    it('needs root for the mount-namespace variant', () => {
      expect.fail('run as root (unshare -m) in CI');
    });
  }
  it.runIf(root)('with the system resolver and /etc/resolv.conf naming a black hole: ≤ 2 % fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ns-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const address = `127.53.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    writeFileSync(join(dir, 'resolv.conf'), `nameserver ${address}\noptions timeout:5 attempts:2\n`);
    const vitest = join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
    const child = spawn(
      'unshare',
      ['-m', 'sh', '-c', 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"', 'sh', join(dir, 'resolv.conf'),
        process.execPath, vitest, '--run', '--project', 'unit', 'test/probe/resolve-starvation.test.ts'],
      { env: { ...process.env, VIGIL_TEST_DNS_BLACKHOLE: address, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(output).toContain('1 passed');
    expect(code, output).toBe(0);
  }, 60_000);
});
