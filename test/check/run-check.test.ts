import { describe, expect, it, vi } from 'vitest';
import { createCheckRunner } from '../../src/check/run-check.js';
import type { ConditionEntry } from '../../src/config/schema.js';
import type { ConditionInput } from '../../src/conditions/types.js';
import { silentLogger } from '../../src/log.js';
import type { Prober, ProbeResult } from '../../src/probe/types.js';
import { MAX_ERROR_CHARS, MAX_RENDERED_CONDITION_CHARS } from '../../src/truncate.js';
import { makeEndpoint } from '../helpers/fixtures.js';

const ok: ProbeResult = { connected: true, status: 200, responseTimeMs: 5, phasesMs: {} };

function statusIs(expected: number, placeholders: string[] = ['[STATUS]']): ConditionEntry {
  const text = `[STATUS] == ${expected}`;
  return {
    text,
    compiled: {
      text,
      placeholders,
      evaluate: (r: ConditionInput) => ({ success: r.status === expected, rendered: `[STATUS] (${r.status}) == ${expected}` }),
    },
  };
}

const signal = new AbortController().signal;

describe('check runner', () => {
  it('succeeds only when every condition holds, and keeps each rendered result', async () => {
    const run = createCheckRunner({ probers: { http: async () => ok }, logger: silentLogger, now: () => 42 });
    const check = await run(makeEndpoint({ conditions: [statusIs(200), statusIs(201)] }), signal);
    expect(check.success).toBe(false);
    expect(check.timestamp).toBe(42);
    expect(check.conditionResults).toEqual([
      { condition: '[STATUS] == 200', success: true, rendered: '[STATUS] (200) == 200' },
      { condition: '[STATUS] == 201', success: false, rendered: '[STATUS] (200) == 201' },
    ]);
  });

  it('without conditions, succeeds when connected without error', async () => {
    const run = createCheckRunner({ probers: { http: async () => ok, tcp: async () => ({ ...ok, connected: false, error: 'connection refused' }) }, logger: silentLogger });
    expect((await run(makeEndpoint(), signal)).success).toBe(true);
    const tcp = await run(makeEndpoint({ kind: 'tcp', url: 'tcp://127.0.0.1:9' }), signal);
    expect(tcp.success).toBe(false);
    expect(tcp.errors).toEqual(['connection refused']);
  });

  it('turns a prober that throws into a failed check instead of rejecting', async () => {
    const boom: Prober = async () => {
      throw new Error('bug');
    };
    const run = createCheckRunner({ probers: { http: boom }, logger: silentLogger });
    const check = await run(makeEndpoint({ conditions: [statusIs(200)] }), signal);
    expect(check.success).toBe(false);
    expect(check.errors[0]).toContain('bug');
  });

  it('reports a probe type with no prober as a failed check', async () => {
    const run = createCheckRunner({ probers: {}, logger: silentLogger });
    const check = await run(makeEndpoint({ kind: 'grpc', url: 'grpc://x:1' }), signal);
    expect(check.success).toBe(false);
    expect(check.errors[0]).toMatch(/grpc/);
  });

  it('never shows the URL password or secret headers in errors', async () => {
    const run = createCheckRunner({
      probers: { http: async () => ({ ...ok, connected: false, error: 'GET https://bob:pa55word@host/x failed, sent Bearer tok-123456' }) },
      logger: silentLogger,
    });
    const url = 'https://bob:pa55word@host/x';
    const check = await run(makeEndpoint({ url, target: { url: new URL(url), method: 'GET', headers: { Authorization: 'Bearer tok-123456' }, body: '' } }), signal);
    expect(check.errors.join()).not.toContain('pa55word');
    expect(check.errors.join()).not.toContain('tok-123456');
  });

  it('looks up domain expiry only for endpoints whose conditions use [DOMAIN_EXPIRATION]', async () => {
    const lookup = vi.fn(async () => 1_000_000 + 86_400_000);
    const run = createCheckRunner({ probers: { http: async () => ok }, logger: silentLogger, now: () => 1_000_000, domainExpiry: lookup });
    await run(makeEndpoint({ conditions: [statusIs(200)] }), signal);
    expect(lookup).not.toHaveBeenCalled();
    const check = await run(makeEndpoint({ url: 'https://example.org/', conditions: [statusIs(200, ['[DOMAIN_EXPIRATION]'])] }), signal);
    expect(lookup).toHaveBeenCalledWith('example.org', signal);
    expect(check.result.domainExpirationMs).toBe(86_400_000);
  });

  it('drops the body once conditions ran and caps renderings and errors at 1 KiB, marked …', async () => {
    const body = 'B'.repeat(1 << 20);
    const echo: ConditionEntry = {
      text: '[BODY] == UP',
      compiled: { text: '[BODY] == UP', placeholders: ['[BODY]'], evaluate: (r: ConditionInput) => ({ success: r.body === 'UP', rendered: `[BODY] (${r.body}) == UP` }) },
    };
    const run = createCheckRunner({ probers: { http: async () => ({ ...ok, body, error: `reset after ${'E'.repeat(5000)}` }) }, logger: silentLogger });
    const check = await run(makeEndpoint({ conditions: [echo] }), signal);
    expect(check.result.body).toBeUndefined();
    const rendered = check.conditionResults[0]?.rendered ?? '';
    expect(rendered).toHaveLength(MAX_RENDERED_CONDITION_CHARS);
    expect(rendered.startsWith('[BODY] (BBB')).toBe(true);
    expect(rendered.endsWith('…')).toBe(true);
    expect(check.errors[0]).toHaveLength(MAX_ERROR_CHARS);
    expect(check.errors[0]?.endsWith('…')).toBe(true);
  });

  it('redacts a secret before cutting, so no prefix of it survives at the cut', async () => {
    const secret = 'tok-0123456789abcdef';
    const echo: ConditionEntry = {
      text: '[BODY] == UP',
      compiled: { text: '[BODY] == UP', placeholders: ['[BODY]'], evaluate: (r: ConditionInput) => ({ success: false, rendered: `[BODY] (${r.body}) == UP` }) },
    };
    // the secret starts 5 characters before the cut
    const body = `${'x'.repeat(MAX_RENDERED_CONDITION_CHARS - 5 - '[BODY] ('.length)}${secret}${'y'.repeat(100)}`;
    const target = { url: new URL('https://api.example.com/health'), method: 'GET', headers: { 'X-Api-Key': secret }, body: '' };
    const run = createCheckRunner({ probers: { http: async () => ({ ...ok, body }) }, logger: silentLogger });
    const check = await run(makeEndpoint({ conditions: [echo], target }), signal);
    const rendered = check.conditionResults[0]?.rendered ?? '';
    expect(rendered).not.toContain(secret.slice(0, 4));
    expect(rendered.length).toBeLessThanOrEqual(MAX_RENDERED_CONDITION_CHARS);
  });

  it('keeps a short condition and its rendering whole', async () => {
    const run = createCheckRunner({ probers: { http: async () => ({ ...ok, status: 500 }) }, logger: silentLogger });
    const check = await run(makeEndpoint({ conditions: [statusIs(200)] }), signal);
    expect(check.conditionResults[0]?.rendered).toBe('[STATUS] (500) == 200');
  });
});
