/**
 * Wiring only: config → scheduler → probes → {metrics, store, alerting} → web.
 * Nothing here decides behaviour; each module does, and gets what it needs passed in.
 */
import { hostname } from 'node:os';
import { createAlerting } from './alerting/engine.js';
import { createAllowlist } from './blackbox/allowlist.js';
import { loadBlackboxConfig } from './blackbox/config.js';
import { builtinModules } from './blackbox/module.js';
import { createNotifier } from './alerting/notifier.js';
import type { CheckResult, CheckSink } from './check/types.js';
import { createHeartbeats } from './check/heartbeat.js';
import { createCheckRunner } from './check/run-check.js';
import { createStateLog } from './check/state-log.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config/load.js';
import type { AlertmanagerTarget, Config, EndpointConfig } from './config/schema.js';
import { DEFAULT_ALERTMANAGER_TIMEOUT_MS } from './config/schema.js';
import { ConfigError, formatIssue } from './errors.js';
import type { Flags } from './flags.js';
import type { Logger } from './log.js';
import { createConfigMetrics, createRegistry } from './metrics/registry.js';
import { createGatusMetrics } from './metrics/gatus-metrics.js';
import { createProbeMetrics, type ProbeMetrics } from './metrics/probe-metrics.js';
import { createDomainExpiryLookup } from './probe/domain-expiry.js';
import { loadProbers, probers } from './probe/index.js';
import { gateAlerting } from './maintenance/gate.js';
import { createMaintenanceMetrics } from './maintenance/metrics.js';
import { createLimiter } from './scheduler/limiter.js';
import { createScheduler } from './scheduler/scheduler.js';
import { createOwnership, type Ownership } from './shard/ownership.js';
import { createShardMetrics } from './shard/metrics.js';
import { resolveShard } from './shard/settings.js';
import { createEventLog } from './store/events.js';
import { createStore } from './store/index.js';
import { createPrometheusHistory } from './store/prometheus-history.js';
import { openArchive, restoreFromArchive } from './store/sqlite-archive.js';
import { createApiRouter } from './web/api.js';
import { externalAsEndpoint, externalCheck } from './web/external.js';
import { createGatusOpenRouter, createSuitesRouter } from './web/gatus-api.js';
import { createProbeRouter } from './web/probe-route.js';
import { createBcryptVerifier } from './web/bcrypt-verifier.js';
import { createOidcLogin, type OidcLogin } from './web/oidc.js';
import { createSecurityMiddleware, securityHeaders } from './web/security.js';
import { watchCertificate, type CertificateReloader } from './web/certificate-reloader.js';
import { createApp, listen, type ReloadOutcome } from './web/server.js';
import { readTlsPair } from './config/web-tls.js';
import { createUiRouter } from './web/ui/router.js';
import { createPublicUiRouter } from './web/ui/public.js';
import { capYoungGenerationOnce } from './young-generation.js';

/** Settings read once at start (they size queues, registries and timers). */
const RESTART_ONLY = ['resendIntervalMs', 'historySize', 'maxConcurrentProbes', 'gatusMetrics', 'durationHistogram', 'phaseMetrics', 'rdapBaseUrl'] as const;

export interface RunningApp {
  url: string;
  port: number;
  reload(): Promise<ReloadOutcome>;
  stop(): Promise<void>;
}

function describeError(err: unknown): string[] {
  if (err instanceof ConfigError) return err.issues.map(formatIssue);
  return [err instanceof Error ? err.message : String(err)];
}

/** Alertmanager peers from the config plus the --alertmanager.url flags, without duplicates. */
function withFlagPeers(config: Config, urls: readonly string[]): Config {
  const peers: AlertmanagerTarget[] = [...config.vigil.alertmanagers];
  for (const url of urls) {
    if (!peers.some((p) => p.url === url)) peers.push({ url, timeoutMs: DEFAULT_ALERTMANAGER_TIMEOUT_MS });
  }
  return { ...config, vigil: { ...config.vigil, alertmanagers: peers } };
}

