/**
 * Issue 9 item 6: errors after the response headers (reset mid-body, stalled body) fail the check
 * unless `client.ignore-body-errors` is set; a body cut at the cap is shown as cut to [BODY] conditions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckRunner } from '../../src/check/run-check.js';
import { compileCondition } from '../../src/conditions/index.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { probeHttp } from '../../src/probe/http.js';
import { makeEndpoint } from '../helpers/fixtures.js';
import { listen } from '../helpers/listen.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A raw HTTP server: `reply` gets each connection once the request arrived. */
async function rawServer(reply: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => reply(socket));
  });
  const { port, close } = await listen(server);
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await close();
  });
  return `http://127.0.0.1:${port}/`;
}

const resetMidBody = (socket: Socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"status":"UP"', () => socket.resetAndDestroy());
const stallAfterHeaders = (socket: Socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"status":"UP"');
const endlessBody = (socket: Socket) => {
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
  const chunk = Buffer.alloc(16 * 1024, 'a');
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk)) {
      /* until the socket pushes back */
    }
    if (!socket.destroyed) socket.once('drain', pump);
  };
  pump();
};

function check(url: string, conditions: string[], client: Partial<ReturnType<typeof makeOptions>> = {}) {
  const run = createCheckRunner({ probers: { http: probeHttp }, logger: silentLogger });
  const endpoint = makeEndpoint({
    url,
    target: makeTarget(url),
    client: makeOptions({ timeoutMs: 500, ...client }),
    conditions: conditions.map((text) => ({ text, compiled: compileCondition(text) })),
  });
  return run(endpoint, new AbortController().signal);
}

describe('errors after the response headers', () => {
  it('the prober marks a reset mid-body and a stalled body as errors after the headers', async () => {
    const reset = await probeHttp(makeTarget(await rawServer(resetMidBody)), makeOptions(), new AbortController().signal);
    expect(reset.status).toBe(200);
    expect(reset.errorAfterHeaders).toBe(true);
    const stalled = await probeHttp(makeTarget(await rawServer(stallAfterHeaders)), makeOptions({ timeoutMs: 300 }), new AbortController().signal);
    expect(stalled).toMatchObject({ status: 200, error: 'timeout after 300ms', errorAfterHeaders: true });
    const refused = await probeHttp(makeTarget('http://127.0.0.1:1/'), makeOptions(), new AbortController().signal);
    expect(refused.errorAfterHeaders).toBeUndefined();
  });

  it('a reset mid-body fails the check even though [STATUS] and [BODY] conditions hold', async () => {
    const result = await check(await rawServer(resetMidBody), ['[STATUS] == 200', '[BODY] == pat(*UP*)']);
    expect(result.conditionResults.every((c) => c.success)).toBe(true);
    expect(result.success).toBe(false);
    expect(result.errors[0]).toMatch(/^connection (reset|closed) by peer$/);
  });

  it('a stalled body after the headers fails the check with the timeout', async () => {
    const result = await check(await rawServer(stallAfterHeaders), ['[STATUS] == 200']);
    expect(result.success).toBe(false);
    expect(result.errors).toEqual(['timeout after 500ms']);
  });

  it('client.ignore-body-errors leaves the decision to the conditions (Gatus), keeping the error', async () => {
    const result = await check(await rawServer(resetMidBody), ['[STATUS] == 200'], { ignoreBodyErrors: true });
    expect(result.success).toBe(true);
    expect(result.errors).toHaveLength(1);
  });

  it('an endless body cut at the cap: [BODY] conditions say it was cut, others do not', async () => {
    const result = await check(await rawServer(endlessBody), ['[STATUS] == 200', 'len([BODY]) > 0', '[BODY] == pat(*END*)'], { maxBodyBytes: 4096 });
    expect(result.success).toBe(false);
    expect(result.errors).toEqual([]);
    expect(result.result.bodyTruncated).toBe(true);
    const [status, length, pattern] = result.conditionResults;
    expect(status?.rendered).toBe('[STATUS] == 200');
    expect(length?.success).toBe(true);
    expect(length?.rendered).toBe('len([BODY]) > 0 (body cut at 4096 bytes)');
    expect(pattern?.success).toBe(false);
    expect(pattern?.rendered.startsWith('[BODY] (aaaa')).toBe(true);
    expect(pattern?.rendered.endsWith(') == pat(*END*) (body cut at 4096 bytes)')).toBe(true);
    expect(pattern?.rendered.length).toBeLessThanOrEqual(1024);
  });
});

describe('client.ignore-body-errors in the config', () => {
  it('defaults to false and reads true', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-body-errors-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      'endpoints:\n  - name: a\n    url: http://127.0.0.1:1/\n    conditions: ["[STATUS] == 200"]\n' +
        '  - name: b\n    url: http://127.0.0.1:1/\n    client:\n      ignore-body-errors: true\n    conditions: ["[STATUS] == 200"]\n',
    );
    const config = await loadConfig(file);
    expect(config.endpoints.map((e) => e.client.ignoreBodyErrors)).toEqual([false, true]);
  });
});
