// blackbox_exporter driven by Prometheus, for bench/fleet.mjs: both started as child processes on
// free ports with temporary configs; Prometheus scrapes /probe?module=http_2xx&target=<url> for
// every target at the given interval, so the exporter probes at the same rate as vigil.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './lib.mjs';
import { freePort } from './fleet-target.mjs';

export const BLACKBOX = ['/usr/bin/prometheus-blackbox-exporter', '/usr/bin/blackbox_exporter'].find((p) => existsSync(p));
export const PROMETHEUS = ['/usr/bin/prometheus'].find((p) => existsSync(p));

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const CLOCK_TICKS_PER_S = 100;
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S) * 1000;
}

async function waitHttp(url, child, name) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${name} did not become ready`);
}

/** Starts the pair; `urls` are the probe targets. Resolves with pids and a stop(). */
export async function startBlackboxPair(urls, intervalMs) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-blackbox-'));
  const bbPort = await freePort();
  const promPort = await freePort();
  writeFileSync(join(dir, 'blackbox.yml'), 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n');
  const seconds = `${Math.round(intervalMs / 1000)}s`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${seconds}`,
      '  scrape_timeout: 5s',
      'scrape_configs:',
      '  - job_name: blackbox',
      '    metrics_path: /probe',
      '    params: { module: [http_2xx] }',
      '    static_configs:',
      `      - targets: ${JSON.stringify(urls)}`,
      '    relabel_configs:',
      '      - { source_labels: [__address__], target_label: __param_target }',
      '      - { source_labels: [__param_target], target_label: instance }',
      `      - { target_label: __address__, replacement: "127.0.0.1:${bbPort}" }`,
    ].join('\n'),
  );
  const blackbox = spawn(BLACKBOX ?? 'blackbox_exporter', [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${bbPort}`], { stdio: 'ignore' });
  const prometheus = spawn(
    PROMETHEUS ?? 'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    for (const child of [prometheus, blackbox]) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHttp(`http://127.0.0.1:${bbPort}/-/healthy`, blackbox, 'blackbox_exporter');
    await waitHttp(`http://127.0.0.1:${promPort}/-/ready`, prometheus, 'prometheus');
  } catch (err) {
    await stop();
    throw err;
  }
  return { pids: [blackbox.pid ?? 0, prometheus.pid ?? 0], stop };
}
