/**
 * Start-up check of the Alertmanager peers' settings that deduplication across peers relies on
 * (docs/ha.md), from their GET /api/v2/status: peerWarnings() is pure, warnAboutPeers() reads
 * the peers and logs.
 * `--cluster.peer-timeout` is not visible in the status, so the rule is checked against
 * Alertmanager's default (15 s) and stated in the warning.
 */
import { parse } from 'yaml';
import { parseDuration } from '../config/duration.js';
import type { Logger } from '../log.js';
import type { AlertmanagerClient } from './alertmanager.js';

/** Alertmanager's default --cluster.peer-timeout. */
export const DEFAULT_PEER_TIMEOUT_MS = 15_000;
const DEFAULT_GROUP_INTERVAL = '5m';

export interface PeerStatusReport {
  alertmanager: string;
  /** The parsed /api/v2/status body; undefined when the peer did not answer. */
  status: unknown;
}

interface StatusShape {
  cluster?: { status?: unknown; peers?: unknown };
  config?: { original?: unknown };
}

interface RouteShape {
  receiver?: unknown;
  group_interval?: unknown;
  routes?: unknown;
}

/** Alertmanager durations also take d, w, y. */
function durationMs(text: string): number | undefined {
  const hours = text.replace(/(\d+)(y|w|d)/g, (_m, n: string, unit: string) => `${Number(n) * { y: 8760, w: 168, d: 24 }[unit as 'y' | 'w' | 'd']}h`);
  const ms = parseDuration(hours);
  return typeof ms === 'number' ? ms : undefined;
}

/** Every route's effective group_interval (children inherit), with a path naming it. */
function groupIntervals(route: RouteShape, inherited: string, path: string, out: { path: string; interval: string }[]): void {
  const interval = typeof route.group_interval === 'string' ? route.group_interval : inherited;
  out.push({ path, interval });
  if (!Array.isArray(route.routes)) return;
  route.routes.forEach((child: unknown, i) => {
    if (child !== null && typeof child === 'object') groupIntervals(child as RouteShape, interval, `${path}.routes[${i}]`, out);
  });
}

export function peerWarnings(reports: readonly PeerStatusReport[]): string[] {
  const warnings: string[] = [];
  const answered = reports.filter((r) => r.status !== null && typeof r.status === 'object');
  if (answered.length === 0) return warnings;
  const configured = reports.length;
  const configs = new Set<string>();
  let clusterSize = 1;
  for (const { alertmanager, status } of answered) {
    const s = status as StatusShape;
    const peers = Array.isArray(s.cluster?.peers) ? s.cluster.peers.length : 0;
    clusterSize = Math.max(clusterSize, peers);
    if (configured > 1 && (s.cluster?.status === 'disabled' || peers < configured)) {
      warnings.push(
        `${alertmanager} is in a cluster of ${peers} peer(s) but vigil sends to ${configured}: peers that do not gossip with each other each notify (duplicates); list every peer with --cluster.peer`,
      );
    }
    if (typeof s.config?.original === 'string') configs.add(s.config.original);
  }
  if (configs.size > 1) warnings.push('the Alertmanager peers run different configurations: every peer needs the same alertmanager.yml, or they notify differently');
  const [original] = configs;
  if (original === undefined || clusterSize < 2) return warnings;
  let config: unknown;
  try {
    config = parse(original);
  } catch {
    return warnings;
  }
  const route = (config as { route?: unknown } | null)?.route;
  if (route === null || typeof route !== 'object') return warnings;
  const intervals: { path: string; interval: string }[] = [];
  groupIntervals(route as RouteShape, DEFAULT_GROUP_INTERVAL, 'route', intervals);
  const neededMs = (clusterSize - 1) * DEFAULT_PEER_TIMEOUT_MS;
  for (const { path, interval } of intervals) {
    const ms = durationMs(interval);
    if (ms !== undefined && ms <= neededMs) {
      warnings.push(
        `${path}: group_interval ${interval} must exceed (peers − 1) × --cluster.peer-timeout = ${clusterSize - 1} × 15s (the default) for ${clusterSize} peers, or resolved notifications are sent by several peers (docs/ha.md)`,
      );
    }
  }
  return warnings;
}

/** Reads every peer's status once and logs a warning per problem found (never throws). */
export async function warnAboutPeers(clients: readonly AlertmanagerClient[], logger: Logger): Promise<void> {
  const reports = await Promise.all(
    clients.map(async (client) => ({ alertmanager: client.name, status: await client.status().catch(() => undefined) })),
  );
  for (const problem of peerWarnings(reports)) logger.warn('alertmanager settings break deduplication across peers', { problem });
}
