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
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';
import { describeFailure, probeSignal, resolveHost } from './udp.js';

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
  return async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
    const startedAt = performance.now();
    const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
    const finish = (error?: string): ProbeResult => {
      if (error !== undefined) result.error = error;
      if (result.responseTimeMs === 0) result.responseTimeMs = performance.now() - startedAt;
      return result;
    };
    if (!looked) {
      pingPath = (config.findPing ?? findPing)();
      looked = true;
    }
    if (!pingPath) return finish(NO_PING_ERROR);
    const host = target.url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host) return finish(`icmp: invalid address ${JSON.stringify(target.url.href)}, expected icmp://host`);

    const { signal: combined, describeAbort } = probeSignal(signal, options.timeoutMs);
    let resolved: Awaited<ReturnType<typeof resolveHost>>;
    try {
      resolved = await resolveHost(host, options.network, combined);
    } catch (error) {
      return finish(`icmp: ${describeFailure(error, describeAbort)}`);
    }
    if (resolved.resolveMs !== undefined) result.phasesMs.resolve = resolved.resolveMs;
    result.ip = resolved.address;
    result.ipProtocol = resolved.family;

    const outcome = await runPing(pingPath, pingArguments(resolved.address, resolved.family, options.timeoutMs), combined);
    if (combined.aborted) return finish(`icmp: ${describeAbort()}`);
    const parsed = parsePingOutput(outcome.stdout);
    if (parsed.rttMs !== undefined && (parsed.received ?? 1) > 0) {
      result.connected = true;
      result.responseTimeMs = parsed.rttMs;
      result.phasesMs.processing = parsed.rttMs;
      return finish();
    }
    if (outcome.exitCode === 1 || parsed.received === 0) return finish(`icmp: no reply from ${resolved.address} within ${options.timeoutMs}ms`);
    const detail = outcome.stderr.trim().split('\n')[0] || outcome.error?.message || `ping exited with ${String(outcome.exitCode)}`;
    return finish(`icmp: ${detail}`);
  };
}

/** The ICMP prober using the system `ping`. */
export const probeIcmp: Prober = createIcmpProber();
