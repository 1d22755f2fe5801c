/**
 * Branding from the config's `ui:` section (Gatus keys), loaded from YAML as a user writes it:
 * title, header, link, logo (from another origin), favicon, buttons, custom CSS, dashboard
 * heading, default sort and filter.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { requireBinary } from '../helpers/binaries.js';
import { listen } from '../helpers/listen.js';
import { makeCheck } from '../helpers/fixtures.js';
import { startApp, type TestApp } from '../web/app.js';
import { launchChromium, ready, screenshot, type TestBrowser } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');
// a 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(!chromiumPath)('branding from ui: in Chromium', () => {
  let chrome: TestBrowser;
  let app: TestApp;
  let images: { base: string; close: () => Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ui-brand-'));

  beforeAll(async () => {
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
    const { port, close } = await listen(server);
    images = { base: `http://127.0.0.1:${port}`, close };
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      `ui:
  title: Example Corp status
  header: Example Corp
  description: Live status of our services
  link: https://example.org/
  logo: ${images.base}/logo.png
  favicon:
    default: ${images.base}/favicon.png
  dashboard-heading: Service health
  dashboard-subheading: Checked every minute
  default-sort-by: name
  default-filter-by: failing
  custom-css: |
    .site h1 { color: rgb(123, 45, 67); }
  buttons:
    - name: Home
      link: https://example.org/
    - name: Runbooks
      link: /runbooks
endpoints:
  - name: api
    group: core
    url: https://api.example.org/health
    conditions: ["[STATUS] == 200"]
  - name: web
    group: core
    url: https://web.example.org/health
    conditions: ["[STATUS] == 200"]
`,
    );
    const config = await loadConfig(file, { env: {} });
    app = await startApp(config);
    const [api, web] = config.endpoints;
    if (!api || !web) throw new Error('endpoints missing');
    app.store.observe(makeCheck(api, { timestamp: app.clock.now() - 1000 }));
    app.store.observe(makeCheck(web, { timestamp: app.clock.now() - 1000, success: false }));
    chrome = await launchChromium(chromiumPath as string);
  });
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
    await images?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the title, header link, logo, favicon, buttons, heading and custom CSS', async () => {
    for (const kind of ['desktop', 'phone'] as const) {
      const { page, context, errors } = await chrome.open(kind);
      await page.goto(`${app.base}/`);
      await ready(page, 'article.endpoint');
      expect(await page.title()).toBe('Example Corp status');
      expect(await page.locator('#site-header a').getAttribute('href')).toBe('https://example.org/');
      expect(await page.locator('#site-header').textContent()).toBe('Example Corp');
      await expect.poll(() => page.locator('img.logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe(`${images.base}/favicon.png`);
      expect(await page.locator('.site-button').allTextContents()).toEqual(['Home', 'Runbooks']);
      expect(await page.locator('.site-button', { hasText: 'Runbooks' }).getAttribute('href')).toBe('/runbooks');
      expect(await page.locator('.dashboard-heading h2').textContent()).toBe('Service health');
      expect(await page.locator('.site h1').evaluate((h) => getComputedStyle(h).color)).toBe('rgb(123, 45, 67)');
      expect(errors).toEqual([]);
      await screenshot(page, `${kind}-branding`);
      await context.close();
    }
  });

  it('starts with the configured sort and filter until the visitor picks their own', async () => {
    const { page, context } = await chrome.open('desktop');
    await page.goto(`${app.base}/`);
    await ready(page, 'article.endpoint');
    // default-filter-by: failing
    expect(await page.locator('article.endpoint').count()).toBe(1);
    expect(await page.locator('button.toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('select[aria-label="Sort"]').inputValue()).toBe('name');
    await page.locator('button.toggle').click();
    await page.reload();
    await ready(page, 'article.endpoint');
    expect(await page.locator('article.endpoint').count()).toBe(2);
    await context.close();
  });
});
