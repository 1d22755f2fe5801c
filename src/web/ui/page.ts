/** The HTML shell of the status page: no inline script or style, everything else is rendered by app.js. */
import type { SiteInfo } from './client/types.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ShellOptions {
  site: SiteInfo;
  base: string;
  view: 'list' | 'detail';
  key?: string;
  /** Appended to asset URLs so a new build is fetched. */
  version: string;
}

export function renderShell(options: ShellOptions): string {
  const { site, base, view, key, version } = options;
  const attrs = [
    `id="app"`,
    `data-view="${view}"`,
    `data-base="${escapeHtml(base)}"`,
    `data-dark="${site.darkMode ? '1' : '0'}"`,
    key !== undefined ? `data-key="${escapeHtml(key)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const header = site.link
    ? `<a href="${escapeHtml(/^https?:\/\//i.test(site.link) ? site.link : '#')}" rel="noopener noreferrer">${escapeHtml(site.header || 'Health Status')}</a>`
    : escapeHtml(site.header || 'Health Status');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(site.title || 'vigil')}</title>
<link rel="icon" href="${escapeHtml(base)}/ui/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${escapeHtml(base)}/ui/assets/app.css?v=${version}">
<script src="${escapeHtml(base)}/ui/assets/app.js?v=${version}" defer></script>
</head>
<body>
<header class="site">
<div><h1 id="site-header">${header}</h1><p id="site-description">${escapeHtml(site.description)}</p></div>
<button id="theme-toggle" type="button" aria-label="Toggle light/dark theme">◐ Theme</button>
</header>
<main ${attrs}><noscript>This status page needs JavaScript; the JSON API is at /api/v1/endpoints/statuses.</noscript></main>
</body>
</html>
`;
}
