import { probeDns } from './dns.js';
import { probeGrpc } from './grpc.js';
import { probeHttp } from './http.js';
import { probeIcmp } from './icmp.js';
import { probeSsh } from './ssh.js';
import { probeStarttls } from './starttls.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import { probeUdp } from './udp.js';
import { probeWebsocket } from './websocket.js';
import type { ProbeKind, Prober } from './types.js';

/** The prober of each kind, looked up by name (never an if/else on the scheme). */
export const probers = {
  http: probeHttp,
  tcp: probeTcp,
  tls: probeTls,
  dns: probeDns,
  icmp: probeIcmp,
  websocket: probeWebsocket,
  grpc: probeGrpc,
  ssh: probeSsh,
  starttls: probeStarttls,
  udp: probeUdp,
} as const satisfies Readonly<Record<ProbeKind, Prober>>;
