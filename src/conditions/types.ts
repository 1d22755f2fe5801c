/**
 * Public types of `vigil/conditions`. The implementation lives beside this file;
 * `index.ts` re-exports `compileCondition` and these types.
 */

/** What a condition can look at. Every probe result is assignable to this. */
export interface ConditionInput {
  /** HTTP status code ([STATUS]). */
  status?: number;
  /** Resolved IP address ([IP]). */
  ip?: string;
  /** Total response time in milliseconds ([RESPONSE_TIME]). */
  responseTimeMs?: number;
  /** Response body as text ([BODY], [BODY].json.path). */
  body?: string;
  /** Whether a connection was established ([CONNECTED]). */
  connected?: boolean;
  /** Milliseconds until the earliest certificate expires ([CERTIFICATE_EXPIRATION]). */
  certificateExpirationMs?: number;
  /** Milliseconds until the domain registration expires ([DOMAIN_EXPIRATION]). */
  domainExpirationMs?: number;
  /** DNS response code name such as NOERROR or NXDOMAIN ([DNS_RCODE]). */
  dnsRcode?: string;
}

export interface EvaluateOptions {
  /** Values for [CONTEXT].path placeholders (external data, e.g. from a previous step). */
  context?: unknown;
  /** Gatus `ui.resolve-successful-conditions`: render resolved values for successful conditions too. */
  resolveSuccessful?: boolean;
  /** Gatus `ui.dont-resolve-failed-conditions`: render failed conditions as written, without values. */
  dontResolveFailed?: boolean;
}

export interface ConditionOutcome {
  success: boolean;
  /** The condition as Gatus shows it, e.g. `[STATUS] (500) == 200`. */
  rendered: string;
}

export interface CompiledCondition {
  /** The original text. */
  readonly text: string;
  /** Placeholders the condition uses, e.g. ['[STATUS]', '[BODY]'] (for validation against the probe type). */
  readonly placeholders: readonly string[];
  evaluate(result: ConditionInput, options?: EvaluateOptions): ConditionOutcome;
}
