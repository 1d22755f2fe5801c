/**
 * Chromium for the status page tests: playwright-core driving the Debian chromium with a fresh
 * profile, desktop (1440×900) and phone (390×844, touch) pages, page-error capture, screenshots
 * into test/artifacts/ and an axe-core accessibility check.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll } from 'vitest';
import type { EndpointConfig } from '../../src/config/schema.js';
import { makeCheck } from '../helpers/fixtures.js';
import { startApp, type TestApp } from '../web/app.js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own storage) with one page; errors of the page are collected. */
  open(kind: 'desktop' | 'phone'): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<TestBrowser> {
  // launch() gives the browser a fresh temporary profile (--user-data-dir) of its own
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  return {
    browser,
    async open(kind) {
      const context = await browser.newContext(
        kind === 'phone'
          ? { viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }
          : { viewport: DESKTOP },
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return { context, page, errors };
    },
    async close() {
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Serious and critical axe-core violations on the page, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${v.help})${process.env.AXE_DEBUG ? ` ${n.failureSummary ?? ''}` : ''}`));
}

/** Waits until the page rendered its data (app.js sets body[data-ready]). */
export async function ready(page: Page, selector = ''): Promise<void> {
  await page.waitForSelector(`body[data-ready="1"] ${selector}`.trim());
}

/**
 * For a describe block: one Chromium for the block, and `start` for apps closed after it.
 * Call it inside describe(); `chrome()` is valid inside tests.
 */
export function chromiumSuite(executablePath: string | undefined): { chrome: () => TestBrowser; start: typeof startApp } {
  let chrome: TestBrowser | undefined;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    chrome = await launchChromium(executablePath as string);
  });
  afterAll(async () => {
    await chrome?.close();
    for (const a of apps) await a.close();
  });
  return {
    chrome: () => {
      if (!chrome) throw new Error('Chromium not launched');
      return chrome;
    },
    start: async (...args) => {
      const app = await startApp(...args);
      apps.push(app);
      return app;
    },
  };
}

/** `count` HTTP results a minute apart, ending now; from index `failFrom` on they fail with 503. */
export function observeHttp(app: TestApp, endpoint: EndpointConfig, count: number, failFrom: number, errors: string[] = []): void {
  const now = app.clock.now();
  for (let i = 0; i < count; i += 1) {
    const ok = i < failFrom;
    app.store.observe(
      makeCheck(endpoint, {
        timestamp: now - (count - i) * 60_000,
        success: ok,
        result: { responseTimeMs: 100 + i + 0.45, status: ok ? 200 : 503 },
        conditionResults: [{ condition: '[STATUS] == 200', success: ok, rendered: ok ? '[STATUS] == 200' : '[STATUS] (503) == 200' }],
        errors: ok ? [] : errors,
      }),
    );
  }
}
