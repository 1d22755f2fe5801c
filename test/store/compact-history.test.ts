import { describe, expect, it } from 'vitest';
import { createCheckRunner } from '../../src/check/run-check.js';
import { compileCondition } from '../../src/conditions/index.js';
import { silentLogger } from '../../src/log.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { createCompactHistory } from '../../src/store/compact-history.js';
import { MAX_RENDERED_CONDITION_CHARS } from '../../src/truncate.js';
import { startApp, type TestApp } from '../web/app.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';

const api = makeEndpoint({ name: 'api', conditions: [{ text: '[STATUS] == 200', compiled: compileCondition('[STATUS] == 200') }] });

describe('compact history', () => {
  it('gives back what it was given: timestamps, durations, status, success, conditions and errors', () => {
    const history = createCompactHistory(10);
    const checks = [
      makeCheck(api, { timestamp: 1, result: { responseTimeMs: 12.5 } }),
      makeCheck(api, { timestamp: 2, success: false, errors: ['connection refused'] }),
      makeCheck(api, { timestamp: 3, result: { connected: false, status: undefined, responseTimeMs: 0 } }),
      makeCheck(api, { timestamp: 4 }),
    ];
    for (const c of checks) history.push(c);
    const shown = history.fromNewest(0, 10);
    expect(shown.map((c) => [c.timestamp, c.success, c.result.responseTimeMs, c.result.status, c.result.connected])).toEqual([
      [1, true, 12.5, 200, true],
      [2, false, 42, 500, true],
      [3, true, 0, undefined, false],
      [4, true, 42, 200, true],
    ]);
    expect(shown.map((c) => c.conditionResults)).toEqual(checks.map((c) => c.conditionResults));
    expect(shown.map((c) => c.errors)).toEqual([[], ['connection refused'], [], []]);
    expect(history.latest()).toBe(checks[3]);
  });

  it('holds one copy of a failure rendering repeated 100 times, and frees it once overwritten', () => {
    const history = createCompactHistory(100);
    const rendered = `[BODY] (${'x'.repeat(1000)}) == UP`;
    const failing = () =>
      makeCheck(api, { success: false, conditionResults: [{ condition: '[STATUS] == 200', success: false, rendered: rendered.slice(0) }], errors: ['boom'] });
    for (let i = 0; i < 100; i++) history.push(failing());
    expect(history.retainedChars).toBe(rendered.length + 'boom'.length);
    for (let i = 0; i < 100; i++) history.push(makeCheck(api));
    expect(history.retainedChars).toBe(0);
  });

  it('keeps at most capacity × the rendering cap of distinct strings', () => {
    const history = createCompactHistory(100);
    for (let i = 0; i < 300; i++) {
      const rendered = `${i} ${'y'.repeat(MAX_RENDERED_CONDITION_CHARS)}`.slice(0, MAX_RENDERED_CONDITION_CHARS);
      history.push(makeCheck(api, { success: false, conditionResults: [{ condition: '[STATUS] == 200', success: false, rendered }] }));
    }
    expect(history.size).toBe(100);
    expect(history.retainedChars).toBeLessThanOrEqual(100 * MAX_RENDERED_CONDITION_CHARS);
  });
});

describe('history of a failing [BODY] condition on 1 MiB bodies', () => {
  let app: TestApp | undefined;

  it('keeps no body, caps each rendering at 1 KiB and serves 100 results in about 100 × 2 KiB (not 100 MiB)', async () => {
    const body = `{"status":"${'D'.repeat(1 << 20)}"}`;
    const conditions = ['[BODY].status == UP', '[BODY] == UP'].map((text) => ({ text, compiled: compileCondition(text) }));
    const endpoint = makeEndpoint({ name: 'big', conditions });
    const run = createCheckRunner({ probers: { http: async (): Promise<ProbeResult> => ({ connected: true, status: 200, responseTimeMs: 3, phasesMs: {}, body }) }, logger: silentLogger });
    app = await startApp(makeConfig({ endpoints: [endpoint] }));
    const signal = new AbortController().signal;
    for (let i = 0; i < 100; i++) {
      const check = await run(endpoint, signal);
      expect(check.result.body).toBeUndefined();
      for (const c of check.conditionResults) {
        expect(c.success).toBe(false);
        expect(c.rendered.length).toBeLessThanOrEqual(MAX_RENDERED_CONDITION_CHARS);
        expect(c.rendered.endsWith('…')).toBe(true);
      }
      app.store.observe(check);
    }
    const res = await fetch(`${app.base}/api/v1/endpoints/${endpoint.key}/statuses?pageSize=100`);
    const text = await res.text();
    expect(res.status).toBe(200);
    // two renderings of at most 1 KiB each per result, plus a few hundred bytes of JSON around them
    const bound = 100 * (2 * MAX_RENDERED_CONDITION_CHARS + 512);
    expect(text.length).toBeLessThan(bound);
    const all = await fetch(`${app.base}/api/v1/endpoints/statuses?pageSize=100`);
    expect((await all.text()).length).toBeLessThan(bound);
    await app.close();
    app = undefined;
  });
});
