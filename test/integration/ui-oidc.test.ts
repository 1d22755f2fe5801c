/**
 * security.oidc in Chromium against a real OpenID provider: the status page sends the browser to
 * the provider's login form, an allowed subject comes back to the page with a session cookie
 * JavaScript cannot read, and a subject outside allowed-subjects is turned away.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { startVigilWithOidc, type OidcVigil } from '../helpers/oidc-provider.js';
import { launchChromium, ready, screenshot, type TestBrowser } from './ui-browser.js';

const chromiumPath = requireBinary('chromium');

/** The provider's development login page asks for web fonts: nothing leaves loopback. */
async function loopbackOnly(page: Page): Promise<void> {
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
}

async function signIn(page: Page, subject: string): Promise<void> {
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', subject);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
}

describe.skipIf(!chromiumPath)('OIDC login in Chromium', () => {
  let chrome: TestBrowser;
  let vigil: OidcVigil;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-ui-oidc-'));
    vigil = await startVigilWithOidc(dir, ['allowed-subjects: [alice]'], logs);
    chrome = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await chrome?.close();
    await vigil?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an allowed subject logs in at the provider and sees the page; the session cookie is HttpOnly and SameSite=Lax', async () => {
    const { context, page, errors } = await chrome.open('desktop');
    await loopbackOnly(page);
    await page.goto(`${vigil.base}/`);
    expect(new URL(page.url()).origin).toBe(vigil.provider.issuer);
    await signIn(page, 'alice');
    await page.waitForURL(`${vigil.base}/`);
    errors.length = 0; // the provider's page is not ours to judge
    await ready(page, 'article.endpoint');
    expect(await page.textContent('article.endpoint')).toContain('api');
    await screenshot(page, 'oidc-desktop-logged-in');
    const session = (await context.cookies(vigil.base)).find((c) => c.name === 'vigil_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('vigil_session');
    // a deep link after login opens directly
    await page.goto(`${vigil.base}/endpoints/_api`);
    expect(page.url()).toBe(`${vigil.base}/endpoints/_api`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a subject outside allowed-subjects is refused and gets no session', async () => {
    const { context, page } = await chrome.open('phone');
    await loopbackOnly(page);
    await page.goto(`${vigil.base}/endpoints/_api`);
    await signIn(page, 'mallory');
    await page.waitForURL(`${vigil.base}/authorization-code/callback**`);
    expect(await page.textContent('body')).toContain('not allowed');
    expect((await context.cookies(vigil.base)).map((c) => c.name)).not.toContain('vigil_session');
    await context.close();
  });
});
