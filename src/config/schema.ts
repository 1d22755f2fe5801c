/**
 * The validated configuration: what the rest of vigil reads. Defaults are applied by
 * validate.ts; nothing downstream checks for undefined. YAML keys are Gatus' (kebab-case).
 */
import type { ConfigIssue } from '../errors.js';
import type { CompiledCondition } from '../conditions/types.js';
import type { MaintenanceWindow } from '../maintenance/window.js';
import type { Announcement } from './announcements.js';
import type { StorageConfig } from './storage.js';
import type { ProbeKind, ProbeOptions, ProbeTarget } from '../probe/types.js';
import type { Redactor } from '../redact.js';
import type { ShardInput } from '../shard/settings.js';

export const DEFAULT_INTERVAL_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REDIRECTS = 10;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_SUCCESS_THRESHOLD = 2;
export const DEFAULT_RESEND_INTERVAL_MS = 60_000;
export const DEFAULT_HISTORY_SIZE = 100;
export const DEFAULT_MAX_CONCURRENT_PROBES = 64;
export const DEFAULT_PROBE_MAX_CONCURRENT = 100;
export const DEFAULT_PROBE_MAX_TIMEOUT_MS = 60_000;
export const DEFAULT_SEVERITY = 'critical';
export const DEFAULT_ALERTMANAGER_TIMEOUT_MS = 10_000;
/** A public RDAP bootstrap service that redirects to the registry of each TLD. */
export const DEFAULT_RDAP_BASE_URL = 'https://rdap.org';

export interface EndpointUi {
  hideConditions: boolean;
  hideHostname: boolean;
  hidePort: boolean;
  hideUrl: boolean;
  hideErrors: boolean;
  dontResolveFailedConditions: boolean;
  resolveSuccessfulConditions: boolean;
  /** Gatus `badge.response-time.thresholds`: 5 ascending ms limits, one per badge colour. */
  responseTimeThresholdsMs: readonly number[];
}

/** Gatus' `ui` defaults: nothing hidden, failed conditions resolved, successful ones not. */
export const DEFAULT_ENDPOINT_UI: Readonly<EndpointUi> = {
  hideConditions: false,
  hideHostname: false,
  hidePort: false,
  hideUrl: false,
  hideErrors: false,
  dontResolveFailedConditions: false,
  resolveSuccessfulConditions: false,
  responseTimeThresholdsMs: [50, 200, 300, 500, 750],
};

export interface ConditionEntry {
  /** As written in the config (before `${VAR}` expansion): what metrics labels and the API show. */
  text: string;
  compiled: CompiledCondition;
}

/** Gatus `alerts[]` plus vigil's extras. `type` becomes the `receiver_hint` label. */
export interface AlertRule {
  type: string;
  enabled: boolean;
  failureThreshold: number;
  successThreshold: number;
  sendOnResolved: boolean;
  description: string;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl: string;
}

export interface EndpointConfig {
  name: string;
  group: string;
  /** Gatus key: `<group>_<name>`, lower-cased, with ` /_,.#+&` replaced by `-`. */
  key: string;
  enabled: boolean;
  kind: ProbeKind;
  /** The URL as written (may hold secrets: redact before showing). */
  url: string;
  target: ProbeTarget;
  client: ProbeOptions;
  intervalMs: number;
  conditions: ConditionEntry[];
  alerts: AlertRule[];
  ui: EndpointUi;
  /** Gatus `extra-labels`: added to metrics and alerts. */
  labels: Record<string, string>;
  /** Gatus `maintenance-windows`: no alert state changes while one is active. */
  maintenanceWindows: MaintenanceWindow[];
  /** Removes this endpoint's secrets from anything shown, exported, logged or sent (src/redact.ts). */
  redactor: Redactor;
}

/** Gatus `external-endpoints[]`: results are pushed in over the API with a bearer token. */
export interface ExternalEndpointConfig {
  name: string;
  group: string;
  key: string;
  enabled: boolean;
  token: string;
  alerts: AlertRule[];
  /** Gatus `heartbeat.interval`: 0 = disabled. */
  heartbeatIntervalMs: number;
  labels: Record<string, string>;
  maintenanceWindows: MaintenanceWindow[];
  /** Removes the token (and `${VAR}` secrets) from anything shown, logged or sent. */
  redactor: Redactor;
}

export interface AlertmanagerTarget {
  /** Base URL, e.g. `http://am-1:9093` (the client appends `/api/v2/alerts`). */
  url: string;
  timeoutMs: number;
  basicAuth?: { username: string; password: string };
  bearerToken?: string;
  tls?: { insecure: boolean; caFile?: string; certificateFile?: string; privateKeyFile?: string };
}

