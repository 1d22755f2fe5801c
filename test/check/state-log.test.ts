import { describe, expect, it } from 'vitest';
import { createCheckRunner } from '../../src/check/run-check.js';
import { createStateLog } from '../../src/check/state-log.js';
import { compileCondition } from '../../src/conditions/index.js';
import { createLogger } from '../../src/log.js';
import type { LogLevel } from '../../src/log.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { makeEndpoint } from '../helpers/fixtures.js';
import { makeTarget } from '../helpers/protocol-probe.js';

function capture(level: LogLevel) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const SECRET = 's3cr3t-token-value';
const url = `https://user:${SECRET}@api.example.com/health?x=1`;

/** A runner whose prober answers the given statuses in turn, with an error echoing the secret on failures. */
function runnerFor(statuses: number[]) {
  let i = 0;
  const prober = async (): Promise<ProbeResult> => {
    const status = statuses[i++] ?? 200;
    return { connected: true, status, responseTimeMs: 12, phasesMs: {}, ...(status >= 500 ? { error: `upstream said ${SECRET}` } : {}) };
  };
  const endpoint = makeEndpoint({
    url,
    target: makeTarget(url, { headers: { Authorization: `Bearer ${SECRET}` } }),
    conditions: [{ text: '[STATUS] == 200', compiled: compileCondition('[STATUS] == 200') }],
  });
  const run = createCheckRunner({ probers: { http: prober }, logger: createLogger({ write: () => undefined }) });
  return () => run(endpoint, new AbortController().signal);
}

describe('state log', () => {
  it('logs each change between up and down once, with the failing conditions, alerts or not', async () => {
    const { logger, lines } = capture('info');
    const log = createStateLog(logger);
    const next = runnerFor([200, 500, 502, 200, 200, 500]);
    for (let n = 0; n < 6; n++) log.observe(await next());
    expect(lines.map((l) => l['msg'])).toEqual(['endpoint down', 'endpoint up', 'endpoint down']);
    expect(lines[0]).toMatchObject({ level: 'warn', endpoint: 'core_api', failed_conditions: ['[STATUS] (500) == 200'] });
    expect(lines[1]).toMatchObject({ level: 'info', endpoint: 'core_api' });
  });

  it('logs an endpoint first seen down, not one first seen up', async () => {
    const down = capture('info');
    createStateLog(down.logger).observe(await runnerFor([503])());
    expect(down.lines.map((l) => l['msg'])).toEqual(['endpoint down']);
    const up = capture('info');
    createStateLog(up.logger).observe(await runnerFor([200])());
    expect(up.lines).toEqual([]);
  });

  it('at debug level logs every check result, with no secret in any line', async () => {
    const { logger, lines } = capture('debug');
    const log = createStateLog(logger);
    const next = runnerFor([200, 500, 200]);
    for (let n = 0; n < 3; n++) log.observe(await next());
    const results = lines.filter((l) => l['msg'] === 'check result');
    expect(results.map((l) => l['success'])).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ status: 500, duration_ms: 12, conditions: ['failed: [STATUS] (500) == 200'] });
    expect((results[1]?.['errors'] as string[])[0]).toContain('upstream said');
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it('forgets endpoints that are no longer configured', async () => {
    const { logger, lines } = capture('info');
    const log = createStateLog(logger);
    const next = runnerFor([500, 500]);
    log.observe(await next());
    log.retain(new Set());
    log.observe(await next());
    expect(lines.map((l) => l['msg'])).toEqual(['endpoint down', 'endpoint down']);
  });
});
