import type { EndpointConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { ProbeKind, ProbeResult, Prober } from '../probe/types.js';
import { redactText } from '../redact.js';
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

/** Secrets an endpoint carries, to scrub from anything shown (errors, bodies in conditions). */
function secretsOf(endpoint: EndpointConfig): string[] {
  const secrets: string[] = [];
  const url = endpoint.target.url;
  if (url.password) secrets.push(decodeURIComponent(url.password));
  if (endpoint.target.ssh?.password) secrets.push(endpoint.target.ssh.password);
  for (const [name, value] of Object.entries(endpoint.target.headers)) {
    if (/authorization|token|key|secret|cookie/i.test(name)) secrets.push(value);
  }
  return secrets;
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
        deps.logger.error('prober threw (bug)', { endpoint: endpoint.key, err: redactText(String(err), secretsOf(endpoint)) });
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
    const conditionResults: ConditionResult[] = endpoint.conditions.map((c) => {
      const outcome = c.compiled.evaluate(result, options);
      return { condition: c.text, success: outcome.success, rendered: outcome.rendered };
    });
    const success = conditionResults.length > 0 ? conditionResults.every((c) => c.success) : result.connected && !result.error;
    const errors = result.error ? [redactText(result.error, secretsOf(endpoint))] : [];
    return { endpoint, timestamp, success, result, conditionResults, errors };
  };
}
