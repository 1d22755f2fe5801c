import type { EndpointConfig } from '../config/schema.js';
import type { ProbeResult } from '../probe/types.js';

export interface ConditionResult {
  condition: string;
  success: boolean;
  rendered: string;
}

/** One probe plus its evaluated conditions: what metrics, store and alerting consume. */
export interface CheckResult {
  endpoint: EndpointConfig;
  /** Epoch ms when the probe started. */
  timestamp: number;
  /** true when every condition holds (and, with no conditions, when connected). */
  success: boolean;
  result: ProbeResult;
  conditionResults: ConditionResult[];
  /** Transport error and other problems, for display (already redacted). */
  errors: string[];
}

/** Anything that consumes check results (metrics, store, alerting). */
export interface CheckSink {
  observe(check: CheckResult): void;
}
