import type { AlertRule, Config, EndpointConfig } from '../../src/config/schema.js';
import type { CheckResult, ConditionResult } from '../../src/check/types.js';
import { createLogger } from '../../src/log.js';
import type { Logger } from '../../src/log.js';

export function rule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    type: 'slack',
    enabled: true,
    failureThreshold: 3,
    successThreshold: 2,
    sendOnResolved: true,
    description: '',
    severity: 'critical',
    labels: {},
    annotations: {},
    runbookUrl: '',
    ...overrides,
  };
}

export function endpoint(overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  const name = overrides.name ?? 'api';
  const group = overrides.group ?? 'core';
  return {
    name,
    group,
    key: `${group}_${name}`,
    enabled: true,
    kind: 'http',
    url: 'https://api.example.org/health',
    target: { url: new URL('https://api.example.org/health'), method: 'GET', headers: {}, body: '' },
    client: { timeoutMs: 1000, insecure: false, followRedirects: true, maxRedirects: 10, maxBodyBytes: 1024, network: 'ip' },
    intervalMs: 60_000,
    conditions: [],
    alerts: [rule()],
    ui: {
      hideConditions: false,
      hideHostname: false,
      hidePort: false,
      hideUrl: false,
      hideErrors: false,
      dontResolveFailedConditions: false,
      resolveSuccessfulConditions: false,
    },
    labels: {},
    ...overrides,
  };
}

export function config(endpoints: EndpointConfig[], vigil: Partial<Config['vigil']> = {}): Config {
  return {
    sources: ['test.yaml'],
    endpoints,
    externalEndpoints: [],
    metrics: true,
    ui: { title: '', description: '', header: '', link: '', darkMode: false },
    security: {},
    vigil: {
      alertmanagers: [],
      resendIntervalMs: 60_000,
      externalLabels: {},
      resolve: 'explicit',
      historySize: 100,
      maxConcurrentProbes: 4,
      gatusMetrics: false,
      ...vigil,
    },
    warnings: [],
  };
}

export function check(ep: EndpointConfig, success: boolean, timestamp: number, conditionResults: ConditionResult[] = []): CheckResult {
  return {
    endpoint: ep,
    timestamp,
    success,
    result: { connected: success, responseTimeMs: 5, phasesMs: {} },
    conditionResults,
    errors: [],
  };
}

export interface LogRecord {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A JSON logger whose records are kept for assertions. */
export function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => records.push(JSON.parse(line) as LogRecord) });
  return { logger, records };
}
