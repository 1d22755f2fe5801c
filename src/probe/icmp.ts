/**
 * ICMP prober (`icmp://host`), like Gatus `client.Ping`: one echo request, [CONNECTED] when a reply came,
 * [RESPONSE_TIME] the round-trip time.
 *
 * Node has no raw sockets without native code, so this runs the system `ping` (Debian: iputils-ping) as
 * `ping -c 1 -W <seconds> -4|-6 <ip>` with the host resolved first (honouring `network`), and parses the RTT
 * from `time=0.045 ms`. Without a `ping` binary the result is a failure saying so
 * (`icmp: no ping binary and no raw socket support`). The child is killed on timeout or abort.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { VigilError } from '../errors.js';
import { describeError } from './error-message.js';
import { resolveInto } from './result.js';
import { addPhase, createDeadline, elapsedMs, formatDuration, monotonicMs } from './timing.js';
import type { ProbeResult, Prober } from './types.js';

export const NO_PING_ERROR = 'icmp: no ping binary and no raw socket support';
const FALLBACK_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];
const MAX_OUTPUT_BYTES = 64 * 1024;

/** Absolute path of an executable `ping` on PATH (or the usual system folders), else undefined. */
export function findPing(path: string = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter((d) => d !== ''), ...FALLBACK_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'ping');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface PingOutput {
  /** Round-trip time of the first reply, in milliseconds. */
  rttMs?: number;
  /** Replies counted in the summary line (`1 received`), when present. */
  received?: number;
}

/** Parse iputils (or busybox) ping output. */
export function parsePingOutput(stdout: string): PingOutput {
  const out: PingOutput = {};
  const rtt = /\btime[=<]\s*([\d.]+)\s*ms/.exec(stdout);
  if (rtt?.[1]) out.rttMs = Number(rtt[1]);
  const received = /(\d+)\s+(?:packets\s+)?received/.exec(stdout);
  if (received?.[1]) out.received = Number(received[1]);
  return out;
}

/** Arguments for one echo request to `ip`: whole seconds for -W (iputils and busybox both accept those). */
export function pingArguments(ip: string, family: 4 | 6, timeoutMs: number): string[] {
  const waitSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ['-c', '1', '-W', String(waitSeconds), family === 6 ? '-6' : '-4', ip];
}

interface ExecOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  error?: Error;
}

function runPing(file: string, args: string[], signal: AbortSignal): Promise<ExecOutcome> {
  return new Promise<ExecOutcome>((resolve) => {
    execFile(file, args, { signal, maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ stdout, stderr, exitCode: 0 });
        return;
      }
      const code = (error as { code?: unknown }).code;
      resolve({ stdout, stderr, exitCode: typeof code === 'number' ? code : null, error });
    });
  });
}

export interface IcmpProberConfig {
  /** Path of the ping binary; default: looked up on PATH once, the first time the prober runs. */
  pingPath?: string;
  /** Overrides the lookup (tests pass `() => undefined` to exercise the no-binary path). */
  findPing?: () => string | undefined;
}

/** An ICMP prober bound to one ping binary. */
export function createIcmpProber(config: IcmpProberConfig = {}): Prober {
  let pingPath: string | undefined = config.pingPath;
  let looked = pingPath !== undefined;
  return async (target, options, signal) => {
    const start = monotonicMs();
    const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
    if (!looked) {
      pingPath = (config.findPing ?? findPing)();
      looked = true;
    }
    if (!pingPath) return { ...result, error: NO_PING_ERROR, responseTimeMs: elapsedMs(start) };
    const deadline = createDeadline(options.timeoutMs, signal);
    try {
      if (!target.url.hostname) throw new VigilError('VIGIL_PROBE_ICMP', 'missing host in icmp URL, expected icmp://host');
      const address = await resolveInto(result, target.url.hostname, options, deadline.signal);
      const outcome = await runPing(pingPath, pingArguments(address.address, address.family, options.timeoutMs), deadline.signal);
      if (deadline.reason) throw deadline.reason;
      const parsed = parsePingOutput(outcome.stdout);
      if (parsed.rttMs !== undefined && (parsed.received ?? 1) > 0) {
        result.connected = true;
        addPhase(result.phasesMs, 'processing', parsed.rttMs);
        // like Gatus: [RESPONSE_TIME] of a ping is the round-trip time
        return { ...result, responseTimeMs: parsed.rttMs };
      }
      if (outcome.exitCode === 1 || parsed.received === 0) {
        result.error = `no reply from ${address.address} within ${formatDuration(options.timeoutMs)}`;
      } else {
        result.error = outcome.stderr.trim().split('\n')[0] || outcome.error?.message || `ping exited with ${String(outcome.exitCode)}`;
      }
    } catch (error) {
      result.error = deadline.reason?.message ?? describeError(error);
    } finally {
      deadline.dispose();
    }
    return { ...result, responseTimeMs: elapsedMs(start) };
  };
}

/** The ICMP prober using the system `ping`. */
export const probeIcmp: Prober = createIcmpProber();
