/**
 * SSH prober: ssh://host[:port] (default 22), like Gatus.
 *
 * - Without `target.ssh` credentials (Gatus `CheckSSHBanner`): connect and read the server's identification
 *   line (`SSH-2.0-OpenSSH_9.6`). [CONNECTED] true and [STATUS] 0 once it arrived; [BODY] is that line.
 * - With credentials: the same, then key exchange ([CONNECTED] true once it completes) and password
 *   authentication: [STATUS] 0 when accepted. Like Gatus, a body `{"command":"..."}` is run after login:
 *   [STATUS] is its exit code and [BODY] its stdout (cut to maxBodyBytes). Without a command nothing runs.
 * - Any failure sets [STATUS] 1 and `error` (Gatus reports 1 when the banner check fails); an authentication
 *   failure keeps [CONNECTED] true, since the server did answer.
 * - The host key is not verified (Gatus: InsecureIgnoreHostKey).
 */
import type { Socket } from 'node:net';
import { Client } from 'ssh2';
import { VigilError } from '../errors.js';
import { connectTcp } from './connect.js';
import { describeError } from './error-message.js';
import { resolveInto } from './result.js';
import { abortable, createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeOptions, ProbeResult, ProbeTarget, Prober } from './types.js';

const DEFAULT_PORT = 22;
/** RFC 4253 4.2: lines before the identification are allowed; cap what we accept before it. */
const MAX_BANNER_BYTES = 8 * 1024;
const FAILURE_STATUS = 1;

class SshProbeError extends VigilError {
  constructor(message: string) {
    super('VIGIL_PROBE_SSH', message);
  }
}

/**
 * Watches the socket's incoming bytes (alongside ssh2, which reads them too) for the identification line.
 * Resolves with the line without CR/LF; rejects if the socket closes first or sends too much without one.
 */
function readIdentification(socket: Socket): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      for (const line of seen.split('\n').slice(0, -1)) {
        if (line.startsWith('SSH-')) {
          cleanup();
          resolve(line.replace(/\r$/, ''));
          return;
        }
      }
      if (seen.length > MAX_BANNER_BYTES) {
        cleanup();
        reject(new SshProbeError('no SSH identification from server'));
      }
    };
    const onClose = () => {
      cleanup();
      reject(new SshProbeError('connection closed before the SSH identification'));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

function parseCommand(body: string): string | undefined {
  if (body.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SshProbeError('ssh body must be JSON like {"command":"uptime"}');
  }
  const command = typeof parsed === 'object' && parsed !== null ? (parsed as { command?: unknown }).command : undefined;
  if (typeof command !== 'string') throw new SshProbeError('ssh body must be JSON like {"command":"uptime"}');
  return command === '' ? undefined : command;
}

/** Runs `command`, resolving with its exit code and stdout (cut to maxBytes). */
function runCommand(client: Client, command: string, maxBytes: number): Promise<{ exitCode: number; stdout: Buffer; bytes: number }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let kept = 0;
      let bytes = 0;
      let exitCode = FAILURE_STATUS;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (kept < maxBytes) {
          const part = chunk.subarray(0, maxBytes - kept);
          chunks.push(part);
          kept += part.length;
        }
      });
      stream.stderr.resume();
      stream.on('exit', (code: number | null) => {
        if (typeof code === 'number') exitCode = code;
      });
      stream.on('close', () => resolve({ exitCode, stdout: Buffer.concat(chunks), bytes }));
      stream.on('error', reject);
    });
  });
}

export const probeSsh: Prober = async (target: ProbeTarget, options: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> => {
  const startedAt = monotonicMs();
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  const deadline = createDeadline(options.timeoutMs, signal);
  const port = target.url.port ? Number(target.url.port) : DEFAULT_PORT;
  const credentials = target.ssh && (target.ssh.username !== '' || target.ssh.password !== '' || target.ssh.privateKey) ? target.ssh : undefined;

  let socket: Socket | undefined;
  let client: Client | undefined;
  try {
    const command = credentials ? parseCommand(target.body) : undefined;
    const address = await resolveInto(result, target.url.hostname, options, deadline.signal);
    socket = await connectTcp(address, port, deadline.signal, result.phasesMs);
    socket.on('error', () => undefined);
    const processingStart = monotonicMs();
    const identification = readIdentification(socket);
    identification.catch(() => undefined);

    if (!credentials) {
      result.body = await abortable(identification, deadline.signal);
      result.connected = true;
      result.status = 0;
    } else {
      const ssh = new Client();
      client = ssh;
      ssh.on('error', () => undefined);
      const session = new Promise<void>((resolve, reject) => {
        ssh.once('handshake', () => {
          result.connected = true;
        });
        ssh.once('ready', () => resolve());
        ssh.once('error', (error: Error & { level?: string }) =>
          reject(error.level === 'client-authentication' ? new SshProbeError('authentication failed') : error),
        );
        ssh.once('close', () => reject(new SshProbeError('connection closed during the SSH handshake')));
      });
      session.catch(() => undefined);
      ssh.connect({
        sock: socket,
        username: credentials.username,
        ...(credentials.password ? { password: credentials.password } : {}),
        ...(credentials.privateKey ? { privateKey: credentials.privateKey } : {}),
        tryKeyboard: false,
        readyTimeout: options.timeoutMs + 1000,
        hostVerifier: () => true,
      });
      result.body = await abortable(identification, deadline.signal);
      await abortable(session, deadline.signal);
      result.status = 0;
      if (command !== undefined) {
        const ran = await abortable(runCommand(ssh, command, options.maxBodyBytes), deadline.signal);
        result.status = ran.exitCode;
        result.body = ran.stdout.toString('utf8');
        result.bodyBytes = ran.bytes;
        result.bodyTruncated = ran.bytes > ran.stdout.length;
      }
    }
    result.phasesMs.processing = elapsedMs(processingStart);
  } catch (error) {
    result.status = FAILURE_STATUS;
    result.error = describeError(deadline.reason ?? error);
  } finally {
    deadline.dispose();
    client?.end();
    socket?.destroy();
    result.responseTimeMs = elapsedMs(startedAt);
  }
  return result;
};
