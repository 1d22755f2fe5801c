/**
 * The global `ui:` section (Gatus keys): title, description, header, link, logo, favicon,
 * buttons, custom-css, dark-mode, dashboard-heading/-subheading, default-sort-by/-filter-by; and
 * vigil's public-page (the path of the reduced page served without auth).
 * URLs must be http(s) or a path on this server; CSS may not close its <style>-free file early.
 */
import { GATUS_SITE_UI_IGNORED } from './gatus-keys.js';
import { Section } from './reader.js';
import { DEFAULT_SITE_UI } from './schema.js';
import type { SiteButton, SiteUi } from './schema.js';

/** http(s) URL, or an absolute path on this server; '' when unset. */
function readUrl(section: Section, key: string, value = section.str(key)): string {
  if (value === '') return '';
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) section.error(key, 'must be an http(s) URL or a path starting with /');
  return value;
}

function readFavicon(section: Section): string {
  const node = section.get('favicon');
  if (node === undefined || node.kind === 'scalar') return readUrl(section, 'favicon');
  const favicon = section.section('favicon');
  favicon.checkKeys({ known: ['default', 'size16x16', 'size32x32'] });
  return readUrl(favicon, 'default') || readUrl(favicon, 'size32x32') || readUrl(favicon, 'size16x16');
}

function readButtons(section: Section): SiteButton[] {
  return section.list('buttons').flatMap((node, i) => {
    const button = Section.of(section.issues, node, section.child(`buttons[${i}]`), node.loc);
    button.checkKeys({ known: ['name', 'link'] });
    const name = button.required('name');
    const link = readUrl(button, 'link', button.required('link'));
    return name && link ? [{ name, link }] : [];
  });
}

function oneOf<T extends string>(section: Section, key: string, allowed: readonly T[]): T | '' {
  const value = section.str(key);
  if (value === '' || (allowed as readonly string[]).includes(value)) return value as T | '';
  section.error(key, `must be one of ${allowed.join(', ')}`);
  return '';
}

/** Paths the public page may not take: the dashboard's own routes and the operational ones. */
const RESERVED = /^\/(api|ui|endpoints|metrics|probe|health|-)(\/|$)/;

function readPublicPage(section: Section): string {
  const path = section.str('public-page').replace(/\/+$/, '');
  if (section.str('public-page') === '') return '';
  if (!/^\/[A-Za-z0-9._~/-]+$/.test(path) || path.includes('//') || RESERVED.test(path)) {
    section.error('public-page', 'must be a path such as /status (letters, digits, - . _ ~ /), not / and not under /api, /ui, /endpoints, /metrics, /probe, /health or /-');
  }
  return path;
}

export function readSiteUi(section: Section): SiteUi {
  section.checkKeys({
    known: ['title', 'description', 'header', 'link', 'dark-mode', 'logo', 'favicon', 'buttons', 'custom-css', 'dashboard-heading', 'dashboard-subheading', 'default-sort-by', 'default-filter-by', 'public-page'],
    ignored: GATUS_SITE_UI_IGNORED,
    gatus: true,
  });
  const link = section.str('link');
  if (link !== '' && !URL.canParse(link)) section.error('link', 'invalid URL');
  return {
    title: section.str('title', DEFAULT_SITE_UI.title),
    description: section.str('description'),
    header: section.str('header', DEFAULT_SITE_UI.header),
    link,
    darkMode: section.bool('dark-mode', DEFAULT_SITE_UI.darkMode),
    logo: readUrl(section, 'logo'),
    favicon: readFavicon(section),
    customCss: section.str('custom-css'),
    buttons: readButtons(section),
    dashboardHeading: section.str('dashboard-heading'),
    dashboardSubheading: section.str('dashboard-subheading'),
    defaultSortBy: oneOf(section, 'default-sort-by', ['name', 'group', 'health'] as const),
    defaultFilterBy: oneOf(section, 'default-filter-by', ['none', 'failing', 'unstable'] as const),
    publicPage: readPublicPage(section),
  };
}