/** vigil's own section `vigil:`. */
export interface VigilSection {
  alertmanagers: AlertmanagerTarget[];
  resendIntervalMs: number;
  externalLabels: Record<string, string>;
  /**
   * `confirm`: on recovery stop resending; send endsAt = recovery time once the Alertmanager
   * peers show no other replica refreshes the alert. `explicit`: send it at once. `expire`:
   * stop resending and let it expire.
   */
  resolve: 'confirm' | 'explicit' | 'expire';
  historySize: number;
  maxConcurrentProbes: number;
  /** Gatus metric names (`gatus_results_*`) in addition to vigil's. */
  gatusMetrics: boolean;
  /** Buckets on vigil_probe_duration_seconds (default: only +Inf, _sum, _count). */
  durationHistogram: boolean;
  /** vigil_probe_phase_duration_seconds{phase} per endpoint (default off). */
  phaseMetrics: boolean;
  /** RDAP service for [DOMAIN_EXPIRATION] (`<base>/domain/<name>`). */
  rdapBaseUrl: string;
  /**
   * `/probe` target allowlist (IPs, CIDRs, host globs; see src/blackbox/allowlist.ts).
   * Absent: every target allowed. Present (even empty): only matching targets.
   */
  probeAllowlist?: string[];
  /** `/probe` requests in flight at once; past it they get 429. */
  probeMaxConcurrent: number;
  /** Cap on the scrape timeout a `/probe` caller may ask for. */
  probeMaxTimeoutMs: number;
  /** `vigil.shard` (flags override it); absent: sharding off unless the flags turn it on. */
  shard?: ShardInput;
}

/** Gatus `web.tls`: serve HTTPS with this certificate chain and key (PEM files, re-read when they change). */
export interface WebTlsConfig {
  certificateFile: string;
  privateKeyFile: string;
}

export interface WebConfig {
  address: string;
  port: number;
  tls?: WebTlsConfig;
}

/** Gatus `ui.buttons[]`: a link shown under the header. */
export interface SiteButton {
  name: string;
  link: string;
}

/** The global `ui:` section (Gatus keys); read by config/site-ui.ts. */
export interface SiteUi {
  title: string;
  description: string;
  header: string;
  link: string;
  darkMode: boolean;
  /** Image URL shown left of the header ('' = none). */
  logo: string;
  /** Favicon URL ('' = vigil's). Gatus' `favicon.default` (or a plain string). */
  favicon: string;
  /** CSS appended to the page as /ui/assets/custom.css. */
  customCss: string;
  buttons: SiteButton[];
  dashboardHeading: string;
  dashboardSubheading: string;
  /** Gatus `default-sort-by` ('' = vigil's default, by state). */
  defaultSortBy: '' | 'name' | 'group' | 'health';
  /** Gatus `default-filter-by` ('' = none). */
  defaultFilterBy: '' | 'none' | 'failing' | 'unstable';
  /** vigil: path of the reduced public page, served without auth ('' = none). */
  publicPage: string;
}

/** Gatus `security.oidc` (config/oidc.ts). */
export interface OidcConfig {
  issuerUrl: string;
  /** Where the provider sends the browser back; vigil answers the callback on this URL's path. */
  redirectUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** `sub` claims let in; empty = anyone the provider authenticates. */
  allowedSubjects: string[];
  sessionTtlMs: number;
}

export interface SecurityConfig {
  /** Gatus `security.basic`: username + base64 of a bcrypt hash. */
  basic?: { username: string; passwordBcryptBase64: string };
  /** Gatus `security.oidc`; not used while `basic` is set (as in Gatus). */
  oidc?: OidcConfig;
}

export interface Config {
  /** Files the config was read from. */
  sources: string[];
  endpoints: EndpointConfig[];
  externalEndpoints: ExternalEndpointConfig[];
  metrics: boolean;
  web?: WebConfig;
  ui: SiteUi;
  security: SecurityConfig;
  /** Gatus `storage` bounds (results and events are in memory). */
  storage: StorageConfig;
  /** Gatus `announcements`, newest first. */
  announcements: Announcement[];
  /** Gatus' global `maintenance:` window (empty when absent or disabled). */
  maintenance: MaintenanceWindow[];
  vigil: VigilSection;
  /** Keys vigil accepts for compatibility but does not implement; reported once each. */
  warnings: ConfigIssue[];
}

export const DEFAULT_WEB_ADDRESS = '0.0.0.0';
export const DEFAULT_WEB_PORT = 8080;
export const DEFAULT_UI_TITLE = 'Health Dashboard | vigil';
export const DEFAULT_UI_HEADER = 'Health Status';

export const DEFAULT_SITE_UI: SiteUi = {
  title: DEFAULT_UI_TITLE,
  description: '',
  header: DEFAULT_UI_HEADER,
  link: '',
  darkMode: true,
  logo: '',
  favicon: '',
  customCss: '',
  buttons: [],
  dashboardHeading: '',
  dashboardSubheading: '',
  defaultSortBy: '',
  defaultFilterBy: '',
  publicPage: '',
};
