/**
 * What an operator reads in the logs about endpoints, alerts configured or not:
 * - every change between up and down: `endpoint down` (warn, with the failing conditions and the
 *   errors) and `endpoint up` (info); an endpoint first seen down is logged too, first seen up is not;
 * - at debug level, every check result.
 * Only fields that are already redacted are logged: rendered conditions and errors come from
 * run-check (secrets scrubbed, capped); no URL, header or body.
 */
import type { Logger } from '../log.js';
import type { CheckResult, CheckSink } from './types.js';

export interface StateLog extends CheckSink {
  /** Forgets endpoints no longer configured. */
  retain(keys: ReadonlySet<string>): void;
}

function failing(check: CheckResult): string[] {
  return check.conditionResults.filter((c) => !c.success).map((c) => c.rendered);
}

export function createStateLog(logger: Logger): StateLog {
  const up = new Map<string, boolean>();
  return {
    observe(check) {
      const { endpoint } = check;
      logger.debug('check result', () => ({
        endpoint: endpoint.key,
        type: endpoint.kind,
        success: check.success,
        duration_ms: Math.round(check.result.responseTimeMs),
        ...(check.result.status !== undefined ? { status: check.result.status } : {}),
        conditions: check.conditionResults.map((c) => `${c.success ? 'ok' : 'failed'}: ${c.rendered}`),
        errors: check.errors,
      }));
      const before = up.get(endpoint.key);
      up.set(endpoint.key, check.success);
      if (before === check.success || (before === undefined && check.success)) return;
      if (check.success) {
        logger.info('endpoint up', { endpoint: endpoint.key, group: endpoint.group, name: endpoint.name });
      } else {
        logger.warn('endpoint down', {
          endpoint: endpoint.key,
          group: endpoint.group,
          name: endpoint.name,
          failed_conditions: failing(check),
          errors: check.errors,
        });
      }
    },
    retain(keys) {
      for (const key of up.keys()) if (!keys.has(key)) up.delete(key);
    },
  };
}
