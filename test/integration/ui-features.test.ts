/**
 * Status page features in Chromium: the overall banner and its ticking "Updated", layouts that
 * fit many endpoints on a screen, "only failing", keyboard navigation, remembered choices and
 * accessibility (axe-core: no serious or critical violation; state never by colour alone).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointConfig } from '../../src/config/schema.js';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { startApp, type TestApp } from '../web/app.js';
import { launchChromium, ready, screenshot, seriousViolations, type TestBrowser } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');

/** `count` endpoints in groups of 10, the first `down` of them failing, 40 results each. */
function fleet(app: TestApp, endpoints: EndpointConfig[], down: number): void {
  const now = app.clock.now();
  for (const [i, e] of endpoints.entries()) {
    for (let j = 0; j < 40; j += 1) {
      const ok = i >= down || j < 30;
      app.store.observe(makeCheck(e, { timestamp: now - (40 - j) * 60_000, success: ok, result: { responseTimeMs: 20 + ((i + j) % 9), status: ok ? 200 : 503 } }));
    }
  }
}

const makeFleet = (count: number) =>
  Array.from({ length: count }, (_, i) => makeEndpoint({ name: `svc-${String(i).padStart(3, '0')}`, group: `team-${Math.floor(i / 10)}` }));

/** Endpoint cards whose box lies entirely inside the viewport. */
const cardsOnScreen = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('article.endpoint')).filter((a) => {
      const r = a.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    }).length,
  );

