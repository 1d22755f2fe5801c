import type { ProbeOptions, ProbeTarget } from '../../src/probe/types.js';

export function options(overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    timeoutMs: 5_000,
    insecure: false,
    followRedirects: true,
    maxRedirects: 10,
    maxBodyBytes: 1024 * 1024,
    network: 'ip',
    ...overrides,
  };
}

export function target(url: string, overrides: Partial<Omit<ProbeTarget, 'url'>> = {}): ProbeTarget {
  return { url: new URL(url), method: 'GET', headers: {}, body: '', ...overrides };
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
