/** Small factories for EndpointConfig / CheckResult / Config fixtures (web and store tests). */
import type { CheckResult, ConditionResult } from '../../src/check/types.js';
import { DEFAULT_ENDPOINT_UI, DEFAULT_SITE_UI } from '../../src/config/schema.js';
import type { Config, EndpointConfig, EndpointUi, ExternalEndpointConfig } from '../../src/config/schema.js';
import { endpointRedactor, externalRedactor } from '../../src/config/secrets.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { makeOptions, makeTarget } from './protocol-probe.js';

/** Gatus key: `<group>_<name>`, lower-cased, with ` /_,.#+&` replaced by `-`. */
export function gatusKey(group: string, name: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[ /_,.#+&]/g, '-');
  return `${clean(group)}_${clean(name)}`;
}

export interface EndpointFixture extends Partial<Omit<EndpointConfig, 'ui'>> {
  ui?: Partial<EndpointUi>;
}

export function makeEndpoint(overrides: EndpointFixture = {}): EndpointConfig {
  const name = overrides.name ?? 'api';
  const group = overrides.group ?? 'core';
  const url = overrides.url ?? `https://${name.replace(/[^a-z0-9]/gi, '') || 'x'}.example.com/health`;
  const { ui, ...rest } = overrides;
  const endpoint: Omit<EndpointConfig, 'redactor'> = {
    name,
    group,
    key: gatusKey(group, name),
    enabled: true,
    kind: 'http',
    url,
    target: makeTarget(url),
    client: makeOptions({ timeoutMs: 10_000 }),
    intervalMs: 60_000,
    conditions: [],
    alerts: [],
    labels: {},
    maintenanceWindows: [],
    ...rest,
    ui: { ...DEFAULT_ENDPOINT_UI, ...ui },
  };
  return { ...endpoint, redactor: overrides.redactor ?? endpointRedactor(endpoint) };
}

export function makeExternal(overrides: Partial<ExternalEndpointConfig> = {}): ExternalEndpointConfig {
  const name = overrides.name ?? 'backup';
  const group = overrides.group ?? 'jobs';
  const external: Omit<ExternalEndpointConfig, 'redactor'> = {
    name,
    group,
    key: gatusKey(group, name),
    enabled: true,
    token: 'secret-token-123',
    alerts: [],
    heartbeatIntervalMs: 0,
    labels: {},
    maintenanceWindows: [],
    ...overrides,
  };
  return { ...external, redactor: overrides.redactor ?? externalRedactor(external) };
}

export interface CheckFixture {
  timestamp?: number;
  success?: boolean;
  result?: Partial<ProbeResult>;
  conditionResults?: ConditionResult[];
  errors?: string[];
}

export function makeCheck(endpoint: EndpointConfig, overrides: CheckFixture = {}): CheckResult {
  const success = overrides.success ?? true;
  return {
    endpoint,
    timestamp: overrides.timestamp ?? Date.UTC(2024, 0, 1, 12, 0, 0),
    success,
    result: {
      connected: true,
      status: success ? 200 : 500,
      responseTimeMs: 42,
      phasesMs: {},
      ...overrides.result,
    },
    conditionResults: overrides.conditionResults ?? [
      {
        condition: '[STATUS] == 200',
        success,
        rendered: success ? '[STATUS] == 200' : '[STATUS] (500) == 200',
      },
    ],
    errors: overrides.errors ?? [],
  };
}

export function makeConfig(overrides: Partial<Config> = {}): Config {
  return {
    sources: ['test.yaml'],
    endpoints: [],
    externalEndpoints: [],
    metrics: true,
    ui: { ...DEFAULT_SITE_UI, darkMode: false },
    security: {},
    maintenance: [],
    announcements: [],
    storage: { type: 'memory', maxResults: 100, maxEvents: 50 },
    vigil: {
      alertmanagers: [],
      resendIntervalMs: 60_000,
      externalLabels: {},
      resolve: 'explicit',
      historySize: 100,
      maxConcurrentProbes: 64,
      gatusMetrics: false,
      durationHistogram: false,
      phaseMetrics: false,
      rdapBaseUrl: 'https://rdap.test',
      probeMaxConcurrent: 100,
      probeMaxTimeoutMs: 60_000,
    },
    warnings: [],
    ...overrides,
  };
}

/** A mutable clock for tests. */
export function makeClock(startMs: number = Date.UTC(2024, 0, 1, 12, 30, 0)): { now: () => number; set: (ms: number) => void; advance: (ms: number) => void } {
  let t = startMs;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}
