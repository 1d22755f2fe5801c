import type { EndpointConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { ProbeKind, ProbeResult, Prober } from '../probe/types.js';
import { MAX_ERROR_CHARS, MAX_RENDERED_CONDITION_CHARS, headForRedaction, truncateText } from '../truncate.js';
import type { CheckResult, ConditionResult } from './types.js';

/** Looks up when a domain's registration expires (epoch ms), e.g. over RDAP. */
export type DomainExpiryLookup = (hostname: string, signal: AbortSignal) => Promise<number | undefined>;

export interface CheckRunnerDeps {
  probers: Readonly<Partial<Record<ProbeKind, Prober>>>;
  logger: Logger;
  now?: () => number;
  domainExpiry?: DomainExpiryLookup;
}

export type CheckRunner = (endpoint: EndpointConfig, signal: AbortSignal) => Promise<CheckResult>;

function failed(message: string): ProbeResult {
  return { connected: false, responseTimeMs: 0, phasesMs: {}, error: message };
}

/** Redacted, then cut to `maxChars` (redacting first, so a cut never leaves part of a secret). */
function shown(text: string, endpoint: EndpointConfig, maxChars: number): string {
  return truncateText(endpoint.redactor.text(headForRedaction(text, maxChars)), maxChars);
}

/**
 * The probe result without its body: conditions have read it, and nothing downstream keeps it.
 * The result is this check's own (every prober returns a fresh one), so the body is dropped in
 * place: copying the rest of the object costs more than the whole condition evaluation.
 */
function withoutBody(result: ProbeResult): ProbeResult {
  if (result.body !== undefined) result.body = undefined;
  return result;
}

/** Probe + conditions: one endpoint check, never rejecting. */
export function createCheckRunner(deps: CheckRunnerDeps): CheckRunner {
  const now = deps.now ?? (() => Date.now());
  return async (endpoint, signal) => {
    const timestamp = now();
    const prober = deps.probers[endpoint.kind];
    let result: ProbeResult;
    if (!prober) {
      result = failed(`probe type ${endpoint.kind} is not available`);
    } else {
      try {
        result = await prober(endpoint.target, endpoint.client, signal);
      } catch (err) {
        deps.logger.error('prober threw (bug)', { endpoint: endpoint.key, err: endpoint.redactor.text(String(err)) });
        result = failed(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (deps.domainExpiry && endpoint.conditions.some((c) => c.compiled.placeholders.includes('[DOMAIN_EXPIRATION]'))) {
      try {
        const expiresAt = await deps.domainExpiry(endpoint.target.url.hostname, signal);
        if (expiresAt !== undefined) result = { ...result, domainExpirationMs: expiresAt - now() };
      } catch (err) {
        deps.logger.debug('domain expiry lookup failed', { endpoint: endpoint.key, err });
      }
    }
    const options = {
      resolveSuccessful: endpoint.ui.resolveSuccessfulConditions,
      dontResolveFailed: endpoint.ui.dontResolveFailedConditions,
    };
    // A body cut at the cap is said so beside every condition that read it (within the rendering cap).
    const cutNote = result.bodyTruncated === true ? ` (body cut at ${endpoint.client.maxBodyBytes} bytes)` : '';
    const conditionResults: ConditionResult[] = endpoint.conditions.map((c) => {
      const outcome = c.compiled.evaluate(result, options);
      const note = cutNote !== '' && c.compiled.placeholders.includes('[BODY]') ? cutNote : '';
      // The condition's own text comes from the config; only a resolved rendering can carry target data.
      const rendered = outcome.rendered === c.text ? c.text : shown(outcome.rendered, endpoint, MAX_RENDERED_CONDITION_CHARS - note.length);
      return { condition: c.text, success: outcome.success, rendered: rendered + note };
    });
    // An error after the headers (reset, stalled body) fails the check unless client.ignore-body-errors.
    const failedAfterHeaders = result.errorAfterHeaders === true && endpoint.client.ignoreBodyErrors !== true;
    const conditionsHold = conditionResults.length > 0 ? conditionResults.every((c) => c.success) : result.connected && !result.error;
    const success = conditionsHold && !failedAfterHeaders;
    const errors = result.error ? [shown(result.error, endpoint, MAX_ERROR_CHARS)] : [];
    return { endpoint, timestamp, success, result: withoutBody(result), conditionResults, errors };
  };
}
