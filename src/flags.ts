import { parseArgs } from 'node:util';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';
import { DEFAULT_INCIDENT_STEP_MS } from './store/prometheus-timeline.js';
import type { ShardInput } from './shard/settings.js';

/** Command-line flags, Prometheus style (`--config.file=...`). */
export interface Flags {
  configFile: string;
  listenAddress: string | undefined;
  alertmanagerUrls: string[];
  logLevel: LogLevel;
  logFormat: LogFormat;
  replica: string | undefined;
  blackboxConfigFile: string | undefined;
  historyPrometheusUrl: string | undefined;
  /** Resolution of the incidents read from that Prometheus (the window is 10 000 steps, at most 7 days). */
  historyIncidentStepMs: number;
  shutdownGraceMs: number;
  /** `--web.enable-lifecycle`: allow POST/PUT /-/reload (default off, like Prometheus). */
  enableLifecycle: boolean;
  /** --shard.*: unset fields fall back to the config's vigil.shard. */
  shard: ShardInput;
  /** --location: a `location` label on every metric (never on alerts). */
  location: string | undefined;
}

export type Command = { kind: 'run'; flags: Flags } | { kind: 'check-config'; files: string[] } | { kind: 'help' } | { kind: 'version' };

export const HELP = `usage: vigil [<flags>] [<command> <args> ...]

High-availability uptime and health prober. Every replica probes every endpoint (or, with
--shard.*, its share of them), exposes Prometheus metrics, and sends identical alerts to every
Alertmanager peer.

Flags:
  -h, --help                     Show this help and exit.
      --version                  Show version information and exit.
      --config.file=config.yaml  vigil configuration file or directory of YAML files.
      --web.listen-address=:8080 Address to listen on for the status page, API and /metrics
                                 (default: the config's web.address/web.port, else :8080).
      --alertmanager.url=URL ... Alertmanager peer to send alerts to; repeat for every peer
                                 (added to the config's vigil.alertmanagers).
      --replica=NAME             Name of this replica in alert annotations (default: hostname).
      --blackbox.config.file=F   blackbox_exporter module file for /probe.
      --history.prometheus-url=U Read uptime history, incidents and the 90-day bar from this
                                 Prometheus (merged across replicas).
      --history.incident-step=1m Resolution of those incidents: whole seconds, at least 1s
                                 (the window is 10 000 steps, at most 7 days).
      --web.enable-lifecycle     Enable reloading over HTTP (POST /-/reload); off by default.
      --shutdown.grace-period=5s Time in-flight probes get to finish on SIGTERM.
      --shard.count=N            Split the endpoints over N shards (default: no sharding,
                                 every replica probes every endpoint).
      --shard.index=I            This replica's shard, 0 to N-1.
      --shard.index-from-hostname
                                 Take the shard from the hostname's ordinal (StatefulSet pod vigil-2 → 2).
      --shard.replication=1      Shards that probe each endpoint (1 to N).
      --location=NAME            Add location="NAME" to every metric (alerts stay identical).
      --log.level=info           Only log messages with this severity or above: debug, info, warn, error.
      --log.format=json          Output format of log messages: json or logfmt.

Commands:
  check-config FILE...           Check configuration files; exit 0 if all are valid, 1 otherwise.

Signals: SIGHUP reloads the configuration (as does POST /-/reload with --web.enable-lifecycle);
SIGTERM/SIGINT stop gracefully.
`;

export class UsageError extends Error {}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`);
}

function durationMs(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!m) throw new UsageError(`--${flag}: "${value}" is not a duration like 5s or 500ms`);
  const unit = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000;
  return Number(m[1]) * unit;
}

/** --history.incident-step: whole seconds (Prometheus steps and offsets), 1s to 1h. */
function incidentStep(value: string | undefined): number {
  if (value === undefined) return DEFAULT_INCIDENT_STEP_MS;
  const ms = durationMs('history.incident-step', value);
  if (ms < 1000 || ms > 3_600_000 || ms % 1000 !== 0) throw new UsageError(`--history.incident-step: "${value}" must be whole seconds from 1s to 60m`);
  return ms;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`--${flag}: "${value}" is not a non-negative integer`);
  return Number(value);
}

function labelValue(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`--${flag}: must not be empty`);
  return value;
}

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${flag}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--${flag}: "${value}" must be an http:// or https:// URL`);
  return value;
}

export function parseFlags(argv: readonly string[], defaultConfigFile = 'config.yaml'): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        'config.file': { type: 'string' },
        'web.listen-address': { type: 'string' },
        'web.enable-lifecycle': { type: 'boolean' },
        'alertmanager.url': { type: 'string', multiple: true },
        replica: { type: 'string' },
        'blackbox.config.file': { type: 'string' },
        'history.prometheus-url': { type: 'string' },
        'history.incident-step': { type: 'string' },
        'shutdown.grace-period': { type: 'string' },
        'log.level': { type: 'string' },
        'log.format': { type: 'string' },
        'shard.count': { type: 'string' },
        'shard.index': { type: 'string' },
        'shard.index-from-hostname': { type: 'boolean' },
        'shard.replication': { type: 'string' },
        location: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === 'check-config') {
    if (rest.length === 0) throw new UsageError('check-config needs at least one file');
    return { kind: 'check-config', files: rest };
  }
  if (command !== undefined) throw new UsageError(`unknown command "${command}"`);
  return {
    kind: 'run',
    flags: {
      configFile: values['config.file'] ?? defaultConfigFile,
      listenAddress: values['web.listen-address'],
      alertmanagerUrls: (values['alertmanager.url'] ?? []).map((u) => httpUrl('alertmanager.url', u)),
      logLevel: oneOf('log.level', values['log.level'] ?? 'info', LOG_LEVELS),
      logFormat: oneOf('log.format', values['log.format'] ?? 'json', LOG_FORMATS),
      replica: values.replica,
      blackboxConfigFile: values['blackbox.config.file'],
      historyPrometheusUrl: values['history.prometheus-url'] === undefined ? undefined : httpUrl('history.prometheus-url', values['history.prometheus-url']),
      historyIncidentStepMs: incidentStep(values['history.incident-step']),
      shutdownGraceMs: durationMs('shutdown.grace-period', values['shutdown.grace-period'] ?? '5s'),
      enableLifecycle: values['web.enable-lifecycle'] === true,
      shard: shardFlags(values),
      location: labelValue('location', values.location),
    },
  };
}

function shardFlags(values: Record<string, string | boolean | (string | boolean)[] | undefined>): ShardInput {
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const out: ShardInput = {};
  const count = integer('shard.count', text('shard.count'));
  const index = integer('shard.index', text('shard.index'));
  const replication = integer('shard.replication', text('shard.replication'));
  if (count !== undefined) out.count = count;
  if (index !== undefined) out.index = index;
  if (replication !== undefined) out.replication = replication;
  if (values['shard.index-from-hostname'] === true) out.indexFromHostname = true;
  return out;
}
