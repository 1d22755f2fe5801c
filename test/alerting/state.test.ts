import { describe, expect, it } from 'vitest';
import { initialAlertState, step } from '../../src/alerting/state.js';
import type { AlertAction, AlertState } from '../../src/alerting/state.js';
import { rule } from './helpers.js';

function run(results: boolean[], thresholds = { failureThreshold: 3, successThreshold: 2 }): { actions: AlertAction[]; state: AlertState } {
  let state: AlertState = initialAlertState;
  const actions: AlertAction[] = [];
  results.forEach((success, i) => {
    const out = step(state, success, rule(thresholds), 1000 * i);
    state = out.state;
    actions.push(out.action);
  });
  return { actions, state };
}

const F = false;
const T = true;

describe('step (threshold machine)', () => {
  it('fires after failure-threshold consecutive failures, once', () => {
    expect(run([F, F, F, F, F]).actions).toEqual(['none', 'none', 'fire', 'none', 'none']);
  });

  it('does not fire when a success interrupts the failures', () => {
    expect(run([F, F, T, F, F, T]).actions).toEqual(['none', 'none', 'none', 'none', 'none', 'none']);
  });

  it('resolves after success-threshold consecutive successes, once', () => {
    expect(run([F, F, F, T, T, T]).actions).toEqual(['none', 'none', 'fire', 'none', 'resolve', 'none']);
  });

  it('a failure between successes restarts the success count', () => {
    expect(run([F, F, F, T, F, T, T]).actions).toEqual(['none', 'none', 'fire', 'none', 'none', 'none', 'resolve']);
  });

  it('never resolves what it never fired', () => {
    const { actions, state } = run([F, F, T, T, T, T]);
    expect(actions).not.toContain('resolve');
    expect(state.triggered).toBe(false);
  });

  it('with thresholds of 1 fires on the first failure and resolves on the first success', () => {
    expect(run([F, T, F, T], { failureThreshold: 1, successThreshold: 1 }).actions).toEqual(['fire', 'resolve', 'fire', 'resolve']);
  });

  it('can fire again after resolving', () => {
    expect(run([F, F, F, T, T, F, F, F]).actions).toEqual(['none', 'none', 'fire', 'none', 'resolve', 'none', 'none', 'fire']);
  });

  it('remembers when the failing streak started and when it fired', () => {
    const { state } = run([T, F, F, F, F]);
    expect(state).toMatchObject({ triggered: true, failingSince: 1000, triggeredAt: 3000, consecutiveFailures: 4 });
  });

  it('is pure: the input state is not modified', () => {
    const before = { consecutiveFailures: 2, consecutiveSuccesses: 0, triggered: false, failingSince: 0 };
    const copy = { ...before };
    step(before, false, rule(), 5);
    expect(before).toEqual(copy);
  });
});
