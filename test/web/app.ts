/** Builds a real express app from the web routers and listens on 127.0.0.1:0. */
import { createServer } from 'node:http';
import express from 'express';
import type { CheckResult } from '../../src/check/types.js';
import type { Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import type { EndpointEvent } from '../../src/store/events.js';
import { createStore, type Store } from '../../src/store/index.js';
import { createApiRouter } from '../../src/web/api.js';
import { createSecurityMiddleware, securityHeaders } from '../../src/web/security.js';
import { createPublicUiRouter } from '../../src/web/ui/public.js';
import { createUiRouter } from '../../src/web/ui/router.js';
import { listen } from '../helpers/listen.js';
import { makeClock } from '../helpers/fixtures.js';

export interface TestApp {
  base: string;
  store: Store;
  clock: ReturnType<typeof makeClock>;
  external: CheckResult[];
  setConfig: (c: Config) => void;
  close: () => Promise<void>;
}

export interface StartOptions {
  alerts?: () => unknown[];
  historySize?: number;
  clock?: ReturnType<typeof makeClock>;
  /** The endpoints' Gatus events (an EventLog's events()). */
  events?: (key: string) => readonly EndpointEvent[];
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<TestApp> {
  const clock = options.clock ?? makeClock();
  const store = createStore({ historySize: options.historySize ?? 100, clock });
  const external: CheckResult[] = [];
  let current = config;
  const deps = {
    store,
    getConfig: () => current,
    clock,
    logger: silentLogger,
    alerts: options.alerts,
    events: options.events,
    onExternalResult: (check: CheckResult) => {
      external.push(check);
      store.observe(check);
    },
  };
  const app = express();
  app.use(securityHeaders());
  app.use(createPublicUiRouter(deps));
  app.use(createSecurityMiddleware(config.security));
  app.use(createApiRouter(deps));
  app.use(createUiRouter(deps));
  const server = createServer(app);
  const { port, close } = await listen(server);
  return { base: `http://127.0.0.1:${port}`, store, clock, external, setConfig: (c) => (current = c), close };
}
