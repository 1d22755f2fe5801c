/** The HTML shell of the status page: no inline script or style, everything else is rendered by app.js. */
import type { SiteUi } from '../../config/schema.js';
import { CONTENT_SECURITY_POLICY } from '../security.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ShellOptions {
  ui: SiteUi;
  base: string;
  view: 'list' | 'detail';
  key?: string;
  /** Appended to asset URLs so a new build is fetched. */
  version: string;
  /** Version of /ui/assets/custom.css (its hash), when ui.custom-css is set. */
  customCssVersion?: string;
  /** The reduced public page (no details, no links to them). */
  publicView?: boolean;
}

/** A configured URL as an attribute: http(s) URLs as they are, paths below the base. */
function href(url: string, base: string): string {
  return escapeHtml(url.startsWith('/') ? `${base}${url}` : url);
}

/** The page's CSP: the default one, with the origins of ui.logo and ui.favicon allowed as images. */
export function shellCsp(ui: SiteUi): string {
  const origins = [ui.logo, ui.favicon].filter((u) => /^https?:\/\//i.test(u)).map((u) => new URL(u).origin);
  if (origins.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace(/img-src ([^;]*)/, (_m, v: string) => `img-src ${v} ${[...new Set(origins)].join(' ')}`);
}

export function renderShell(options: ShellOptions): string {
  const { ui, base, view, key, version } = options;
  const attrs = [
    `id="app"`,
    `data-view="${view}"`,
    `data-base="${escapeHtml(base)}"`,
    `data-dark="${ui.darkMode ? '1' : '0'}"`,
    options.publicView ? 'data-public="1"' : '',
    // Gatus ui.default-sort-by / default-filter-by: the list's choices until the visitor makes their own
    `data-sort="${{ name: 'name', group: 'name', health: 'state', '': 'state' }[ui.defaultSortBy]}"`,
    `data-filter="${ui.defaultFilterBy === 'failing' || ui.defaultFilterBy === 'unstable' ? ui.defaultFilterBy : 'none'}"`,
    key !== undefined ? `data-key="${escapeHtml(key)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const title = escapeHtml(ui.header || 'Health Status');
  const logo = ui.logo ? `<img class="logo" src="${href(ui.logo, base)}" alt="" width="40" height="40">` : '';
  const header = /^https?:\/\//i.test(ui.link) ? `<a href="${escapeHtml(ui.link)}" rel="noopener noreferrer">${title}</a>` : title;
  const favicon = ui.favicon
    ? `<link rel="icon" href="${href(ui.favicon, base)}">`
    : `<link rel="icon" href="${escapeHtml(base)}/ui/assets/favicon.svg" type="image/svg+xml">`;
  const customCss = options.customCssVersion
    ? `\n<link rel="stylesheet" href="${escapeHtml(base)}/ui/assets/custom.css?v=${options.customCssVersion}">`
    : '';
  const buttons = ui.buttons.length
    ? `\n<nav class="site-buttons" aria-label="Links">${ui.buttons.map((b) => `<a class="site-button" href="${href(b.link, base)}" rel="noopener noreferrer">${escapeHtml(b.name)}</a>`).join('')}</nav>`
    : '';
  const heading = ui.dashboardHeading || ui.dashboardSubheading
    ? `\n<div class="dashboard-heading">${ui.dashboardHeading ? `<h2>${escapeHtml(ui.dashboardHeading)}</h2>` : ''}${ui.dashboardSubheading ? `<p>${escapeHtml(ui.dashboardSubheading)}</p>` : ''}</div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="description" content="${escapeHtml(ui.description)}">
<title>${escapeHtml(ui.title || 'vigil')}</title>
${favicon}
<link rel="stylesheet" href="${escapeHtml(base)}/ui/assets/app.css?v=${version}">${customCss}
<script src="${escapeHtml(base)}/ui/assets/app.js?v=${version}" defer></script>
</head>
<body>
<header class="site">
<div class="brand">${logo}<div><h1 id="site-header">${header}</h1><p id="site-description">${escapeHtml(ui.description)}</p></div></div>
<button id="theme-toggle" type="button" aria-label="Toggle light/dark theme">◐ Theme</button>
</header>${buttons}${heading}
<main ${attrs}><noscript>This status page needs JavaScript; the JSON API is at /api/v1/endpoints/statuses.</noscript></main>
</body>
</html>
`;
}