describe.skipIf(!chromiumPath)('status page features in Chromium', () => {
  let chrome: TestBrowser;
  let app: TestApp;
  const endpoints = makeFleet(40);

  beforeAll(async () => {
    chrome = await launchChromium(chromiumPath as string);
    app = await startApp(makeConfig({ endpoints }));
    fleet(app, endpoints, 3);
  });
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });

  it('says "Partial outage: 3 of 40 down" and ticks "Updated …" every second', async () => {
    const { page, context } = await chrome.open('desktop');
    await page.clock.install();
    await page.goto(`${app.base}/`);
    await ready(page, '.banner');
    expect(await page.locator('.banner-text').textContent()).toBe('Partial outage: 3 of 40 down');
    expect(await page.locator('.banner').getAttribute('data-kind')).toBe('partial');
    expect(await page.locator('.updated').textContent()).toBe('Updated just now');
    await page.clock.runFor(5_000);
    await expect.poll(() => page.locator('.updated').textContent()).toBe('Updated 5s ago');
    await page.clock.runFor(60_000);
    await expect.poll(() => page.locator('.updated').textContent()).toMatch(/^Updated (just now|\d+s ago)$/);
    await screenshot(page, 'desktop-banner-partial');
    await context.close();
  });

  it('says "All systems operational" when nothing is down and "Major outage" when everything is', async () => {
    const few = makeFleet(3);
    const healthy = await startApp(makeConfig({ endpoints: few }));
    fleet(healthy, few, 0);
    const broken = await startApp(makeConfig({ endpoints: few }));
    fleet(broken, few, 3);
    try {
      const { page, context } = await chrome.open('phone');
      await page.goto(`${healthy.base}/`);
      await ready(page, '.banner');
      expect(await page.locator('.banner-text').textContent()).toBe('All systems operational');
      await screenshot(page, 'phone-banner-ok');
      await page.goto(`${broken.base}/`);
      await ready(page, '.banner');
      expect(await page.locator('.banner-text').textContent()).toBe('Major outage: all 3 endpoints down');
      await context.close();
    } finally {
      await healthy.close();
      await broken.close();
    }
  });

  it('says "Maintenance in progress" during the global window and marks endpoints in their own window', async () => {
    // the test clock is Monday 2024-01-01 12:30 UTC: a window from 12:00 for 1h is on
    const window = { startMinutes: 12 * 60, durationMs: 3_600_000, timezone: 'UTC', every: [] };
    const few = makeFleet(3);
    const global = await startApp(makeConfig({ endpoints: few, maintenance: [window] }));
    fleet(global, few, 0);
    const own = [makeEndpoint({ name: 'db', group: 'data' }), makeEndpoint({ name: 'cache', group: 'data' })];
    own[0] = { ...(own[0] as EndpointConfig), maintenanceWindows: [window] };
    const local = await startApp(makeConfig({ endpoints: own }));
    fleet(local, own, 0);
    try {
      const { page, context } = await chrome.open('desktop');
      await page.goto(`${global.base}/`);
      await ready(page, '.banner');
      expect(await page.locator('.banner-text').textContent()).toBe('Maintenance in progress');
      expect(await page.locator('.notice.maintenance').textContent()).toContain('Scheduled maintenance');
      await screenshot(page, 'desktop-maintenance');
      await page.goto(`${local.base}/`);
      await ready(page, 'article.endpoint');
      expect(await page.locator('.banner-text').textContent()).toBe('All systems operational');
      expect(await page.locator('article[data-key="data_db"] .pill.maint').textContent()).toBe('⚒ Maintenance');
      expect(await page.locator('article[data-key="data_cache"] .pill.maint').count()).toBe(0);
      await context.close();
    } finally {
      await global.close();
      await local.close();
    }
  });

  it('fits many more endpoints on a 1440×900 screen in the grid and compact layouts', async () => {
    const { page, context } = await chrome.open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    const comfortable = await cardsOnScreen(page);
    await page.selectOption('select[aria-label="Layout"]', 'compact');
    const compact = await cardsOnScreen(page);
    await screenshot(page, 'desktop-compact');
    await page.selectOption('select[aria-label="Layout"]', 'grid');
    const grid = await cardsOnScreen(page);
    await screenshot(page, 'desktop-grid');
    expect(compact).toBeGreaterThanOrEqual(2 * comfortable);
    expect(grid).toBeGreaterThanOrEqual(30);
    expect(await page.locator('#app').getAttribute('data-layout')).toBe('grid');
    // remembered across a reload
    await page.reload();
    await ready(page, 'article.endpoint');
    expect(await page.locator('#app').getAttribute('data-layout')).toBe('grid');
    expect(await page.locator('select[aria-label="Layout"]').inputValue()).toBe('grid');
    await context.close();
  });

  it('filters to failing endpoints with one click, remembers it, and lays the grid out on a phone', async () => {
    const { page, context } = await chrome.open('phone');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    await page.locator('button.toggle', { hasText: 'Only failing' }).tap();
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(3);
    expect(await page.locator('article.endpoint.state-up').count()).toBe(0);
    expect(await page.locator('button.toggle').getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await ready(page, 'article.endpoint');
    expect(await page.locator('article.endpoint').count()).toBe(3);
    await page.selectOption('select[aria-label="Layout"]', 'grid');
    await screenshot(page, 'phone-grid-only-failing', true);
    await page.locator('button.toggle').tap();
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(40);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('moves between endpoints with j/k, focuses the search with /, toggles failing with f', async () => {
    const { page, context } = await chrome.open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    await page.keyboard.press('j');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    const first = await focused();
    expect(first).toMatch(/^svc-\d{3}$/);
    await page.keyboard.press('j');
    const second = await focused();
    expect(second).not.toBe(first);
    await page.keyboard.press('k');
    expect(await focused()).toBe(first);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/endpoints\//);
    await page.goBack();
    await ready(page, 'article.endpoint');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Filter endpoints');
    await page.keyboard.type('svc-01');
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(10);
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(0);
    await page.keyboard.press('f');
    await context.close();
  });

  it('has no serious or critical axe-core violation (light, dark, grid, detail, phone) and says up/down in text', async () => {
    const few = makeFleet(12);
    const small = await startApp(makeConfig({ endpoints: few }));
    fleet(small, few, 2);
    try {
      for (const kind of ['desktop', 'phone'] as const) {
        const { page, context } = await chrome.open(kind);
        await page.goto(`${small.base}/`);
        await ready(page, 'article.endpoint');
        expect(await seriousViolations(page)).toEqual([]);
        await page.click('#theme-toggle');
        await page.selectOption('select[aria-label="Layout"]', 'grid');
        expect(await seriousViolations(page)).toEqual([]);
        const pills = await page.locator('article.endpoint .pill').allTextContents();
        expect(new Set(pills)).toEqual(new Set(['Up', 'Down']));
        await page.goto(`${small.base}/endpoints/${few[0]?.key}`);
        await ready(page, 'svg.chart');
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, `${kind}-detail`, true);
        await context.close();
      }
    } finally {
      await small.close();
    }
  });
});
