import { afterEach, describe, expect, it } from 'vitest';
import type { GatusStatus } from '../../src/web/view.js';
import { makeCheck, makeConfig, makeEndpoint } from '../helpers/fixtures.js';
import { startApp, type TestApp } from './app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const SECRET_URL = 'https://user:hunter2pass@db.internal.example:8443/health?token=tok-abcdef-999&region=eu';

async function statuses(a: TestApp): Promise<{ text: string; body: GatusStatus[] }> {
  const text = await (await fetch(`${a.base}/api/v1/endpoints/statuses`)).text();
  return { text, body: JSON.parse(text) as GatusStatus[] };
}

describe('redaction and ui.hide-*', () => {
  it('never shows a URL password or a secret query value, even inside errors and conditions', async () => {
    const ep = makeEndpoint({ name: 'db', url: SECRET_URL, target: { url: new URL(SECRET_URL), method: 'GET', headers: { Authorization: 'Bearer hdr-secret-777' }, body: '' } });
    app = await startApp(makeConfig({ endpoints: [ep] }));
    app.store.observe(
      makeCheck(ep, {
        success: false,
        errors: [`GET ${SECRET_URL} failed: timeout`, 'server said: invalid header Bearer hdr-secret-777'],
        conditionResults: [{ condition: '[BODY] == ok', success: false, rendered: '[BODY] (hunter2pass) == ok' }],
      }),
    );
    const { text, body } = await statuses(app);
    for (const secret of ['hunter2pass', 'tok-abcdef-999', 'hdr-secret-777']) expect(text).not.toContain(secret);
    expect(body[0]?.results[0]?.errors[0]).toContain('db.internal.example:8443/health');
    expect(body[0]?.results[0]?.errors[0]).toContain('<redacted>');
    expect(body[0]?.results[0]?.hostname).toBe('db.internal.example');
    // the status page data never has secrets either
    const pageRes = await fetch(`${app.base}/ui/api/endpoints/${ep.key}`);
    expect(pageRes.status).toBe(200);
    const page = await pageRes.text();
    expect(page).toContain('db.internal.example');
    for (const secret of ['hunter2pass', 'tok-abcdef-999', 'hdr-secret-777']) expect(page).not.toContain(secret);
  });

  it('honours hide-hostname, hide-url, hide-port, hide-conditions and hide-errors', async () => {
    const ep = makeEndpoint({
      name: 'hidden',
      url: SECRET_URL,
      ui: { hideHostname: true, hideUrl: true, hidePort: true, hideConditions: true, hideErrors: true },
    });
    const partial = makeEndpoint({ name: 'partial', url: SECRET_URL, ui: { hideHostname: true, hidePort: true } });
    app = await startApp(makeConfig({ endpoints: [ep, partial] }));
    for (const e of [ep, partial]) {
      app.store.observe(makeCheck(e, { success: false, errors: [`dial tcp db.internal.example:8443: connection refused`] }));
    }
    const { text, body } = await statuses(app);
    const hidden = body[0]?.results[0];
    expect(hidden?.hostname).toBeUndefined();
    expect(hidden?.conditionResults).toEqual([]);
    expect(hidden?.errors).toEqual([]);
    const part = body[1]?.results[0];
    expect(part?.hostname).toBeUndefined();
    expect(part?.conditionResults).toHaveLength(1);
    expect(part?.errors).toEqual(['dial tcp <redacted><redacted>: connection refused']);
    expect(text).not.toContain('db.internal.example');
    expect(text).not.toContain('8443');
    const uiRes = await fetch(`${app.base}/ui/api/overview`);
    expect(uiRes.status).toBe(200);
    const ui = await uiRes.text();
    expect(ui).toContain('partial');
    expect(ui).not.toContain('db.internal.example');
    expect(ui).not.toContain('8443');
  });
});
