/**
 * The public page (`ui.public-page`): served without credentials while security.basic keeps the
 * dashboard and API behind auth; it shows states and up/down bars, never URLs, conditions, errors,
 * HTTP statuses, response times or detail pages.
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { chromiumSuite, observeHttp, ready, screenshot, seriousViolations } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');
const hash = bcrypt.hashSync('s3cret pass', 4);
const security = { basic: { username: 'admin', passwordBcryptBase64: Buffer.from(hash).toString('base64') } };

describe.skipIf(!chromiumPath)('public status page in Chromium', () => {
  const suite = chromiumSuite(chromiumPath);

  it('shows a reduced page at ui.public-page without auth; the dashboard and API still need it', async () => {
    const db = makeEndpoint({ name: 'db', group: 'core', url: 'https://db.internal.example:5432/health' });
    const api = makeEndpoint({ name: 'api', group: 'core' });
    const app = await suite.start(makeConfig({ endpoints: [db, api], security, ui: { ...makeConfig().ui, publicPage: '/status' } }));
    observeHttp(app, db, 20, 15, ['GET https://db.internal.example:5432/health: 503']);
    observeHttp(app, api, 20, 20);
    for (const path of ['/', '/endpoints/core_db', '/api/v1/endpoints/statuses', '/ui/api/overview', '/status/endpoints/core_db', '/status/ui/api/endpoints/core_db']) {
      expect((await fetch(`${app.base}${path}`)).status, path).toBe(401);
    }
    for (const kind of ['desktop', 'phone'] as const) {
      const { page, context, errors } = await suite.chrome().open(kind);
      const bodies: string[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/status/ui/api/')) void r.text().then((t) => bodies.push(t), () => undefined);
      });
      await page.goto(`${app.base}/status`);
      await ready(page, 'article.endpoint .bar.fail');
      expect(await page.locator('.banner-text').textContent()).toBe('Partial outage: 1 of 2 down');
      expect(await page.locator('article[data-key="core_db"] .pill').first().textContent()).toBe('Down');
      expect(await page.locator('main a[href*="/endpoints/"]').count()).toBe(0);
      expect(await page.locator('.ep-rt').count()).toBe(0);
      await page.locator('article[data-key="core_db"] .bar.fail').last().click();
      const details = (await page.locator('article[data-key="core_db"] .bar-detail').textContent()) ?? '';
      expect(details).toContain('Failure');
      expect(details).not.toMatch(/HTTP|503|Response time|STATUS/);
      expect(await seriousViolations(page)).toEqual([]);
      const json = bodies.join('\n');
      expect(json).toContain('"state":"down"');
      const everything = `${await page.content()}\n${json}`;
      for (const secret of ['db.internal.example', '5432', '[STATUS]', '503']) expect(everything, secret).not.toContain(secret);
      for (const field of ['"ms":', 'avgResponseTimeMs', '"url"', '"status"', '"failed"']) expect(json, field).not.toContain(field);
      expect(errors).toEqual([]);
      await screenshot(page, `${kind}-public`, true);
      await context.close();
    }
  });
});
