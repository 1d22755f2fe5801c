/**
 * What the API and the page may show about an endpoint and its results: URLs redacted,
 * secrets removed, and the endpoint's `ui.hide-*` flags applied. Everything leaving vigil over
 * HTTP goes through here.
 */
import type { CheckResult } from '../check/types.js';
import { DEFAULT_ENDPOINT_UI } from '../config/schema.js';
import type { Config, EndpointConfig, EndpointUi, ExternalEndpointConfig } from '../config/schema.js';
import { REDACTED, redactUrl, type Redactor } from '../redact.js';

export interface DisplayEndpoint {
  key: string;
  name: string;
  group: string;
  kind: string;
  external: boolean;
  ui: EndpointUi;
  /** Redacted URL, absent when hidden by hide-url or hide-hostname. */
  url?: string;
  /** Absent when hidden by hide-hostname. */
  hostname?: string;
  /** Removes the endpoint's secrets (passwords, tokens, secret header values, in every form). */
  redactor: Redactor;
  /** Literal strings replaced by `<redacted>` in errors/conditions because of hide-* flags. */
  hidden: string[];
}

/** Gatus `endpoint.Result` JSON. */
export interface GatusResult {
  status?: number;
  hostname?: string;
  /** Nanoseconds. */
  duration: number;
  conditionResults: { condition: string; success: boolean }[];
  success: boolean;
  /** RFC 3339. */
  timestamp: string;
  errors: string[];
}

/** Gatus `endpoint.Status` JSON. */
export interface GatusStatus {
  name: string;
  group: string;
  key: string;
  results: GatusResult[];
}

const NO_HIDING: EndpointUi = DEFAULT_ENDPOINT_UI;

export function displayEndpoint(endpoint: EndpointConfig): DisplayEndpoint {
  const { ui } = endpoint;
  const url = endpoint.target.url;
  const hidden: string[] = [];
  if (ui.hideUrl) hidden.push(endpoint.url, url.href, redactUrl(endpoint.url));
  if (ui.hideHostname && url.hostname) hidden.push(url.hostname);
  if (ui.hidePort && url.port) hidden.push(`:${url.port}`);
  let shownUrl: string | undefined;
  if (!ui.hideUrl && !ui.hideHostname) {
    const copy = new URL(url.href);
    if (ui.hidePort) copy.port = '';
    shownUrl = redactUrl(copy.href);
  }
  return {
    key: endpoint.key,
    name: endpoint.name,
    group: endpoint.group,
    kind: endpoint.kind,
    external: false,
    ui,
    url: shownUrl,
    hostname: ui.hideHostname || !url.hostname ? undefined : url.hostname,
    redactor: endpoint.redactor,
    hidden: hidden.filter((s) => s.length > 0).sort((a, b) => b.length - a.length),
  };
}

export function displayExternal(external: ExternalEndpointConfig): DisplayEndpoint {
  return {
    key: external.key,
    name: external.name,
    group: external.group,
    kind: 'external',
    external: true,
    ui: NO_HIDING,
    redactor: external.redactor,
    hidden: [],
  };
}

/** Every enabled endpoint and external endpoint of the config, in config order. */
export function displayEndpoints(config: Config): DisplayEndpoint[] {
  return [
    ...config.endpoints.filter((e) => e.enabled).map(displayEndpoint),
    ...config.externalEndpoints.filter((e) => e.enabled).map(displayExternal),
  ];
}

/** Redacts URLs and secrets, then replaces what the hide-* flags hide. */
export function cleanText(text: string, endpoint: DisplayEndpoint): string {
  let out = endpoint.redactor.text(text);
  for (const h of endpoint.hidden) out = out.split(h).join(REDACTED);
  return out;
}

export function toGatusResult(check: CheckResult, endpoint: DisplayEndpoint): GatusResult {
  const { ui } = endpoint;
  const r = check.result;
  const out: GatusResult = {
    duration: Math.round(Math.max(0, r.responseTimeMs) * 1e6),
    conditionResults: ui.hideConditions
      ? []
      : check.conditionResults.map((c) => ({ condition: cleanText(c.rendered || c.condition, endpoint), success: c.success })),
    success: check.success,
    timestamp: new Date(check.timestamp).toISOString(),
    errors: ui.hideErrors ? [] : check.errors.map((e) => cleanText(e, endpoint)),
  };
  if (r.status !== undefined && r.status > 0) out.status = r.status;
  if (endpoint.hostname) out.hostname = endpoint.hostname;
  return out;
}

export function toGatusStatus(endpoint: DisplayEndpoint, results: readonly CheckResult[]): GatusStatus {
  return {
    name: endpoint.name,
    group: endpoint.group,
    key: endpoint.key,
    results: results.map((c) => toGatusResult(c, endpoint)),
  };
}
