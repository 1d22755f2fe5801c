/**
 * The status page in a real Chromium (playwright-core + Debian chromium): groups, red/green
 * endpoints, filter, detail chart, theme, and an endpoint name that tries XSS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeConfig, makeEndpoint, makeExternal } from '../helpers/fixtures.js';
import { startApp, type TestApp } from '../web/app.js';
import { ARTIFACTS, launchChromium, type TestBrowser } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');
const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!chromiumPath)('status page in Chromium', () => {
  const api = makeEndpoint({ name: 'api', group: 'core' });
  const db = makeEndpoint({
    name: 'db',
    group: 'core',
    url: 'https://admin:pw-very-secret@db.example.com:5432/health?token=tok-should-not-leak',
    conditions: [],
  });
  const xss = makeEndpoint({ name: XSS, group: 'edge' });
  const cdn = makeEndpoint({ name: 'cdn', group: 'edge' });
  const backup = makeExternal({ name: 'backup', group: 'jobs' });
  const endpoints = [api, db, xss, cdn];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  let app: TestApp;
  let chrome: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    app = await startApp(makeConfig({ endpoints, externalEndpoints: [backup] }), {
      alerts: () => [
        {
          labels: { alertname: 'EndpointDown', endpoint: 'db', group: 'core', severity: 'critical' },
          annotations: { summary: 'db is down' },
          startsAt: new Date(Date.UTC(2024, 0, 1, 12, 0)).toISOString(),
          status: 'firing',
          fingerprint: '9574ec6f190fe4e8',
        },
      ],
    });
    const now = app.clock.now();
    for (let i = 0; i < 60; i += 1) {
      const t = now - (60 - i) * 60_000;
      app.store.observe(makeCheck(api, { timestamp: t, result: { responseTimeMs: 40 + (i % 7) * 9 } }));
      app.store.observe(
        makeCheck(db, {
          timestamp: t,
          success: i < 45,
          result: { responseTimeMs: 120 + i, status: i < 45 ? 200 : 503, certificateNotAfterMs: now + 9 * 86_400_000 },
          conditionResults: [
            { condition: '[STATUS] == 200', success: i < 45, rendered: i < 45 ? '[STATUS] == 200' : '[STATUS] (503) == 200' },
            { condition: '[RESPONSE_TIME] < 500', success: true, rendered: '[RESPONSE_TIME] < 500' },
          ],
          errors: i < 45 ? [] : ['GET https://admin:pw-very-secret@db.example.com:5432/health?token=tok-should-not-leak: 503'],
        }),
      );
      app.store.observe(makeCheck(xss, { timestamp: t, result: { responseTimeMs: 80 } }));
      app.store.observe(makeCheck(cdn, { timestamp: t, success: i % 10 !== 3, result: { responseTimeMs: 15 } }));
    }
    chrome = await launchChromium(chromiumPath as string);
    ({ page } = await chrome.open('desktop'));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });

  it('shows endpoints by group with a green and a red endpoint, and the XSS name as text', async () => {
    await page.goto(`${app.base}/`);
    await page.waitForSelector('body[data-ready="1"] article.endpoint');
    const groups = await page.locator('section.group .group-name').allTextContents();
    expect(groups.sort()).toEqual(['core', 'edge', 'jobs']);
    await expect.poll(() => page.locator('article[data-key="core_api"]').getAttribute('class')).toContain('state-up');
    expect(await page.locator('article[data-key="core_db"]').getAttribute('class')).toContain('state-down');
    expect(await page.locator('article[data-key="core_api"] .bar.ok').count()).toBe(40);
    expect(await page.locator('article[data-key="core_db"] .bar.fail').count()).toBe(15);
    const tooltip = await page.locator('article[data-key="core_db"] .bar.fail').last().getAttribute('title');
    expect(tooltip).toContain('HTTP 503');
    expect(tooltip).toContain('[STATUS] (503) == 200');
    // down endpoints are sorted first
    expect(await page.locator('article.endpoint').first().getAttribute('data-key')).toBe('core_db');
    const xssName = page.locator('article.endpoint .ep-name', { hasText: 'onerror' });
    expect(await xssName.textContent()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    const html = await page.content();
    expect(html).not.toContain('pw-very-secret');
    expect(html).not.toContain('tok-should-not-leak');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });
  });

  it('filters endpoints by text and by state, and collapses groups', async () => {
    await page.fill('input.search', 'cdn');
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(1);
    expect(await page.locator('article.endpoint .ep-name').textContent()).toBe('cdn');
    await page.fill('input.search', '');
    await page.selectOption('select[aria-label="State"]', 'down');
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(1);
    await page.selectOption('select[aria-label="State"]', 'all');
    await expect.poll(() => page.locator('article.endpoint').count()).toBe(5);
    await page.locator('section[data-group="edge"] .group-head').click();
    expect(await page.locator('section[data-group="edge"] .group-head').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('section[data-group="edge"] article.endpoint').first().isVisible()).toBe(false);
    await page.locator('section[data-group="edge"] .group-head').click();
  });

  it('switches between light and dark theme', async () => {
    const before = await page.locator('html').getAttribute('data-theme');
    await page.click('#theme-toggle');
    const after = await page.locator('html').getAttribute('data-theme');
    expect(new Set([before, after])).toEqual(new Set(['light', 'dark']));
    if (after !== 'dark') await page.click('#theme-toggle');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'status-page-mobile-dark.png'), fullPage: false });
    await page.setViewportSize({ width: 1440, height: 900 });
    if ((await page.locator('html').getAttribute('data-theme')) !== before) await page.click('#theme-toggle');
  });

  it('opens the detail page with a chart, rendered conditions, errors, certificate and alerts', async () => {
    await page.locator('article[data-key="core_db"] .ep-name').click();
    await page.waitForURL(/\/endpoints\/core_db$/);
    await page.waitForSelector('body[data-ready="1"] svg.chart path.line');
    const d = await page.locator('svg.chart path.line').getAttribute('d');
    expect(d).toMatch(/^M[\d.]+,[\d.]+ L/);
    expect(await page.locator('.detail-name').textContent()).toBe('db');
    expect(await page.locator('.cond.fail').first().textContent()).toBe('✗ [STATUS] (503) == 200');
    expect(await page.locator('.errors li').first().textContent()).toContain('<redacted>');
    expect(await page.locator('.stat', { hasText: 'certificate' }).textContent()).toMatch(/9d/);
    expect(await page.locator('#alerts .fingerprint').textContent()).toBe('9574ec6f190fe4e8');
    await page.locator('.ranges button', { hasText: '24h' }).click();
    await page.waitForSelector('svg.chart path.line');
    const html = await page.content();
    expect(html).not.toContain('pw-very-secret');
    expect(html).not.toContain('tok-should-not-leak');
    await page.screenshot({ path: join(ARTIFACTS, 'status-page-detail.png'), fullPage: true });
  });

  it('renders the XSS endpoint detail as text, with no dialog, page error or CSP violation', async () => {
    await page.goto(`${app.base}/endpoints/${encodeURIComponent(xss.key)}`);
    await page.waitForSelector('body[data-ready="1"] .detail-name');
    expect(await page.locator('.detail-name').textContent()).toBe(XSS);
    expect(await page.title()).toContain(XSS);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
