/**
 * The per-(endpoint, rule) threshold machine, like Gatus: fire after `failureThreshold`
 * consecutive failures, resolve after `successThreshold` consecutive successes, and only
 * resolve what this replica fired. Pure: no I/O, no clock; `now` comes from the caller.
 */
import type { AlertRule } from '../config/schema.js';

export interface AlertState {
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** true once this replica fired the alert, until it resolves it. */
  triggered: boolean;
  /** Epoch ms of the first failure of the current failing streak. */
  failingSince?: number;
  /** Epoch ms of the step that fired the alert. */
  triggeredAt?: number;
}

export type AlertAction = 'none' | 'fire' | 'resolve';

export interface StepResult {
  state: AlertState;
  action: AlertAction;
}

export const initialAlertState: AlertState = Object.freeze({
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  triggered: false,
});

export function step(
  state: AlertState,
  success: boolean,
  rule: Pick<AlertRule, 'failureThreshold' | 'successThreshold'>,
  now: number,
): StepResult {
  if (success) {
    const consecutiveSuccesses = state.consecutiveSuccesses + 1;
    if (state.triggered && consecutiveSuccesses >= rule.successThreshold) {
      return { state: { consecutiveFailures: 0, consecutiveSuccesses, triggered: false }, action: 'resolve' };
    }
    const next: AlertState = { consecutiveFailures: 0, consecutiveSuccesses, triggered: state.triggered };
    if (state.triggeredAt !== undefined) next.triggeredAt = state.triggeredAt;
    if (state.triggered && state.failingSince !== undefined) next.failingSince = state.failingSince;
    return { state: next, action: 'none' };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const failingSince = state.consecutiveFailures === 0 && !state.triggered ? now : (state.failingSince ?? now);
  if (!state.triggered && consecutiveFailures >= rule.failureThreshold) {
    return {
      state: { consecutiveFailures, consecutiveSuccesses: 0, triggered: true, failingSince, triggeredAt: now },
      action: 'fire',
    };
  }
  const next: AlertState = { consecutiveFailures, consecutiveSuccesses: 0, triggered: state.triggered, failingSince };
  if (state.triggeredAt !== undefined) next.triggeredAt = state.triggeredAt;
  return { state: next, action: 'none' };
}
