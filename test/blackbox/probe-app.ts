/** A vigil web app serving only `/probe` on a free loopback port, for the /probe route tests. */
import { Registry } from 'prom-client';
import { silentLogger } from '../../src/log.js';
import { probers } from '../../src/probe/index.js';
import { createProbeRouter, type ProbeRouteDeps } from '../../src/web/probe-route.js';
import { createApp, listen, type RunningServer } from '../../src/web/server.js';

export async function startProbeApp(deps: Omit<ProbeRouteDeps, 'probers' | 'logger'>): Promise<{ base: string; app: RunningServer }> {
  const router = createProbeRouter({ ...deps, probers, logger: silentLogger });
  const app = await listen(
    createApp({ registry: new Registry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), open: [router] }),
    '127.0.0.1:0',
  );
  return { base: `http://127.0.0.1:${app.port}`, app };
}
