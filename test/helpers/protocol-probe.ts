import net from 'node:net';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from '../../src/probe/types.js';
import { listen } from './listen.js';

/** A probe target for `url` with no headers and no body unless given. */
export function makeTarget(url: string, extra: Partial<Omit<ProbeTarget, 'url'>> = {}): ProbeTarget {
  return { url: new URL(url), method: 'GET', headers: {}, body: '', ...extra };
}

/** Probe options with test-friendly defaults (2 s timeout, verification on). */
export function makeOptions(extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    timeoutMs: 2000,
    insecure: false,
    followRedirects: true,
    maxRedirects: 10,
    maxBodyBytes: 1024 * 1024,
    network: 'ip',
    ...extra,
  };
}

/** A TCP server on 127.0.0.1 that accepts connections, reads and discards, and never sends a byte. */
export async function listenSilent(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // reading is what lets it see the client's FIN and close its side (else its fds linger)
    socket.resume();
  });
  const { port, close } = await listen(server);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await close();
    },
  };
}

export interface SilentProbeOptions {
  timeoutMs: number;
  /** Aborts the caller's signal this many ms after the probe starts. */
  abortAfterMs?: number;
  /** Target fields besides the URL. */
  target?: Partial<Omit<ProbeTarget, 'url'>>;
}

/**
 * Runs `prober` once against a listenSilent() server (closed afterwards) at `url(port)`; resolves with
 * the result and the wall-clock milliseconds the probe took.
 */
export async function probeSilentServer(
  prober: Prober,
  url: (port: number) => string,
  options: SilentProbeOptions,
): Promise<{ result: ProbeResult; elapsedMs: number }> {
  const silent = await listenSilent();
  try {
    const controller = new AbortController();
    if (options.abortAfterMs !== undefined) setTimeout(() => controller.abort(), options.abortAfterMs);
    const started = Date.now();
    const result = await prober(makeTarget(url(silent.port), options.target), makeOptions({ timeoutMs: options.timeoutMs }), controller.signal);
    return { result, elapsedMs: Date.now() - started };
  } finally {
    await silent.close();
  }
}

/** A port on 127.0.0.1 that was just free and is now closed (connections are refused). */
export async function closedPort(): Promise<number> {
  const { port, close } = await listen(net.createServer());
  await close();
  return port;
}
