import { describe, expect, it } from 'vitest';
import { abortable, addPhase, createDeadline, formatDuration, ProbeTimeoutError, timePhase } from '../../src/probe/timing.js';
import type { PhasesMs } from '../../src/probe/timing.js';

describe('timing helpers', () => {
  it('formats durations like Gatus and blackbox errors', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(1_500)).toBe('1.5s');
    expect(formatDuration(250)).toBe('250ms');
  });

  it('adds phases so redirect hops sum up, and times failures too', async () => {
    const phases: PhasesMs = {};
    addPhase(phases, 'connect', 2);
    addPhase(phases, 'connect', 3);
    expect(phases.connect).toBe(5);
    await expect(timePhase(phases, 'resolve', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(phases.resolve).toBeGreaterThanOrEqual(0);
  });

  it('aborts with a timeout error after timeoutMs', async () => {
    const deadline = createDeadline(20);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }));
    expect(deadline.reason).toBeInstanceOf(ProbeTimeoutError);
    expect(deadline.reason?.message).toBe('timeout after 20ms');
    expect(deadline.reason?.code).toBe('VIGIL_PROBE_TIMEOUT');
    deadline.dispose();
  });

  it('follows the caller signal and detaches from it on dispose', () => {
    const parent = new AbortController();
    const deadline = createDeadline(60_000, parent.signal);
    parent.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.reason?.code).toBe('VIGIL_PROBE_ABORTED');
    deadline.dispose();

    const other = new AbortController();
    const disposed = createDeadline(60_000, other.signal);
    disposed.dispose();
    other.abort();
    expect(disposed.signal.aborted).toBe(false);
  });

  it('rejects an abortable promise as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const pending = abortable(never, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(abortable(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});

describe('createDeadline reuses the signal of a clean finished deadline', () => {
  it('hands a finished, never aborted, unobserved signal to the next deadline, not aborted', () => {
    const first = createDeadline(10_000);
    const signal = first.signal;
    first.dispose();
    first.dispose(); // twice: still handed out once
    const second = createDeadline(10_000);
    const third = createDeadline(10_000);
    expect(second.signal).toBe(signal);
    expect(third.signal).not.toBe(signal);
    expect(second.signal.aborted).toBe(false);
    second.dispose();
    third.dispose();
  });

  it('never reuses a signal that aborted or that somebody still listens to', async () => {
    const timedOut = createDeadline(1);
    await new Promise((resolve) => timedOut.signal.addEventListener('abort', resolve, { once: true }));
    timedOut.dispose();
    const listened = createDeadline(10_000);
    listened.signal.addEventListener('abort', () => undefined);
    listened.dispose();
    const next = [createDeadline(10_000), createDeadline(10_000)];
    for (const d of next) {
      expect(d.signal).not.toBe(timedOut.signal);
      expect(d.signal).not.toBe(listened.signal);
      expect(d.signal.aborted).toBe(false);
      d.dispose();
    }
  });

  it('a disposed deadline no longer aborts its (reused) signal when the parent aborts', () => {
    const parent = new AbortController();
    const old = createDeadline(10_000, parent.signal);
    old.dispose();
    const reused = createDeadline(10_000);
    parent.abort();
    expect(reused.signal.aborted).toBe(false);
    expect(old.reason).toBeUndefined();
    reused.dispose();
  });
});
