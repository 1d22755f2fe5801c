/**
 * GET /probe?target=&module=[&debug=true]: blackbox_exporter's multi-target endpoint, so existing
 * blackbox scrape configs work against vigil. Mounted in createApp's `open` list (no basic auth,
 * like /metrics); targets are limited by `vigil.probe-allowlist`.
 */
import { Router, type Request, type Response } from 'express';
import { createProbeHandler, debugOutput, type ProbeHandlerDeps } from '../blackbox/handler.js';
import type { Logger } from '../log.js';

export interface ProbeRouteDeps extends ProbeHandlerDeps {
  logger: Logger;
}

/** First value of a query parameter (the `simple` parser gives arrays for repeats), like Go's Get. */
function param(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function plainError(res: Response, status: number, message: string): void {
  // Go's http.Error: text/plain, nosniff, message + newline
  res.status(status).set('X-Content-Type-Options', 'nosniff').type('text/plain; charset=utf-8').send(`${message}\n`);
}

export function createProbeRouter(deps: ProbeRouteDeps): Router {
  const handle = createProbeHandler(deps);
  const router = Router();
  router.get('/probe', async (req, res) => {
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableEnded) abort.abort(new Error('client closed the connection'));
    };
    res.on('close', onClose);
    try {
      const response = await handle({
        module: param(req, 'module'),
        target: param(req, 'target'),
        scrapeTimeoutHeader: req.get('X-Prometheus-Scrape-Timeout-Seconds'),
        signal: abort.signal,
      });
      if (response.kind === 'error') {
        deps.logger.debug('probe request rejected', { status: response.status, reason: response.message });
        plainError(res, response.status, response.message);
        return;
      }
      deps.logger.debug('probe done', { module: response.module.name, target: param(req, 'target'), success: response.success });
      if (param(req, 'debug') === 'true') {
        res.type('text/plain').send(await debugOutput(response));
        return;
      }
      res.type(response.registry.contentType).send(await response.registry.metrics());
    } finally {
      res.off('close', onClose);
    }
  });
  return router;
}
