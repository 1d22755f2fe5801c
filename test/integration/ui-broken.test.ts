/**
 * Status page regressions seen in Chromium: alert times, grouped paging, the header link,
 * charts (sub-ms axis, empty state, clipping, phone text), tap/keyboard result details, the
 * unknown-endpoint page and plurals.
 */
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { chromiumSuite, observeHttp, ready, screenshot } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');

describe.skipIf(!chromiumPath)('status page fixes in Chromium', () => {
  const suite = chromiumSuite(chromiumPath);
  const start = suite.start;

  it('shows when an active alert started from the epoch-ms numbers the API sends', async () => {
    const db = makeEndpoint({ name: 'db', group: 'core' });
    const startsAt = Date.UTC(2024, 0, 1, 12, 0);
    const app = await start(makeConfig({ endpoints: [db] }), {
      alerts: () => [
        {
          fingerprint: '9574ec6f190fe4e8',
          labels: { alertname: 'EndpointDown', endpoint: 'db', group: 'core', severity: 'critical' },
          annotations: { summary: 'db is down' },
          state: 'firing',
          since: startsAt,
          startsAt,
          deliveries: [],
        },
      ],
    });
    app.store.observe(makeCheck(db, { timestamp: app.clock.now() - 1000, success: false }));
    const { page, context, errors } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/endpoints/core_db`);
    await ready(page, '#alerts li');
    const text = (await page.locator('#alerts li').textContent()) ?? '';
    expect(text).not.toContain('Invalid Date');
    const expected = await page.evaluate((t) => new Date(t).toLocaleString(), startsAt);
    expect(text).toContain(`since ${expected}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('computes each group state over the whole group and says how many of how many are shown', async () => {
    // 300 endpoints in 5 groups of 60; 3 of g2 are down. Sorted by state, g2's down ones lead.
    const endpoints = Array.from({ length: 300 }, (_, i) => makeEndpoint({ name: `e${String(i).padStart(3, '0')}`, group: `g${Math.floor(i / 60)}` }));
    const app = await start(makeConfig({ endpoints }));
    const now = app.clock.now();
    for (const [i, e] of endpoints.entries()) app.store.observe(makeCheck(e, { timestamp: now - 1000, success: !(i >= 120 && i < 123) }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    expect(await page.locator('.pager span').textContent()).toBe('Page 1 of 6 (50 of 300 shown)');
    expect(await page.locator('article.endpoint').count()).toBe(50);
    for (let p = 1; p <= 6; p += 1) {
      const g2 = page.locator('section[data-group="g2"] .group-head');
      if ((await g2.count()) > 0) expect(await g2.textContent()).toContain('3 down');
      for (const pill of await page.locator('.group-head .pill').allTextContents()) expect(pill).toMatch(/^(3 down|all up)$/);
      if (p < 6) await page.locator('.pager button', { hasText: 'Next' }).click();
    }
    expect(await page.locator('.pager span').textContent()).toBe('Page 6 of 6 (50 of 300 shown)');
    await page.fill('input.search', 'e12');
    await expect.poll(() => page.locator('.pager span').count()).toBe(0);
    expect(await page.locator('section[data-group="g2"] .group-head').textContent()).toContain('3 down');
    await context.close();
  });

  it('keeps the ui.link header link after refreshes', async () => {
    const app = await start(makeConfig({ endpoints: [makeEndpoint()], ui: { ...makeConfig().ui, link: 'https://example.com/home' } }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.clock.install();
    await page.goto(`${app.base}/`);
    await ready(page);
    for (let i = 0; i < 2; i += 1) {
      const refreshed = page.waitForResponse((r) => r.url().endsWith('/ui/api/overview'));
      await page.clock.runFor(16_000);
      await refreshed;
    }
    await expect.poll(() => page.locator('#site-header a').count()).toBe(1);
    expect(await page.locator('#site-header a').getAttribute('href')).toBe('https://example.com/home');
    expect(await page.locator('#site-header a').textContent()).toBe('Health Status');
    await context.close();
  });

  it('labels a sub-millisecond chart axis with distinct values and keeps every label inside the chart', async () => {
    const fast = makeEndpoint({ name: 'fast' });
    const app = await start(makeConfig({ endpoints: [fast] }));
    const now = app.clock.now();
    for (let i = 0; i < 30; i += 1) app.store.observe(makeCheck(fast, { timestamp: now - (30 - i) * 60_000, result: { responseTimeMs: 0.2 + (i % 7) / 10 } }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/endpoints/core_fast`);
    await ready(page, 'svg.chart path.line');
    const yLabels = await page.locator('svg.chart text.y').allTextContents();
    expect(yLabels.length).toBeGreaterThanOrEqual(3);
    expect(new Set(yLabels).size).toBe(yLabels.length);
    expect(yLabels.some((l) => /^0\.\d+ms$/.test(l))).toBe(true);
    const clipped = await page.evaluate(() => {
      const svg = document.querySelector('svg.chart') as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      return Array.from(svg.querySelectorAll('text')).filter((t) => {
        const r = t.getBoundingClientRect();
        return r.left < box.left - 0.5 || r.right > box.right + 0.5;
      }).length;
    });
    expect(clipped).toBe(0);
    await context.close();
  });

  it('draws chart.svg for a new endpoint: an empty state, one visible point, no clipped label', async () => {
    const fresh = makeEndpoint({ name: 'fresh' });
    const app = await start(makeConfig({ endpoints: [fresh] }));
    const { page, context } = await suite.chrome().open('desktop');
    const chartUrl = `${app.base}/api/v1/endpoints/core_fresh/response-times/24h/chart.svg`;
    await page.goto(chartUrl);
    expect(await page.locator('text', { hasText: 'No data yet' }).count()).toBe(1);
    app.store.observe(makeCheck(fresh, { timestamp: app.clock.now() - 1000, result: { responseTimeMs: 0.7 } }));
    await page.goto(chartUrl);
    expect(await page.locator('circle').count()).toBe(1);
    const labels = await page.locator('text').allTextContents();
    expect(labels.some((l) => /^0\.\d+ms$/.test(l))).toBe(true);
    const outside = await page.evaluate(() => {
      const svg = document.querySelector('svg') as SVGSVGElement;
      const w = svg.viewBox.baseVal.width;
      return Array.from(svg.querySelectorAll('text')).map((t) => t.getBBox()).filter((b) => b.x < 0 || b.x + b.width > w).length;
    });
    expect(outside).toBe(0);
    await context.close();
  });

  it('on a phone: chart text is readable and result details open on tap', async () => {
    const db = makeEndpoint({ name: 'db' });
    const app = await start(makeConfig({ endpoints: [db] }));
    observeHttp(app, db, 40, 35);
    const { page, context } = await suite.chrome().open('phone');
    await page.goto(`${app.base}/endpoints/core_db`);
    await ready(page, 'svg.chart path.line');
    const smallest = await page.evaluate(() =>
      Math.min(...Array.from(document.querySelectorAll('svg.chart text')).map((t) => t.getBoundingClientRect().height)),
    );
    expect(smallest).toBeGreaterThanOrEqual(10);
    const fontPx = await page.evaluate(() => {
      const svg = document.querySelector('svg.chart') as SVGSVGElement;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return Math.min(...Array.from(svg.querySelectorAll('text')).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
    });
    expect(fontPx).toBeGreaterThanOrEqual(10);
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    await page.locator('article[data-key="core_db"] .bar.fail').last().tap();
    const details = page.locator('article[data-key="core_db"] .bar-detail');
    await expect.poll(() => details.isVisible()).toBe(true);
    expect(await details.textContent()).toContain('HTTP 503');
    expect(await details.textContent()).toContain('[STATUS] (503) == 200');
    await screenshot(page, 'phone-bar-details');
    await context.close();
  });

  it('opens result details from the keyboard and moves between results with the arrow keys', async () => {
    const db = makeEndpoint({ name: 'db' });
    const app = await start(makeConfig({ endpoints: [db] }));
    const now = app.clock.now();
    for (let i = 0; i < 5; i += 1) app.store.observe(makeCheck(db, { timestamp: now - (5 - i) * 60_000, success: i !== 3, result: { status: i !== 3 ? 200 : 500 } }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    await page.locator('article[data-key="core_db"] .bars').focus();
    await page.keyboard.press('Enter');
    const details = page.locator('article[data-key="core_db"] .bar-detail');
    await expect.poll(() => details.isVisible()).toBe(true);
    expect(await details.textContent()).toContain('HTTP 200');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => details.textContent()).toContain('HTTP 500');
    await page.keyboard.press('Escape');
    await expect.poll(() => details.isVisible()).toBe(false);
    await context.close();
  });

  it('answers an unknown endpoint with a friendly page and a way back', async () => {
    const app = await start(makeConfig({ endpoints: [makeEndpoint()] }));
    const { page, context, errors } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/endpoints/no-such-thing`);
    await ready(page, '.not-found');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('No endpoint “no-such-thing”');
    expect(text).not.toMatch(/HTTP 404|Could not load/);
    await page.locator('main a', { hasText: 'All endpoints' }).click();
    await page.waitForURL(`${app.base}/`);
    await ready(page, 'article.endpoint');
    expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
    await context.close();
  });

  it('says "1 endpoint" for one and "2 endpoints" for two', async () => {
    const app = await start(makeConfig({ endpoints: [makeEndpoint()] }));
    const { page, context } = await suite.chrome().open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    expect(await page.locator('.counts').textContent()).toMatch(/^1 endpoint · 0 down/);
    app.setConfig(makeConfig({ endpoints: [makeEndpoint(), makeEndpoint({ name: 'b' })] }));
    await page.reload();
    await ready(page, 'article.endpoint');
    expect(await page.locator('.counts').textContent()).toMatch(/^2 endpoints · 0 down/);
    await context.close();
  });
});