/** Which enabled endpoints and external endpoints of `config` this replica owns (flags over vigil.shard). */
function ownershipFor(config: Config, flags: Flags): Ownership {
  const settings = resolveShard(flags.shard, config.vigil.shard, hostname);
  const keys = [...config.endpoints, ...config.externalEndpoints].filter((e) => e.enabled).map((e) => e.key);
  return createOwnership(settings, keys);
}

export async function startApp(flags: Flags, logger: Logger): Promise<RunningApp> {
  capYoungGenerationOnce();
  const read = async (): Promise<{ config: Config; ownership: Ownership }> => {
    const next = withFlagPeers(await loadConfig(flags.configFile), flags.alertmanagerUrls);
    // protocol modules load before the schedule runs: importing one blocks the event loop
    await loadProbers(next.endpoints.map((e) => e.kind));
    return { config: next, ownership: ownershipFor(next, flags) };
  };
  const first = await read();
  let config = first.config;
  for (const warning of config.warnings) logger.warn('config: not implemented, ignored', { warning: formatIssue(warning) });

  // blackbox modules for /probe: a bad file fails startup like a bad vigil config
  const blackbox = flags.blackboxConfigFile ? await loadBlackboxConfig(flags.blackboxConfigFile) : { config: builtinModules(), warnings: [] };
  for (const warning of blackbox.warnings) logger.warn('blackbox config: not implemented', { warning: formatIssue(warning) });
  if (config.vigil.probeAllowlist === undefined) logger.warn('vigil.probe-allowlist is not set: /probe probes any target it is given');

  const clock = systemClock;
  const replica = flags.replica ?? hostname();
  // --location: on every series of this registry (not on /probe's, not on alerts)
  const registry = createRegistry(flags.location !== undefined ? { location: flags.location } : {});
  const shardMetrics = createShardMetrics(registry);
  const configMetrics = createConfigMetrics(registry);
  const probeMetrics = createProbeMetrics(registry, { durationHistogram: config.vigil.durationHistogram, phaseMetrics: config.vigil.phaseMetrics });
  // Series families are fixed at start: switching Gatus metric names needs a restart.
  const metricSinks: ProbeMetrics[] = config.vigil.gatusMetrics ? [probeMetrics, createGatusMetrics(registry)] : [probeMetrics];
  const store = createStore({ historySize: config.vigil.historySize, clock });
  const notifier = createNotifier({
    alertmanagers: config.vigil.alertmanagers,
    resendIntervalMs: config.vigil.resendIntervalMs,
    registry,
    logger: logger.child({ component: 'notifier' }),
    clock,
    replica,
    externalLabels: config.vigil.externalLabels,
    checkPeers: true,
  });
  const alerting = createAlerting({ config, notifier, clock, logger: logger.child({ component: 'alerting' }) });
  const maintenanceMetrics = createMaintenanceMetrics(registry, clock);
  // maintenance windows: results do not reach alerting (no fire, no resolve, counts kept)
  const stateLog = createStateLog(logger.child({ component: 'check' }));
  const events = createEventLog({ clock, maxEvents: config.storage.maxEvents });
  // storage.type sqlite: results and events also go to a file, and come back from it at start
  const archive = config.storage.path
    ? openArchive({ path: config.storage.path, maxResults: config.vigil.historySize, maxEvents: config.storage.maxEvents, events: (key) => events.events(key), clock, logger: logger.child({ component: 'storage' }) })
    : undefined;
  const sinks: CheckSink[] = [...metricSinks, store, events, ...(archive ? [archive] : []), gateAlerting(alerting, () => config), stateLog];
  const publish = (check: CheckResult): void => {
    for (const sink of sinks) sink.observe(check);
  };

  // --history.prometheus-url: uptime and response times shown from Prometheus (all replicas merged),
  // and the latest state of endpoints other shards probe
  let endpointsByKey = new Map<string, EndpointConfig>();
  const history = flags.historyPrometheusUrl
    ? createPrometheusHistory({
        local: store,
        url: flags.historyPrometheusUrl,
        fetch: (url, init) => globalThis.fetch(url, init),
        clock,
        logger: logger.child({ component: 'history' }),
        endpointFor: (key) => endpointsByKey.get(key),
        incidentStepMs: flags.historyIncidentStepMs,
      })
    : undefined;
  const shownStore = history ?? store;
  // external endpoints' heartbeats: a missed one is published like a failed push
  const heartbeats = createHeartbeats({
    clock,
    logger: logger.child({ component: 'heartbeat' }),
    onMissed: (external, missed) => publish(externalCheck(external, { ...missed, success: false, durationMs: 0 })),
  });
  const onExternalResult = (check: CheckResult): void => {
    heartbeats.beat(check.endpoint.key);
    publish(check);
  };

  // [DOMAIN_EXPIRATION]: RDAP lookups, cached per domain, only for endpoints whose conditions use it
  const domainExpiry = createDomainExpiryLookup({ rdapBaseUrl: config.vigil.rdapBaseUrl, clock });
  const runCheck = createCheckRunner({ probers, logger, domainExpiry });
  const scheduler = createScheduler<EndpointConfig>({
    limiter: createLimiter(config.vigil.maxConcurrentProbes),
    logger,
    firstRunSpreadMs: 5_000,
    onSkipped: (endpoint) => metricSinks.forEach((m) => m.skipped(endpoint)),
    run: async (endpoint, signal) => {
      const check = await runCheck(endpoint, signal);
      if (!signal.aborted) publish(check);
    },
  });

  let ready = false;
  let allowlist = createAllowlist(config.vigil.probeAllowlist);
  const verifier = createBcryptVerifier();
  // one OIDC login per distinct security.oidc, so a reload that leaves it alone keeps its discovery
  let oidc: { key: string; login: OidcLogin | undefined } = { key: '', login: undefined };
  const oidcFor = (security: Config['security']): OidcLogin | undefined => {
    const key = JSON.stringify(security.basic ? null : (security.oidc ?? null));
    if (key !== oidc.key) oidc = { key, login: security.oidc && !security.basic ? createOidcLogin(security.oidc, { logger: logger.child({ component: 'oidc' }) }) : undefined };
    return oidc.login;
  };
  const securityFor = (security: Config['security']) => createSecurityMiddleware(security, { verifier, oidc: oidcFor(security) });
  let protect = securityFor(config.security);
  // the status page and API: what this replica probes, or with Prometheus history every endpoint
  let shownConfig = config;
  const apply = (next: Config, ownership: Ownership): void => {
    const endpoints = next.endpoints.filter((e) => e.enabled && ownership.owns(e.key));
    endpointsByKey = new Map(next.endpoints.filter((e) => e.enabled).map((e) => [e.key, e]));
    for (const m of metricSinks) m.setEndpoints(endpoints);
    // pushes to external endpoints are accepted by every replica; heartbeats are watched by the owners
    const keys = new Set([...endpoints.map((e) => e.key), ...next.externalEndpoints.map((e) => e.key)]);
    store.retain(keys);
    archive?.retain(keys);
    stateLog.retain(keys);
    events.retain(keys);
    alerting.updateConfig(next);
    maintenanceMetrics.update(next);
    notifier.updateTargets(next.vigil.alertmanagers);
    scheduler.update(endpoints);
    heartbeats.update(next.externalEndpoints.filter((e) => ownership.owns(e.key)));
    shardMetrics.update(ownership.settings, endpoints.length);
    shownConfig = history ? next : { ...next, endpoints };
    allowlist = createAllowlist(next.vigil.probeAllowlist);
    protect = securityFor(next.security);
    for (const key of RESTART_ONLY) {
      if (JSON.stringify(next.vigil[key]) !== JSON.stringify(config.vigil[key])) {
        logger.warn('configuration change needs a restart to take effect', { setting: `vigil.${key}` });
      }
    }
    config = next;
  };

  let certificates: CertificateReloader | undefined;
  let servingTls = false;
  const reload = async (): Promise<ReloadOutcome> => {
    try {
      const { config: next, ownership } = await read();
      apply(next, ownership);
      certificates?.check();
      if (Boolean(next.web?.tls) !== servingTls) logger.warn('configuration change needs a restart to take effect', { setting: 'web.tls' });
      if (next.storage.path !== first.config.storage.path) logger.warn('configuration change needs a restart to take effect', { setting: 'storage' });
      configMetrics.reloaded(true, clock.now());
      logger.info('configuration reloaded', { file: flags.configFile, endpoints: next.endpoints.length });
      return { ok: true, errors: [] };
    } catch (err) {
      configMetrics.reloaded(false, clock.now());
      const errors = describeError(err);
      logger.error('configuration reload failed; keeping the running configuration', { file: flags.configFile, errors });
      return { ok: false, errors };
    }
  };

  const getConfig = (): Config => shownConfig;
  const app = createApp({
    registry,
    logger,
    ready: () => ready,
    reload,
    lifecycle: flags.enableLifecycle,
    before: [securityHeaders()],
    open: [
      (req, res, next) => (oidc.login ? oidc.login.router(req, res, next) : next()),
      createProbeRouter({
        config: () => blackbox.config,
        allowlist: () => allowlist,
        limits: () => ({ maxConcurrent: config.vigil.probeMaxConcurrent, maxTimeoutMs: config.vigil.probeMaxTimeoutMs }),
        probers,
        logger: logger.child({ component: 'probe' }),
      }),
      createGatusOpenRouter({ store: shownStore, getConfig, clock, loggedIn: (req) => oidc.login?.subjectOf(req) !== undefined }),
      createPublicUiRouter({ store: shownStore, getConfig, clock, logger, events: (key) => events.events(key), ...(history ? { timeline: history } : {}) }),
    ],
    protect: (req, res, next) => protect(req, res, next),
    protected: [
      createSuitesRouter(),
      createApiRouter({ store: shownStore, getConfig, clock, logger, alerts: () => notifier.snapshot(), onExternalResult, events: (key) => events.events(key) }),
      createUiRouter({ store: shownStore, getConfig, clock, logger, events: (key) => events.events(key), ...(history ? { timeline: history } : {}) }),
    ],
  });
  const listenAddress = flags.listenAddress ?? (config.web ? `${config.web.address}:${config.web.port}` : ':8080');
  const server = await listen(app, listenAddress, config.web?.tls ? readTlsPair(config.web.tls) : undefined);
  certificates = server.secure ? watchCertificate({ files: () => config.web?.tls, serve: (pair) => server.setCertificate(pair), logger }) : undefined;
  servingTls = server.secure;
  if (archive) {
    const restored = restoreFromArchive(archive, [...config.endpoints, ...config.externalEndpoints.map(externalAsEndpoint)], { store, events });
    logger.info('storage: results restored from the SQLite file', { path: config.storage.path, results: restored });
  }
  apply(config, first.ownership);
  const { settings } = first.ownership;
  if (settings.count > 1) logger.info('sharding', { index: settings.index, count: settings.count, replication: settings.replication, endpoints: scheduler.size });
  history?.start();
  configMetrics.reloaded(true, clock.now());
  ready = true;
  const shownHost = server.host === '::' || server.host === '0.0.0.0' ? 'localhost' : server.host.includes(':') ? `[${server.host}]` : server.host;
  const url = `${server.secure ? 'https' : 'http'}://${shownHost}:${server.port}`;

  return {
    url,
    port: server.port,
    reload,
    async stop() {
      ready = false;
      heartbeats.stop();
      certificates?.stop();
      await history?.stop();
      await scheduler.stop(flags.shutdownGraceMs);
      archive?.close();
      await notifier.stop();
      await server.close();
      await verifier.close();
    },
  };
}
