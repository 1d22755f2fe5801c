import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import type { ProbeKind, Prober } from './types.js';

/** A prober whose module is imported on its first probe, or earlier by load(). */
export interface LazyProber extends Prober {
  /** Imports the module now (once); resolves when the prober is ready. */
  load(): Promise<Prober>;
}

/**
 * A prober whose module (and protocol library: grpc-js, ssh2, dns-packet...) is imported on its
 * first probe, so a config that never uses the protocol never loads it.
 */
export function lazyProber(load: () => Promise<Prober>): LazyProber {
  let loaded: Promise<Prober> | undefined;
  const ready = (): Promise<Prober> => (loaded ??= load());
  const probe: Prober = async (target, options, signal) => (await ready())(target, options, signal);
  return Object.assign(probe, { load: ready });
}

/** The prober of each kind, looked up by name (never an if/else on the scheme). */
export const probers = {
  http: probeHttp,
  tcp: probeTcp,
  tls: lazyProber(async () => (await import('./tls.js')).probeTls),
  dns: lazyProber(async () => (await import('./dns.js')).probeDns),
  icmp: lazyProber(async () => (await import('./icmp.js')).probeIcmp),
  websocket: lazyProber(async () => (await import('./websocket.js')).probeWebsocket),
  grpc: lazyProber(async () => (await import('./grpc.js')).probeGrpc),
  ssh: lazyProber(async () => (await import('./ssh.js')).probeSsh),
  starttls: lazyProber(async () => (await import('./starttls.js')).probeStarttls),
  udp: lazyProber(async () => (await import('./udp.js')).probeUdp),
} as const satisfies Readonly<Record<ProbeKind, Prober>>;

/**
 * Imports the modules of `kinds` before their first probe: evaluating a protocol library blocks the
 * event loop (grpc-js: ~0.2–1 s on a busy machine), which must not happen while other probes run.
 */
export async function loadProbers(kinds: Iterable<ProbeKind>): Promise<void> {
  const table: Readonly<Record<ProbeKind, Prober | LazyProber>> = probers;
  await Promise.all([...new Set(kinds)].map((kind) => {
    const prober = table[kind];
    return 'load' in prober ? prober.load() : undefined;
  }));
}
