import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { TlsPair } from '../config/web-tls.js';
import type { Logger } from '../log.js';
import { createExposition } from '../metrics/exposition.js';
import { lifecycleEnabled, refuseCrossSite } from './lifecycle.js';

export interface ReloadOutcome {
  ok: boolean;
  errors: string[];
}

export interface ServerDeps {
  registry: Registry;
  logger: Logger;
  /** true once the first configuration is applied and probes are scheduled. */
  ready: () => boolean;
  reload: () => Promise<ReloadOutcome>;
  /** Middleware run before everything (security headers). */
  before?: RequestHandler[];
  /** Routers for /probe, which like /metrics stay outside basic auth. */
  open?: RequestHandler[];
  /** Routers behind `protect` (status page, API). */
  protected?: RequestHandler[];
  /** Basic-auth middleware for the page, API and /-/reload, when configured. */
  protect?: RequestHandler;
  /** `--web.enable-lifecycle`: without it /-/reload answers 403 (default off, like Prometheus). */
  lifecycle?: boolean;
}

/** Parses a Prometheus-style listen address: `:8080`, `0.0.0.0:8080`, `127.0.0.1:0`, `[::1]:8080`. */
export function parseListenAddress(address: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid listen address "${address}": expected host:port, e.g. :8080 or 127.0.0.1:8080`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/** The express app: operational routes plus the routers passed in. */
export function createApp(deps: ServerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  for (const mw of deps.before ?? []) app.use(mw);

  app.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send('vigil is Healthy.\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (deps.ready()) res.type('text/plain').send('vigil is Ready.\n');
    else res.status(503).type('text/plain').send('vigil is not ready.\n');
  });
  const reload: RequestHandler = async (_req, res) => {
    const outcome = await deps.reload();
    if (outcome.ok) res.type('text/plain').send('configuration reloaded\n');
    // the errors quote the config: only a caller who passed basic auth reads them; the log has them all
    else if (res.locals.authenticated === true) res.status(500).type('text/plain').send(`failed to reload config:\n${outcome.errors.join('\n')}\n`);
    else res.status(500).type('text/plain').send('failed to reload config; the errors are in the log\n');
  };
  const protect: RequestHandler = (req, res, next) => (deps.protect ? deps.protect(req, res, next) : next());
  const lifecycle = [lifecycleEnabled(deps.lifecycle ?? false), refuseCrossSite(), protect, reload];
  app.post('/-/reload', ...lifecycle);
  app.put('/-/reload', ...lifecycle);
  // written in slices that yield to the event loop, so a scrape of 10 000 endpoints never stalls probes
  const writeMetrics = createExposition(deps.registry);
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType);
    await writeMetrics(res);
    res.end();
  });
  for (const router of deps.open ?? []) app.use(router);
  if (deps.protect) app.use(deps.protect);
  for (const router of deps.protected ?? []) app.use(router);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // express marks what the client got wrong (a bad percent-escape in the path, a malformed body) with a 4xx status
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 400 && status < 500) {
      if (!res.headersSent) res.status(status).json({ error: 'bad request' });
      return;
    }
    deps.logger.error('request failed', { path: req.path, err });
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  /** Serving HTTPS (web.tls). */
  secure: boolean;
  /** Serve a renewed certificate to new connections (HTTPS only; open connections keep theirs). */
  setCertificate(pair: TlsPair): void;
  close(): Promise<void>;
}

/** Listens on a Prometheus-style address; with `tls`, HTTPS only (as Gatus does with web.tls). */
export async function listen(app: express.Express, address: string, tls?: TlsPair): Promise<RunningServer> {
  const { host, port } = parseListenAddress(address);
  const https: HttpsServer | undefined = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, app) : undefined;
  const server: Server = https ?? createHttpServer(app);
  // Keep idle connections longer than a scrape interval (Node's default is 5 s): Prometheus and
  // other pollers reuse them, and a client reusing one just as the server drops it sees
  // "other side closed" far less often.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const info = server.address() as AddressInfo;
  return {
    server,
    host: info.address,
    port: info.port,
    secure: https !== undefined,
    setCertificate: (pair) => https?.setSecureContext({ cert: pair.cert, key: pair.key }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
}
