/**
 * Incidents in Chromium: per endpoint and for the page, grouped by day, from the event log
 * (START/HEALTHY/UNHEALTHY) or from stored results when there is none; announcements as banners.
 */
import { describe, expect, it } from 'vitest';
import { createEventLog } from '../../src/store/events.js';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { chromiumSuite, ready, screenshot, seriousViolations } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');
const MIN = 60_000;

describe.skipIf(!chromiumPath)('incidents timeline in Chromium', () => {
  const suite = chromiumSuite(chromiumPath);
  const start = suite.start;

  it('lists each down period with its duration, by day, on the endpoint and on the page', async () => {
    const api = makeEndpoint({ name: 'api' });
    const db = makeEndpoint({ name: 'db' });
    const config = makeConfig({
      endpoints: [api, db],
      announcements: [
        { timestamp: Date.UTC(2024, 0, 1, 11, 0), type: 'outage', message: 'Database failover in progress', archived: false },
        { timestamp: Date.UTC(2023, 11, 1), type: 'information', message: 'Old news', archived: true },
      ],
    });
    const log = createEventLog({ clock: { now: () => Date.UTC(2023, 11, 31, 9, 0) } });
    const app = await start(config, { events: (key) => log.events(key) });
    const now = app.clock.now(); // 2024-01-01 12:30 UTC
    // api: down yesterday 10:00 for 30 minutes, down today 12:00 for 12 minutes; db: down since 12:20
    const observe = (e: typeof api, t: number, success: boolean) => {
      const check = makeCheck(e, { timestamp: t, success });
      app.store.observe(check);
      log.observe(check);
    };
    const yesterday = now - 24 * 60 * MIN;
    for (let m = -150; m <= 0; m += 5) observe(api, yesterday + m * MIN, !(m >= -150 + 0 && m < -150 + 30));
    for (let m = -30; m <= 0; m += 2) observe(api, now + m * MIN, !(m >= -30 && m < -18));
    for (let m = -30; m <= 0; m += 2) observe(db, now + m * MIN, m < -10);
    for (const kind of ['desktop', 'phone'] as const) {
      const { page, context } = await suite.chrome().open(kind);
      await page.goto(`${app.base}/endpoints/core_api`);
      await ready(page, '#incidents');
      const days = await page.locator('#incidents h4.day').allTextContents();
      expect(days).toEqual(['Today', 'Yesterday']);
      const rows = await page.locator('#incidents li.incident').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('recovered after 12m');
      expect(rows[1]).toContain('recovered after 30m');
      expect(await page.locator('#incidents .card-head').textContent()).toContain('from state changes');
      await screenshot(page, `${kind}-incidents-endpoint`, true);
      await page.goto(`${app.base}/`);
      await ready(page, '#incidents li.incident');
      const pageRows = await page.locator('#incidents li.incident').allTextContents();
      expect(pageRows[0]).toMatch(/✗ Ongoing.*db.*Down since .* \(ongoing, 10m\)/);
      expect(pageRows).toHaveLength(3);
      expect(await page.locator('.notice.outage').textContent()).toContain('Database failover in progress');
      expect(await page.locator('.notice', { hasText: 'Old news' }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `${kind}-incidents-page`, true);
      await context.close();
    }
  });

  it('without an event log, derives incidents from the stored results and says how far back they go', async () => {
    const api = makeEndpoint({ name: 'api' });
    const app = await start(makeConfig({ endpoints: [api] }));
    const now = app.clock.now();
    for (let m = -20; m <= 0; m += 1) app.store.observe(makeCheck(api, { timestamp: now + m * MIN, success: !(m >= -10 && m < -5) }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/endpoints/core_api`);
    await ready(page, '#incidents');
    expect(await page.locator('#incidents li.incident').allTextContents()).toEqual([expect.stringContaining('recovered after 5m')]);
    expect(await page.locator('#incidents .card-head').textContent()).toContain('from the stored results since');
    await context.close();
  });

  it('shows 90 daily slots and says honestly how many days the data covers', async () => {
    const api = makeEndpoint({ name: 'api' });
    const app = await start(makeConfig({ endpoints: [api] }));
    const now = app.clock.now(); // 2024-01-01 12:30 UTC
    // yesterday all good, today one failure in 10
    for (let m = 0; m < 10; m += 1) app.store.observe(makeCheck(api, { timestamp: now - 24 * 60 * MIN + m * MIN }));
    for (let m = 0; m < 10; m += 1) app.store.observe(makeCheck(api, { timestamp: now - 20 * MIN + m * MIN, success: m !== 3 }));
    for (const kind of ['desktop', 'phone'] as const) {
      const { page, context } = await suite.chrome().open(kind);
      await page.goto(`${app.base}/endpoints/core_api`);
      await ready(page, '.daily');
      expect(await page.locator('.days .dday').count()).toBe(90);
      expect(await page.locator('.days .dday.none').count()).toBe(88);
      expect(await page.locator('.days .dday.ok').count()).toBe(1);
      expect(await page.locator('.days .dday.fail').count()).toBe(1);
      expect(await page.locator('.daily-span').textContent()).toBe('Data covers 2 days (since 12/31/2023): 95% up');
      expect(await page.locator('.days .dday').last().getAttribute('title')).toBe('Jan 1: 90% up (10 checks)');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `${kind}-90-days`, true);
      await context.close();
    }
  });
});
