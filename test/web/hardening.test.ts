import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { createStore } from '../../src/store/index.js';
import { createApp, listen, type RunningServer } from '../../src/web/server.js';
import { createUiRouter } from '../../src/web/ui/router.js';
import { makeClock, makeConfig, makeExternal } from '../helpers/fixtures.js';
import { startApp, type TestApp } from './app.js';

describe('/ui/assets/', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(): Promise<string> {
    const clock = makeClock();
    const config = makeConfig();
    const ui = createUiRouter({ store: createStore({ historySize: 10, clock }), getConfig: () => config, clock, logger: silentLogger });
    const app = createApp({ registry: createRegistry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), protected: [ui] });
    server = await listen(app, '127.0.0.1:0');
    return `http://127.0.0.1:${server.port}`;
  }

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf'])('answers 404 for inherited property name %s', async (name) => {
    const base = await start();
    const res = await fetch(`${base}/ui/assets/${name}`);
    expect(res.status).toBe(404);
  });

  it.each(['%E0%A4%A', '%', '%zz', 'app.js%'])('answers 400 for a bad percent-escape (%s)', async (name) => {
    const base = await start();
    const res = await fetch(`${base}/ui/assets/${name}`);
    expect(res.status).toBe(400);
  });

  it('still serves the real assets', async () => {
    const base = await start();
    expect((await fetch(`${base}/ui/assets/app.js`)).status).toBe(200);
    expect((await fetch(`${base}/ui/assets/app%2Ecss`)).status).toBe(200);
  });
});

describe('external endpoint pushes', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answer an unknown key exactly like a bad token (status and body), so keys cannot be probed', async () => {
    const ext = makeExternal({ name: 'nightly-backup', token: 'good-token-1234' });
    app = await startApp(makeConfig({ externalEndpoints: [ext] }));
    const push = async (key: string, token: string) => {
      const res = await fetch(`${app?.base}/api/v1/endpoints/${key}/external?success=true`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.text() };
    };
    const badToken = await push('jobs_nightly-backup', 'wrong-token-9999');
    const unknownKey = await push('jobs_no-such-job', 'good-token-1234');
    const unknownBoth = await push('jobs_no-such-job', 'wrong-token-9999');
    expect(badToken.status).toBe(401);
    expect(unknownKey).toEqual(badToken);
    expect(unknownBoth).toEqual(badToken);
    expect(app.external).toHaveLength(0);
    expect((await push('jobs_nightly-backup', 'good-token-1234')).status).toBe(200);
  });
});
