import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import { parseFlags } from '../../src/flags.js';
import { silentLogger } from '../../src/log.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/blackbox/${name}`, import.meta.url));

describe('--blackbox.config.file at startup', () => {
  it('a bad module file fails startup with a located error', async () => {
    const command = parseFlags([
      `--config.file=${fixture('vigil-no-allowlist.yaml')}`,
      `--blackbox.config.file=${fixture('invalid-unknown-key.yml')}`,
      '--web.listen-address=127.0.0.1:0',
    ]);
    if (command.kind !== 'run') throw new Error('expected run');
    const started = startApp(command.flags, silentLogger);
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/invalid-unknown-key\.yml:5:7 modules\.http_2xx\.http\.valid_status_code: unknown key/);
  });

  it('mounts /probe outside basic auth with the built-in modules and the configured allowlist', async () => {
    const command = parseFlags([`--config.file=${fixture('vigil-allowlist.yaml')}`, '--web.listen-address=127.0.0.1:0']);
    if (command.kind !== 'run') throw new Error('expected run');
    const app = await startApp(command.flags, silentLogger);
    try {
      const ok = await fetch(`${app.url}/probe?module=http_2xx&target=${encodeURIComponent(`${app.url}/-/healthy`)}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^probe_success 1$/m);
      const denied = await fetch(`${app.url}/probe?module=tcp_connect&target=192.0.2.1:80`);
      expect(denied.status).toBe(403);
    } finally {
      await app.stop();
    }
  });
});
