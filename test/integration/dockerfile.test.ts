/**
 * The top-level Dockerfile, built without a container engine (none runs here): its steps run in
 * temporary directories (see test/helpers/dockerfile.ts), then vigil starts from the result with
 * the image's ENTRYPOINT and CMD, and the HEALTHCHECK command reports it healthy.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/alertmanager-cluster.js';
import { buildWithoutEngine, type BuiltImage } from '../helpers/dockerfile.js';
import { keepLastLines } from '../helpers/spawned.js';
import { ROOT } from '../helpers/vigil-process.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('Dockerfile (run without a container engine)', () => {
  let image: BuiltImage | undefined;

  beforeAll(async () => {
    image = await buildWithoutEngine(join(ROOT, 'Dockerfile'), ROOT);
  }, 600_000);

  afterAll(async () => {
    await image?.cleanup();
  });

  it('ships production dependencies and dist/ only, and runs as a numeric non-root user', () => {
    const img = image!;
    expect(img.user).toMatch(/^[1-9]\d*(:\d+)?$/);
    for (const dep of ['express', 'prom-client', 'undici', 'yaml']) expect(existsSync(img.path(`/app/node_modules/${dep}/package.json`)), dep).toBe(true);
    for (const dev of ['typescript', 'vitest', 'msw', 'playwright-core']) expect(existsSync(img.path(`/app/node_modules/${dev}`)), dev).toBe(false);
    expect(existsSync(img.path('/app/dist/cli.js'))).toBe(true);
    expect(existsSync(img.path('/app/src'))).toBe(false);
    expect(existsSync(img.path('/etc/vigil/config.yaml'))).toBe(true);
    // storage.type sqlite's native module, compiled in the build stage
    expect(existsSync(img.path('/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    // the steps that need the image's own root filesystem: build tools, and ping for ICMP probes
    expect(img.skipped).toEqual([expect.stringMatching(/apt-get install .*python3 make g\+\+/), expect.stringMatching(/apt-get install .*iputils-ping/)]);
  });

  it('starts vigil with the ENTRYPOINT and CMD, and the HEALTHCHECK command passes', async () => {
    const img = image!;
    const port = await freePort();
    // the image's paths mapped into the build directory; :8080 moved to a free loopback port
    const mapArg = (arg: string) =>
      arg.replace(/(^|=)(\/[^\s]*)/, (_m, prefix: string, path: string) => `${prefix}${img.path(path)}`).replace(/=:8080$/, `=127.0.0.1:${port}`);
    const [node, ...entry] = img.entrypoint;
    expect(node).toBe('node');
    const args = [...entry, ...img.cmd].map(mapArg);
    expect(args).toContain(`--web.listen-address=127.0.0.1:${port}`);
    const check = img.healthcheck!;
    expect(check[0]).toBe('node');
    expect(check.join(' ')).toContain('http://127.0.0.1:8080/-/healthy');
    const healthcheck = () =>
      promisify(execFile)(process.execPath, check.slice(1).map((a) => a.replace('127.0.0.1:8080', `127.0.0.1:${port}`)), { timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    // nothing listens yet: the check fails
    expect(await healthcheck()).toBe(false);
    const child = spawn(process.execPath, args, { cwd: img.path(img.workdir), env: { ...process.env, ...img.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs = keepLastLines(child, 40);
    try {
      const deadline = Date.now() + 30_000;
      while (!(await healthcheck())) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`vigil from the image did not become healthy:\n${logs()}`);
        await sleep(250);
      }
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('vigil_build_info{');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
