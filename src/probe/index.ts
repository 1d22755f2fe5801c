import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import type { ProbeKind, Prober } from './types.js';

/**
 * A prober whose module (and protocol library: grpc-js, ssh2, dns-packet...) is imported on its
 * first probe, so a config that never uses the protocol never loads it.
 */
export function lazyProber(load: () => Promise<Prober>): Prober {
  let loaded: Promise<Prober> | undefined;
  return async (target, options, signal) => {
    loaded ??= load();
    return (await loaded)(target, options, signal);
  };
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
