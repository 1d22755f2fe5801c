import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../helpers/binaries.js';

const CONFIG = resolve(import.meta.dirname, '../../alertmanager/alertmanager.yml');
const amtool = requireBinary('amtool');

interface Receiver {
  name: string;
  slack_configs?: Array<Record<string, unknown>>;
  email_configs?: Array<Record<string, unknown>>;
}

interface Route {
  receiver?: string;
  matchers?: string[];
  mute_time_intervals?: string[];
  routes?: Route[];
}

describe('alertmanager/alertmanager.yml: the maintenance time-interval option', () => {
  it('every child of the maintenance="nightly" route is muted by the nightly interval (Alertmanager does not inherit mutes)', async () => {
    const doc = parse(await readFile(CONFIG, 'utf8')) as { route: Route; time_intervals: Array<{ name: string }> };
    const route = doc.route.routes?.find((r) => r.matchers?.includes('maintenance="nightly"'));
    expect(route?.routes?.map((r) => [r.receiver, r.mute_time_intervals])).toEqual([
      ['slack', ['nightly']],
      ['slack', ['nightly']],
      ['email', ['nightly']],
    ]);
    expect(doc.time_intervals.map((t) => t.name)).toEqual(['nightly']);
  });

  it.skipIf(!amtool)('routes a labelled alert to the same receivers as an unlabelled one (amtool)', async () => {
    const run = promisify(execFile);
    const test = async (labels: string[]) =>
      (await run(amtool ?? 'amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...labels])).stdout.trim();
    for (const severity of ['critical', 'warning']) {
      const labels = ['alertname=EndpointDown', 'endpoint=api', `severity=${severity}`, 'receiver_hint=slack'];
      expect(await test([...labels, 'maintenance=nightly'])).toBe(await test(labels));
    }
  });
});

describe('alertmanager/alertmanager.yml: Gatus send-on-resolved: false', () => {
  it('the -no-resolved receivers are the same integrations with send_resolved: false', async () => {
    const doc = parse(await readFile(CONFIG, 'utf8'), { merge: true }) as { receivers: Receiver[] };
    const byName = new Map(doc.receivers.map((r) => [r.name, r]));
    const slack = byName.get('slack')?.slack_configs?.[0];
    const email = byName.get('email')?.email_configs?.[0];
    expect(slack?.send_resolved).toBe(true);
    expect(email?.send_resolved).toBe(true);
    expect(byName.get('slack-no-resolved')?.slack_configs).toEqual([{ ...slack, send_resolved: false }]);
    expect(byName.get('email-no-resolved')?.email_configs).toEqual([{ ...email, send_resolved: false }]);
  });

  it.skipIf(!amtool)('routes alerts labelled send_resolved="false" to them, others as before (amtool)', async () => {
    const run = promisify(execFile);
    const test = async (labels: string[]) =>
      (await run(amtool ?? 'amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, 'alertname=EndpointDown', ...labels])).stdout.trim();
    expect(await test(['severity=critical', 'send_resolved=false'])).toBe('slack-no-resolved,email-no-resolved');
    expect(await test(['severity=warning', 'receiver_hint=slack', 'send_resolved=false'])).toBe('slack-no-resolved,email-no-resolved');
    expect(await test(['severity=warning', 'send_resolved=false'])).toBe('email-no-resolved');
    expect(await test(['severity=critical'])).toBe('slack,email');
  });
});
