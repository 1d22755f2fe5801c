import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import type { ProbeKind, Prober } from './types.js';

/** The prober of each kind, looked up by name (never an if/else on the scheme). */
export const probers: Readonly<Partial<Record<ProbeKind, Prober>>> = {
  http: probeHttp,
  tcp: probeTcp,
};
