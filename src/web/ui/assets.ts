/**
 * Builds /ui/assets/app.js from the type-checked functions in ./client/*.ts. Each client module
 * only declares (never imports at runtime) the functions of the others, so the serialised
 * function declarations, concatenated in one scope, link up by name in the browser.
 */
import { createHash } from 'node:crypto';
import * as axis from './client/axis.js';
import * as banner from './client/banner.js';
import * as bars from './client/bars.js';
import * as chart from './client/chart.js';
import * as daily from './client/daily.js';
import * as detail from './client/detail.js';
import * as dom from './client/dom.js';
import * as listPage from './client/list-page.js';
import * as list from './client/list.js';
import * as main from './client/main.js';
import * as prefs from './client/prefs.js';
import * as timeline from './client/timeline.js';
import { APP_CSS } from './styles.js';

const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#22a55b"/><path d="M4 8.5l2.5 2.5L12 5.5" fill="none" stroke="#fff" stroke-width="2"/></svg>';

type AnyFunction = (...args: never[]) => unknown;

function functionsOf(mod: object): AnyFunction[] {
  return Object.values(mod).filter((v): v is AnyFunction => typeof v === 'function');
}

export interface Asset {
  body: string;
  contentType: string;
  etag: string;
}

function asset(body: string, contentType: string): Asset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

export function buildAppJs(): string {
  const source = [axis, dom, bars, chart, banner, prefs, timeline, daily, list, listPage, detail, main].flatMap(functionsOf).map((fn) => fn.toString());
  return `'use strict';\n(() => {\n${source.join('\n\n')}\n\nboot();\n})();\n`;
}

const customCss = new Map<string, Asset>();

/** ui.custom-css as a stylesheet (CSP allows 'self' styles only), built once per distinct text. */
export function customCssAsset(css: string): Asset {
  let a = customCss.get(css);
  if (!a) {
    if (customCss.size > 8) customCss.clear();
    a = asset(css, 'text/css; charset=utf-8');
    customCss.set(css, a);
  }
  return a;
}

/** The asset named `file`, looked up as an own property only (never `constructor`, `__proto__`...). */
export function lookupAsset(assets: Readonly<Record<string, Asset>>, file: string): Asset | undefined {
  return Object.hasOwn(assets, file) ? assets[file] : undefined;
}

export function buildAssets(): Record<string, Asset> {
  return {
    'app.js': asset(buildAppJs(), 'text/javascript; charset=utf-8'),
    'app.css': asset(APP_CSS.trim(), 'text/css; charset=utf-8'),
    'favicon.svg': asset(FAVICON_SVG, 'image/svg+xml'),
  };
}
