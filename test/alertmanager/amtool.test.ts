import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';

const run = promisify(execFile);
const amtool = requireBinary('amtool');
const CONFIG = resolve(import.meta.dirname, '../../alertmanager/alertmanager.yml');
const TEMPLATES = resolve(import.meta.dirname, '../../alertmanager/templates/*.tmpl');

interface AmtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function amtoolRun(binary: string, args: string[]): Promise<AmtoolResult> {
  try {
    const { stdout, stderr } = await run(binary, args, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Receivers amtool resolves for a label set, in route order. */
async function routeOf(binary: string, labels: Record<string, string>): Promise<string[]> {
  const args = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
  const result = await amtoolRun(binary, ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split(',');
}

async function verifyRoute(binary: string, labels: Record<string, string>, receivers: string[]): Promise<AmtoolResult> {
  const args = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
  return amtoolRun(binary, [
    'config',
    'routes',
    'test',
    `--config.file=${CONFIG}`,
    `--verify.receivers=${receivers.join(',')}`,
    ...args,
  ]);
}

const endpointDown = { alertname: 'EndpointDown', endpoint: 'api', group: 'core' };

describe.skipIf(!amtool)('alertmanager/alertmanager.yml (amtool)', () => {
  const binary = amtool ?? 'amtool';

  it('passes amtool check-config, templates and inhibit rule included, without the secret files present', async () => {
    const result = await amtoolRun(binary, ['check-config', CONFIG]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).toContain('1 inhibit rules');
    expect(result.stdout).toContain('1 templates');
  });

  it.each([
    ['EndpointDown critical → Slack and email', { ...endpointDown, severity: 'critical', receiver_hint: 'slack' }, ['slack', 'email']],
    ['EndpointDown critical without a hint → Slack and email', { ...endpointDown, severity: 'critical' }, ['slack', 'email']],
    ['EndpointDown warning → email only', { ...endpointDown, severity: 'warning' }, ['email']],
    ['EndpointDown warning with receiver_hint=slack → Slack and email', { ...endpointDown, severity: 'warning', receiver_hint: 'slack' }, ['slack', 'email']],
    ['CertificateExpiringSoon warning → email only', { alertname: 'CertificateExpiringSoon', endpoint: 'api', group: 'core', severity: 'warning' }, ['email']],
    ['Watchdog (severity none) → heartbeat only, never Slack or email', { alertname: 'Watchdog', severity: 'none' }, ['heartbeat']],
    ['an alert with no known labels → email (catch-all)', { alertname: 'Something' }, ['email']],
  ])('routes %s', async (_name, labels, receivers) => {
    expect(await routeOf(binary, labels)).toEqual(receivers);
    const verified = await verifyRoute(binary, labels, receivers);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it('--verify.receivers fails when the expectation is wrong (the check is not vacuous)', async () => {
    const verified = await verifyRoute(binary, { ...endpointDown, severity: 'critical' }, ['slack']);
    expect(verified.code).not.toBe(0);
    const watchdog = await verifyRoute(binary, { alertname: 'Watchdog', severity: 'none' }, ['email']);
    expect(watchdog.code).not.toBe(0);
  });

  describe('templates/vigil.tmpl', () => {
    let dir = '';
    const alert = {
      labels: { ...endpointDown, severity: 'critical' },
      annotations: {
        summary: 'api is down',
        failing_conditions: '[STATUS] (500) == 200',
        replica: 'vigil-2',
        runbook_url: 'https://runbooks.example.org/endpoint-down',
      },
      startsAt: '2024-01-01T10:00:00Z',
      fingerprint: '9574ec6f190fe4e8',
    };
    const data = (status: 'firing' | 'resolved') => ({
      receiver: 'slack',
      status,
      alerts: [{ ...alert, status, endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2024-01-01T10:05:00Z' }],
      groupLabels: endpointDown,
      commonLabels: alert.labels,
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example.org:9093',
    });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vigil-amtool-'));
      await writeFile(join(dir, 'firing.json'), JSON.stringify(data('firing')));
      await writeFile(join(dir, 'resolved.json'), JSON.stringify(data('resolved')));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function render(file: string, text: string): Promise<string> {
      const result = await amtoolRun(binary, [
        'template',
        'render',
        `--template.glob=${TEMPLATES}`,
        `--template.data=${join(dir, file)}`,
        `--template.text=${text}`,
      ]);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    }

    it('titles a firing group [FIRING:n] with group/endpoint, and a resolved one [RESOLVED]', async () => {
      expect((await render('firing.json', '{{ template "vigil.slack.title" . }}')).trim()).toBe('[FIRING:1] EndpointDown core/api');
      expect((await render('resolved.json', '{{ template "vigil.slack.title" . }}')).trim()).toBe('[RESOLVED] EndpointDown core/api');
      expect((await render('firing.json', '{{ template "vigil.email.subject" . }}')).trim()).toBe('[FIRING:1] EndpointDown core/api');
    });

    it('shows endpoint, group, failing conditions, the replica and the runbook in the Slack text', async () => {
      const text = await render('firing.json', '{{ template "vigil.slack.text" . }}');
      expect(text).toContain('*Endpoint:* api');
      expect(text).toContain('*Group:* core');
      expect(text).toContain('api is down');
      expect(text).toContain('[STATUS] (500) == 200');
      expect(text).toContain('*Reported by replica:* vigil-2');
      expect(text).toContain('https://runbooks.example.org/endpoint-down');
      expect((await render('firing.json', '{{ template "vigil.slack.titlelink" . }}')).trim()).toBe(
        'https://runbooks.example.org/endpoint-down',
      );
    });

    it('omits the (firing-time) summary and failing conditions once resolved and shows the resolve time', async () => {
      const text = await render('resolved.json', '{{ template "vigil.slack.text" . }}');
      expect(text).not.toContain('Failing conditions');
      expect(text).not.toContain('api is down');
      expect(text).toContain('*Resolved:* 2024-01-01 10:05:00 UTC');
    });
  });
});
