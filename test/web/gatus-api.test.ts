import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { createEventLog } from '../../src/store/events.js';
import { createStore } from '../../src/store/index.js';
import { createApiRouter } from '../../src/web/api.js';
import { BADGE_COLORS } from '../../src/web/badges.js';
import { DEFAULT_ENDPOINT_UI } from '../../src/config/schema.js';
import { createGatusOpenRouter, createSuitesRouter } from '../../src/web/gatus-api.js';
import { makeCheck, makeClock, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { listen } from '../helpers/listen.js';

const HOUR = 3_600_000;
const api = makeEndpoint({ name: 'api', group: 'core' });
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function serve(config: Config, ep = api) {
  // 12:30 UTC; results at 09:10, 09:40 (hour 09), 11:20 (hour 11)
  const clock = makeClock(Date.UTC(2024, 0, 1, 12, 30));
  const store = createStore({ historySize: 100, clock });
  const events = createEventLog({ clock, maxEvents: 4 });
  const app = express();
  const deps = { store, getConfig: () => config, clock, logger: silentLogger, onExternalResult: () => {}, events: (k: string) => events.events(k) };
  app.use(createGatusOpenRouter(deps));
  app.use(createSuitesRouter());
  app.use(createApiRouter(deps));
  const { port, close } = await listen(createServer(app));
  closers.push(close);
  const record = (atMs: number, success: boolean, ms: number) => {
    const check = makeCheck(ep, { timestamp: atMs, success, result: { responseTimeMs: ms } });
    store.observe(check);
    events.observe(check);
  };
  return { base: `http://127.0.0.1:${port}`, record, clock };
}

describe('Gatus API routes', () => {
  it('uptimes/{duration} and response-times/{duration} answer raw text like Gatus (%f ratio, integer ms)', async () => {
    const { base, record } = await serve(makeConfig({ endpoints: [api] }));
    record(Date.UTC(2024, 0, 1, 12, 10), true, 100);
    record(Date.UTC(2024, 0, 1, 12, 11), true, 101);
    record(Date.UTC(2024, 0, 1, 12, 12), false, 300);
    const uptime = await fetch(`${base}/api/v1/endpoints/core_api/uptimes/24h`);
    expect(uptime.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await uptime.text()).toBe('0.666667');
    expect(await (await fetch(`${base}/api/v1/endpoints/core_api/response-times/1h`)).text()).toBe('167');
    expect((await fetch(`${base}/api/v1/endpoints/core_api/uptimes/2d`)).status).toBe(400);
    expect((await fetch(`${base}/api/v1/endpoints/nope/uptimes/24h`)).status).toBe(404);
  });

  it('response-times/{duration}/history: hourly means, hours before the first filled with 0 back to the window start', async () => {
    const { base, record } = await serve(makeConfig({ endpoints: [api] }));
    record(Date.UTC(2024, 0, 1, 9, 10), true, 100);
    record(Date.UTC(2024, 0, 1, 9, 40), true, 201);
    record(Date.UTC(2024, 0, 1, 11, 20), true, 50);
    const body = (await (await fetch(`${base}/api/v1/endpoints/core_api/response-times/24h/history`)).json()) as { timestamps: number[]; values: number[] };
    const from = Date.UTC(2023, 11, 31, 12); // 12:00 truncated, minus 24h
    const zeros = (Date.UTC(2024, 0, 1, 9) - from) / HOUR;
    expect(body.timestamps).toEqual([...Array.from({ length: zeros }, (_, i) => from + i * HOUR), Date.UTC(2024, 0, 1, 9), Date.UTC(2024, 0, 1, 11)]);
    expect(body.values).toEqual([...Array.from({ length: zeros }, () => 0), 150, 50]);
    const empty = (await (await fetch(`${base}/api/v1/endpoints/core_api/response-times/7d/history`)).json()) as unknown;
    expect(empty).toMatchObject({ timestamps: expect.any(Array), values: expect.any(Array) });
    expect((await fetch(`${base}/api/v1/endpoints/core_api/response-times/1h/history`)).status).toBe(400);
  });

  it('history of an endpoint without results is {timestamps: [], values: []}', async () => {
    const { base } = await serve(makeConfig({ endpoints: [api] }));
    expect(await (await fetch(`${base}/api/v1/endpoints/core_api/response-times/30d/history`)).json()).toEqual({ timestamps: [], values: [] });
  });

  it('/api/v1/config: {oidc, authenticated, announcements newest first}; basic auth reports authenticated: false as Gatus does', async () => {
    const announcements = [
      { timestamp: Date.UTC(2025, 0, 2, 8), type: 'outage' as const, message: 'Database down', archived: false },
      { timestamp: Date.UTC(2025, 0, 1, 10), type: 'none' as const, message: 'Old news', archived: true },
    ];
    const open = await serve(makeConfig({ endpoints: [api], announcements }));
    expect(await (await fetch(`${open.base}/api/v1/config`)).json()).toEqual({
      oidc: false,
      authenticated: true,
      announcements: [
        { timestamp: '2025-01-02T08:00:00Z', type: 'outage', message: 'Database down' },
        { timestamp: '2025-01-01T10:00:00Z', type: 'none', message: 'Old news', archived: true },
      ],
    });
    const basic = await serve(makeConfig({ endpoints: [api], security: { basic: { username: 'u', passwordBcryptBase64: 'x' } } }));
    expect(await (await fetch(`${basic.base}/api/v1/config`)).json()).toEqual({ oidc: false, authenticated: false, announcements: [] });
  });

  it('/health answers {"status":"UP"}; suites routes answer an empty list / 404', async () => {
    const { base } = await serve(makeConfig({ endpoints: [api] }));
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'UP' });
    expect(await (await fetch(`${base}/api/v1/suites/statuses`)).json()).toEqual([]);
    expect((await fetch(`${base}/api/v1/suites/core_checkout/statuses`)).status).toBe(404);
  });

  it('events[] on /api/v1/endpoints/{key}/statuses: START then HEALTHY/UNHEALTHY on each change, bounded, not on the list route', async () => {
    const { base, record, clock } = await serve(makeConfig({ endpoints: [api] }));
    const start = clock.now();
    const t = (m: number) => start + m * 60_000;
    record(t(1), true, 10);
    record(t(2), true, 10);
    record(t(3), false, 10);
    const first = (await (await fetch(`${base}/api/v1/endpoints/core_api/statuses`)).json()) as { events: unknown[] };
    expect(first.events).toEqual([
      { type: 'START', timestamp: new Date(start).toISOString() },
      { type: 'HEALTHY', timestamp: new Date(t(1)).toISOString() },
      { type: 'UNHEALTHY', timestamp: new Date(t(3)).toISOString() },
    ]);
    record(t(4), true, 10);
    record(t(5), false, 10);
    const bounded = (await (await fetch(`${base}/api/v1/endpoints/core_api/statuses`)).json()) as { events: Array<{ type: string }> };
    expect(bounded.events.map((e) => e.type)).toEqual(['HEALTHY', 'UNHEALTHY', 'HEALTHY', 'UNHEALTHY']);
    const list = (await (await fetch(`${base}/api/v1/endpoints/statuses`)).json()) as Array<Record<string, unknown>>;
    expect(list[0]).not.toHaveProperty('events');
  });

  it('response-time badges use the endpoint\'s ui.badge.response-time.thresholds', async () => {
    const strict = makeEndpoint({ name: 'api', group: 'core', ui: { ...DEFAULT_ENDPOINT_UI, responseTimeThresholdsMs: [10, 20, 30, 40, 45] } });
    const { base, record } = await serve(makeConfig({ endpoints: [strict] }), strict);
    record(Date.UTC(2024, 0, 1, 12, 10), true, 100);
    const svg = await (await fetch(`${base}/api/v1/endpoints/core_api/response-times/1h/badge.svg`)).text();
    // 100ms is "awesome" with Gatus' default thresholds (50, 200, ...) but above every limit here
    expect(svg).toContain(BADGE_COLORS.veryBad);
    expect(svg).not.toContain(BADGE_COLORS.great);
  });
});
