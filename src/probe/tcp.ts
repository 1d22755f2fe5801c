/**
 * TCP prober: `tcp://host:port`. Connects (connected, ip, resolve + connect phases); when the
 * target has a body, sends it and reads the first reply (one read, up to maxBodyBytes), like
 * Gatus. A peer that closes without replying gives an empty body; no reply before the timeout
 * is an error. Never throws for target failures.
 */
import type { Socket } from 'node:net';
import { VigilError } from '../errors.js';
import { connectTcp } from './connect.js';
import { describeError } from './error-message.js';
import { recordReply, resolveInto } from './result.js';
import { abortReason, createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { Prober, ProbeResult } from './types.js';

/** Writes `message` and resolves with the first chunk the peer sends (empty if it closes first). */
export function sendAndReadFirstReply(socket: Socket, message: string, signal: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      cleanup();
      socket.pause();
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      reject(abortReason(signal));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.write(message);
  });
}

export const probeTcp: Prober = async (target, options, signal) => {
  const start = monotonicMs();
  const deadline = createDeadline(options.timeoutMs, signal);
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  let socket: Socket | undefined;
  try {
    const { hostname, port } = target.url;
    if (!port) throw new VigilError('VIGIL_PROBE_PORT', 'missing port in tcp URL');
    const address = await resolveInto(result, hostname, options, deadline.signal);
    socket = await connectTcp(address, Number(port), deadline.signal, result.phasesMs);
    result.connected = true;
    if (target.body !== '') {
      const sentAt = monotonicMs();
      const reply = await sendAndReadFirstReply(socket, target.body, deadline.signal);
      recordReply(result, reply, sentAt, options.maxBodyBytes);
    }
  } catch (error) {
    result.error = deadline.reason?.message ?? describeError(error);
  } finally {
    deadline.dispose();
    socket?.destroy();
    result.responseTimeMs = elapsedMs(start);
  }
  return result;
};
