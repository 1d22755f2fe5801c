/** The global ui: section: Gatus branding keys load into SiteUi; bad values are load errors with file:line:col. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatIssue } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-ui-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ui: section', () => {
  it('reads favicon as a string or as Gatus favicon.default, and paths below this server', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'ui:\n  public-page: /status/\n  favicon: /static/f.png\n  logo: /static/logo.svg\n  default-filter-by: unstable\nendpoints:\n  - name: api\n    url: https://api.example.org/\n    conditions: ["[STATUS] == 200"]\n');
    const config = await loadConfig(file, { env: {} });
    expect(config.ui).toMatchObject({ favicon: '/static/f.png', logo: '/static/logo.svg', defaultFilterBy: 'unstable', buttons: [], publicPage: '/status' });
    expect(config.warnings).toEqual([]);
  });

  it('rejects bad ui values at load, all at once, with file:line:col and key path', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `ui:
  logo: "javascript:alert(1)"
  default-sort-by: size
  public-page: /api/status
  buttons:
    - name: Home
    - link: https://example.org
endpoints:
  - name: api
    url: https://api.example.org/health
    conditions: ["[STATUS] == 200"]
`,
    );
    const err = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).issues.map((i) => formatIssue({ ...i, file: 'bad.yaml' }));
    expect(lines).toEqual([
      'bad.yaml:2:9 ui.logo: must be an http(s) URL or a path starting with /',
      'bad.yaml:3:20 ui.default-sort-by: must be one of name, group, health',
      'bad.yaml:4:16 ui.public-page: must be a path such as /status (letters, digits, - . _ ~ /), not / and not under /api, /ui, /endpoints, /metrics, /probe, /health or /-',
      'bad.yaml:6:7 ui.buttons[0].link: required',
      'bad.yaml:7:7 ui.buttons[1].name: required',
    ]);
  });
});
