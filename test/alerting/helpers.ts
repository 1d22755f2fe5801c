import type { AlertRule, Config, EndpointConfig } from '../../src/config/schema.js';
import type { CheckResult, ConditionResult } from '../../src/check/types.js';
import { createLogger } from '../../src/log.js';
import { makeEndpoint } from '../helpers/fixtures.js';
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

/** An http endpoint `core/api` with one default alert rule. */
export function endpoint(overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  return makeEndpoint({ alerts: [rule()], ...overrides });
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
      rdapBaseUrl: 'https://rdap.test',
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
