/** Entry point of app.js: picks the page from #app's data attributes. Serialised: see dom.ts. */
import type * as Detail from './detail.js';
import type * as Dom from './dom.js';
import type * as ListPage from './list-page.js';

declare const listPage: typeof ListPage.listPage;
declare const detailPage: typeof Detail.detailPage;
declare const setupTheme: typeof Dom.setupTheme;

export function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  setupTheme(root.dataset.dark === '1');
  const base = root.dataset.base ?? '';
  if (root.dataset.view === 'detail' && root.dataset.key !== undefined) detailPage(root, base, root.dataset.key);
  else listPage(root, base);
}
