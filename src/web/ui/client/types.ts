/** JSON the status page reads from /ui/api/*. Shared by the server (data.ts) and the browser code. */

export type EndpointState = 'up' | 'down' | 'unknown';

/** One result, compact: the page shows thousands of these. */
export interface BarResult {
  /** Epoch ms. */
  t: number;
  /** Success. */
  ok: boolean;
  /** Response time in ms (absent on the public page). */
  ms?: number;
  /** HTTP status, when there is one. */
  status?: number;
  /** Rendered failed conditions (absent when hidden or none). */
  failed?: string[];
}

export interface EndpointSummary {
  key: string;
  name: string;
  group: string;
  kind: string;
  url?: string;
  state: EndpointState;
  /** Oldest → newest. Empty in the overview: the list asks /ui/api/bars for the endpoints it shows. */
  results: BarResult[];
  /** Epoch ms of the latest result. */
  lastT?: number;
  uptime: { '24h'?: number; '7d'?: number; '30d'?: number };
  avgResponseTimeMs24h?: number;
  /** In a maintenance window now (global or its own). */
  maintenance?: boolean;
}

export interface SiteInfo {
  title: string;
  header: string;
  description: string;
  link: string;
  darkMode: boolean;
}

/** A time an endpoint was down: from an UNHEALTHY event to the next HEALTHY one (absent: still down). */
export interface Incident {
  /** Epoch ms. */
  start: number;
  end?: number;
  /** On the page-wide list. */
  key?: string;
  name?: string;
  group?: string;
}

/** A banner line: an announcement or a maintenance window from the config. */
export interface Notice {
  kind: 'maintenance' | 'outage' | 'warning' | 'information' | 'operational';
  title: string;
  text?: string;
  /** Epoch ms the notice refers to (announcement time, maintenance start). */
  at?: number;
}

export interface Overview {
  site: SiteInfo;
  generatedAt: number;
  endpoints: EndpointSummary[];
  /** A maintenance window is active now. */
  maintenance: boolean;
  notices: Notice[];
  /** Recent incidents of all endpoints, newest first. */
  incidents: Incident[];
  /** Set when the incidents come from Prometheus (every replica), not this replica's events. */
  incidentsFrom?: 'prometheus';
}

/** POST /ui/api/bars {keys} → the recent results of those endpoints (unknown keys left out). */
export interface BarsResponse {
  bars: Record<string, BarResult[]>;
}

export interface DetailResult {
  t: number;
  ok: boolean;
  ms: number;
  status?: number;
  hostname?: string;
  conditions: { text: string; ok: boolean }[];
  errors: string[];
}

export interface Detail {
  site: SiteInfo;
  generatedAt: number;
  endpoint: EndpointSummary;
  uptime1h?: number;
  avgResponseTimeMs: { '1h'?: number; '24h'?: number; '7d'?: number; '30d'?: number };
  /** Epoch ms of the certificate's notAfter, from the latest result. */
  certificateNotAfter?: number;
  conditionsHidden: boolean;
  errorsHidden: boolean;
  /** Newest first. */
  recent: DetailResult[];
  /** Newest first; from the event log, or from the stored results when `incidentsFrom` says so. */
  incidents: Incident[];
  incidentsFrom: 'events' | 'results' | 'prometheus';
  /** With incidentsFrom 'prometheus': epoch ms the window Prometheus was asked about starts. */
  incidentsSince?: number;
  /** Epoch ms of the oldest stored result (how far back the page can see). */
  oldestResult?: number;
  /** Checks per UTC day over the last 90 days that have data (the store keeps up to 30), oldest first. */
  daily: { t: number; total: number; ok: number }[];
  /** Hourly averages over 7 days, oldest first. */
  hourly: { t: number; ms: number; total: number; ok: number }[];
}
