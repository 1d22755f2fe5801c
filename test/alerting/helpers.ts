import type { AlertRule, Config, EndpointConfig } from '../../src/config/schema.js';
import type { CheckResult, ConditionResult } from '../../src/check/types.js';
import { createLogger } from '../../src/log.js';
import { makeConfig, makeEndpoint } from '../helpers/fixtures.js';
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

/** makeConfig with `endpoints` and these vigil-section settings. */
export function config(endpoints: EndpointConfig[], vigil: Partial<Config['vigil']> = {}): Config {
  const base = makeConfig({ endpoints });
  return { ...base, vigil: { ...base.vigil, maxConcurrentProbes: 4, ...vigil } };
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
