import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { ProbeResult, Prober } from '../../src/probe/types.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const loadedPackages = (): string[] => Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\/(@grpc\/grpc-js|ssh2|undici|dns-packet)\//.test(f));

describe('protocol libraries', () => {
  it('are not loaded by importing the app, only by the first probe of their kind', { timeout: 60_000 }, async () => {
    // this file runs in its own process (vitest isolates test files), so nothing loaded them before
    const { probers } = await import('../../src/probe/index.js');
    await import('../../src/app.js');
    expect(loadedPackages()).toEqual([]);
    const result = await probers.grpc(makeTarget('grpc://127.0.0.1:9'), makeOptions({ timeoutMs: 2_000 }), new AbortController().signal);
    expect(result.connected).toBe(false);
    expect(loadedPackages().some((f) => f.includes('@grpc/grpc-js'))).toBe(true);
    expect(loadedPackages().some((f) => f.includes('ssh2'))).toBe(false);
    // an HTTP probe needs neither undici (only TLS Alertmanagers, RDAP and WebSocket do) nor dns-packet
    const { probeHttp } = await import('../../src/probe/http.js');
    await probeHttp(makeTarget('http://127.0.0.1:9/'), makeOptions({ timeoutMs: 2_000 }), new AbortController().signal);
    expect(loadedPackages().filter((f) => /undici|dns-packet/.test(f))).toEqual([]);
  });

  it('lazyProber loads its module once, on the first probe, and then probes with it', async () => {
    const { lazyProber } = await import('../../src/probe/index.js');
    const reply: ProbeResult = { connected: true, responseTimeMs: 1, phasesMs: {} };
    const inner: Prober = vi.fn(async () => reply);
    const load = vi.fn(async () => inner);
    const prober = lazyProber(load);
    expect(load).not.toHaveBeenCalled();
    const target = makeTarget('tcp://127.0.0.1:1');
    const signal = new AbortController().signal;
    const results = await Promise.all([prober(target, makeOptions(), signal), prober(target, makeOptions(), signal)]);
    expect(results).toEqual([reply, reply]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(inner).toHaveBeenCalledTimes(2);
  });
});
