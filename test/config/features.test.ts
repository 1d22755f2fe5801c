import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectConfig, loadConfig } from '../../src/config/load.js';
import {
  DEFAULT_ALERTMANAGER_TIMEOUT_MS,
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT_PROBES,
  DEFAULT_RDAP_BASE_URL,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_RESEND_INTERVAL_MS,
  DEFAULT_SITE_UI,
} from '../../src/config/schema.js';
import { ConfigError, formatIssue } from '../../src/errors.js';
import type { ConfigIssue } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
const fixture = (name: string): string => join(FIXTURES, name);
const show = (issues: readonly ConfigIssue[]): string[] =>
  issues.map((issue) => formatIssue({ ...issue, file: basename(issue.file) }));

describe('defaults', () => {
  it('fills every field of an endpoint, its client, ui and alerts', async () => {
    const config = await loadConfig(fixture('defaults.yaml'), { env: {} });
    expect(config.warnings).toEqual([]);
    expect(config.sources).toEqual([fixture('defaults.yaml')]);
    const [endpoint] = config.endpoints;
    expect(endpoint).toBeDefined();
    if (endpoint === undefined) return;
    expect(endpoint).toMatchObject({
      name: 'api',
      group: '',
      key: '_api',
      enabled: true,
      kind: 'http',
      url: 'https://example.org/health',
      intervalMs: 60_000,
      labels: {},
      ui: {
        hideConditions: false,
        hideHostname: false,
        hidePort: false,
        hideUrl: false,
        hideErrors: false,
        dontResolveFailedConditions: false,
        resolveSuccessfulConditions: false,
      },
    });
    expect(endpoint.target.url.href).toBe('https://example.org/health');
    expect(endpoint.target).toMatchObject({ method: 'GET', headers: {}, body: '' });
    expect(endpoint.target.dns).toBeUndefined();
    expect(endpoint.client).toEqual({
      timeoutMs: 10_000,
      insecure: false,
      followRedirects: true,
      maxRedirects: DEFAULT_MAX_REDIRECTS,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      network: 'ip',
      ignoreBodyErrors: false,
    });
    expect(endpoint.conditions.map((c) => c.text)).toEqual(['[STATUS] == 200']);
    expect(endpoint.conditions[0]?.compiled.evaluate({ status: 200 }).success).toBe(true);
    expect(endpoint.alerts).toEqual([
      {
        type: 'slack',
        enabled: true,
        failureThreshold: 3,
        successThreshold: 2,
        sendOnResolved: false,
        description: '',
        severity: 'critical',
        // Gatus' default send-on-resolved: false, for Alertmanager's routes
        labels: { send_resolved: 'false' },
        annotations: {},
        runbookUrl: '',
      },
    ]);
  });

  it('fills the top-level sections', async () => {
    const config = await loadConfig(fixture('defaults.yaml'), { env: {} });
    expect(config.externalEndpoints).toEqual([]);
    expect(config.metrics).toBe(false);
    expect(config.web).toEqual({ address: '0.0.0.0', port: 8080 });
    expect(config.ui).toEqual(DEFAULT_SITE_UI);
    expect(config.security).toEqual({});
    expect(config.vigil).toEqual({
      alertmanagers: [],
      resendIntervalMs: DEFAULT_RESEND_INTERVAL_MS,
      externalLabels: {},
      resolve: 'confirm',
      historySize: DEFAULT_HISTORY_SIZE,
      maxConcurrentProbes: DEFAULT_MAX_CONCURRENT_PROBES,
      gatusMetrics: false,
      durationHistogram: false,
      phaseMetrics: false,
      rdapBaseUrl: DEFAULT_RDAP_BASE_URL,
      probeMaxConcurrent: 100,
      probeMaxTimeoutMs: 60_000,
    });
  });
});

describe('directory merge', () => {
  it('deep-merges maps and appends lists across *.yaml / *.yml files in name order', async () => {
    const dir = fixture('dir-merge');
    const config = await loadConfig(dir, { env: {} });
    expect(config.sources.map((s) => basename(s))).toEqual(['00-base.yaml', '10-more.yml']);
    expect(config.endpoints.map((e) => e.key)).toEqual(['core_api', 'core_db']);
    expect(config.endpoints[1]?.kind).toBe('tcp');
    expect(config.web).toEqual({ address: '127.0.0.1', port: 9090 });
    expect(config.vigil.externalLabels).toEqual({ region: 'eu-west-1', team: 'sre' });
    expect(config.metrics).toBe(true);
  });

  it('rejects a scalar set in two files, naming both places', async () => {
    const err = await loadConfig(fixture('dir-conflict'), { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(show(issues)).toEqual([
      `b.yaml:2:9 web.port: set in both ${fixture('dir-conflict/a.yaml')}:2:9 and ${fixture('dir-conflict/b.yaml')}:2:9`,
    ]);
  });

  it('reports a directory without YAML files as not found', async () => {
    const err = await loadConfig(fixture('dir-empty')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ConfigError).code).toBe('VIGIL_CONFIG_NOT_FOUND');
  });
});

describe('environment expansion', () => {
  const env = { API_HOST: 'api.example.org', API_TOKEN: 'abc123', INTERVAL: '30s', PORT: '9100' };

  it('expands ${VAR} and $VAR inside scalars, and $$ to a literal $', async () => {
    const config = await loadConfig(fixture('env.yaml'), { env: { ...env, REGION: 'eu' } });
    const [endpoint] = config.endpoints;
    expect(endpoint?.url).toBe('https://api.example.org/health?token=abc123');
    expect(endpoint?.target.headers).toEqual({ Authorization: 'Bearer abc123', 'X-Region': 'eu', 'X-Price': '$5' });
    expect(endpoint?.intervalMs).toBe(30_000);
    expect(config.web?.port).toBe(9100);
    expect(config.warnings).toEqual([]);
  });

  it('expands an unset variable to empty, with one located warning naming it', async () => {
    const config = await loadConfig(fixture('env.yaml'), { env });
    expect(config.endpoints[0]?.target.headers['X-Region']).toBe('');
    expect(show(config.warnings)).toEqual([
      'env.yaml:6:17 endpoints[0].headers.X-Region: environment variable REGION is not set; expanded to an empty string',
    ]);
  });
});

describe('Gatus compatibility', () => {
  it('loads a full Gatus config with one warning per unimplemented key', async () => {
    const config = await loadConfig(fixture('gatus-full.yaml'), { env: {} });
    expect(config.endpoints.map((e) => [e.key, e.kind, e.enabled])).toEqual([
      ['frontend_website', 'http', true],
      ['core_api', 'http', true],
      ['core_websocket', 'websocket', true],
      ['infra_smtp', 'starttls', true],
      ['infra_ping', 'icmp', false],
    ]);
    const lines = show(config.warnings);
    for (const key of [
      'debug', 'disable-monitoring-lock', 'skip-invalid-config-update', 'concurrency',
      'web.read-buffer-size', 'alerting.slack', 'alerting.pagerduty',
      'alerting.email', 'alerting.discord', 'endpoints[0].alerts[1].minimum-reminder-interval',
      'endpoints[1].alerts[0].provider-override',
    ]) {
      expect(lines.filter((l) => l.includes(` ${key}: `)), key).toHaveLength(1);
    }
    expect(lines).toHaveLength(11);
    // storage.type sqlite is implemented now: the file's path is kept, no warning
    expect(config.storage).toMatchObject({ type: 'sqlite', path: expect.any(String) });
    expect(config.endpoints[1]?.ui.responseTimeThresholdsMs).toEqual([100, 200, 300, 500, 1000]);
    expect(config.maintenance).toHaveLength(1);
    expect(config.vigil.historySize).toBe(200); // storage.maximum-number-of-results
    expect(config.endpoints[1]?.maintenanceWindows).toHaveLength(1);
    expect(lines.filter((l) => l.includes('oauth2'))).toEqual([]);
    expect(lines).toContain('gatus-full.yaml:6:1 concurrency: Gatus setting not implemented by vigil; ignored');
    // no secret from the alerting section or anywhere else leaks into a warning
    for (const secret of ['XXXXXXXX', 'smtp-password-123', 'abcdefsecret', 'oauth-client-secret', 'OVERRIDESECRET']) {
      expect(lines.join('\n')).not.toContain(secret);
    }
    expect(config.ui).toEqual({
      ...DEFAULT_SITE_UI,
      title: 'Status | Example Corp',
      description: 'Live status of Example Corp services',
      header: 'Example Corp status',
      link: 'https://example.org',
      darkMode: false,
      logo: 'https://example.org/logo.png',
      defaultSortBy: 'health',
      buttons: [
        { name: 'Home', link: 'https://example.org' },
        { name: 'Runbooks', link: 'https://wiki.example.org/runbooks' },
      ],
    });
    expect(config.security.basic?.username).toBe('admin');
    expect(config.metrics).toBe(true);
  });

  it('builds client.proxy-url and client.oauth2 into the probe options; warns about non-http proxies', async () => {
    const config = await loadConfig(fixture('client-proxy-oauth2.yaml'), { env: { OAUTH_SECRET: 'from-the-env-secret' } });
    const [proxied, socks] = config.endpoints;
    expect(proxied?.client).toMatchObject({
      proxyUrl: 'http://probe:proxy-password@proxy.internal:3128',
      dnsResolver: 'udp://127.0.0.1:5353',
      oauth2: {
        tokenUrl: 'https://auth.example.org/oauth/token',
        clientId: 'vigil',
        clientSecret: 'from-the-env-secret',
        scopes: ['health:read', 'metrics'],
      },
    });
    expect(socks?.client.proxyUrl).toBe('socks5://probe:socks-password@proxy.internal:1080');
    expect(show(config.warnings)).toEqual([
      'client-proxy-oauth2.yaml:17:18 endpoints[1].client.proxy-url: only http:// proxies are supported; HTTP probes through this socks5 proxy fail',
    ]);
  });

  it('applies alerting.<provider>.default-alert to alerts of that type', async () => {
    const config = await loadConfig(fixture('gatus-full.yaml'), { env: {} });
    const [website, api] = config.endpoints;
    expect(website?.alerts.map((a) => [a.type, a.failureThreshold, a.successThreshold, a.sendOnResolved, a.description])).toEqual([
      ['slack', 5, 3, true, 'health check failed'],
      ['pagerduty', 3, 2, true, 'website is down'],
    ]);
    expect(api?.alerts[0]?.failureThreshold).toBe(5);
    expect(api?.client).toMatchObject({ timeoutMs: 5000, followRedirects: false, network: 'ip4', dnsResolver: 'udp://1.1.1.1:53' });
    expect(api?.client.oauth2).toEqual({
      tokenUrl: 'https://auth.example.org/token',
      clientId: 'gatus',
      clientSecret: 'oauth-client-secret',
      scopes: ['health:read'],
    });
    expect(api?.target).toMatchObject({ method: 'POST', body: '{"check": "deep"}', headers: { 'Content-Type': 'application/json' } });
    expect(api?.ui.hideUrl).toBe(true);
    expect(api?.labels).toEqual({ team: 'core' });
  });

  it('loads DNS, SSH, TCP, TLS and gRPC endpoints, YAML anchors and merge keys', async () => {
    const config = await loadConfig(fixture('gatus-dns-ssh.yaml'), { env: {} });
    const byName = new Map(config.endpoints.map((e) => [e.name, e]));
    const dns = byName.get('resolve example.org');
    expect(dns?.key).toBe('dns_resolve-example-org');
    expect(dns?.kind).toBe('dns');
    expect(dns?.target.url.href).toBe('dns://8.8.8.8');
    expect(dns?.target.dns).toEqual({ queryType: 'A', queryName: 'example.org.' });
    expect(dns?.intervalMs).toBe(30_000);
    expect(dns?.client.timeoutMs).toBe(3000);
    expect(byName.get('mx records')?.target.url.host).toBe('1.1.1.1:53');
    expect(byName.get('bastion')?.target.ssh).toEqual({ username: 'monitor', password: 'ssh-password-xyz' });
    expect(byName.get('bastion-banner')?.target.ssh).toBeUndefined();
    expect(byName.get('postgres')?.kind).toBe('tcp');
    expect(byName.get('tls-frontend')?.kind).toBe('tls');
    expect(byName.get('grpc-health')?.kind).toBe('grpc');
    expect(byName.get('grpc-health')?.client.tls).toEqual({ certificateFile: '/certs/client.crt', privateKeyFile: '/certs/client.key' });
    expect(byName.get('domain')?.intervalMs).toBe(3_600_000);
    expect(show(config.warnings)).toEqual([
      'gatus-dns-ssh.yaml:65:9 endpoints[6].client.tls.renegotiation: Gatus setting not implemented by vigil; ignored',
    ]);
  });

  it('loads external endpoints with heartbeat and announcements, and warns about remote', async () => {
    const config = await loadConfig(fixture('gatus-external.yaml'), { env: {} });
    expect(config.externalEndpoints).toEqual([
      {
        name: 'nightly-backup',
        group: 'jobs',
        key: 'jobs_nightly-backup',
        enabled: true,
        token: 'backup-push-token-123',
        alerts: [expect.objectContaining({ type: 'ntfy', sendOnResolved: true, failureThreshold: 3 })],
        heartbeatIntervalMs: 25 * 3_600_000,
        labels: {},
        maintenanceWindows: [],
        redactor: expect.objectContaining({ secrets: expect.arrayContaining(['backup-push-token-123']) }),
      },
      expect.objectContaining({
        key: 'ci_deploy',
        heartbeatIntervalMs: 0,
        alerts: [],
        maintenanceWindows: [{ startMinutes: 0, durationMs: 2 * 3_600_000, timezone: 'UTC', every: [] }],
      }),
    ]);
    expect(show(config.warnings).map((l) => l.split(': ')[0])).toEqual([
      'gatus-external.yaml:2:1 remote',
      'gatus-external.yaml:13:3 alerting.teams-workflows',
      'gatus-external.yaml:15:3 alerting.ntfy',
    ]);
    expect(config.announcements).toEqual([{ timestamp: Date.UTC(2025, 0, 1, 10), type: 'outage', message: 'Scheduled upgrade', archived: false }]);
  });
});

describe('Gatus compatibility: configs from Gatus\' examples and README', () => {
  const loadFixture = (name: string) => loadConfig(fixture(name), { env: {} });

  it('loads a config of suites alone, as Gatus does, with one warning', async () => {
    const config = await loadFixture('gatus-suites-only.yaml');
    expect(config.endpoints).toEqual([]);
    expect(show(config.warnings)).toEqual(['gatus-suites-only.yaml:2:1 suites: Gatus setting not implemented by vigil; ignored']);
  });

  it('loads sctp:// endpoints disabled, with one warning each', async () => {
    const config = await loadFixture('gatus-sctp.yaml');
    expect(config.endpoints.map((e) => [e.key, e.enabled])).toEqual([
      ['core_amf-n2', false],
      ['_web', true],
      ['core_amf-n2-backup', false],
    ]);
    const notProbed = 'sctp endpoints are not implemented by vigil; this endpoint is not probed';
    expect(show(config.warnings)).toEqual([
      `gatus-sctp.yaml:5:10 endpoints[0].url: ${notProbed}`,
      `gatus-sctp.yaml:14:10 endpoints[2].url: ${notProbed}`,
    ]);
  });

  it('accepts a top-level key that holds a YAML anchor, with one warning', async () => {
    const config = await loadFixture('gatus-anchor-holder.yaml');
    expect(config.endpoints.map((e) => [e.key, e.intervalMs, e.conditions.length])).toEqual([
      ['shop_cart', 120_000, 1],
      ['shop_checkout', 30_000, 1],
    ]);
    expect(show(config.warnings)).toEqual([
      'gatus-anchor-holder.yaml:2:1 common: not a Gatus or vigil setting; ignored except as the YAML anchor &common',
    ]);
  });

  it('keeps the anchor of a holder key merged from several files of a directory', async () => {
    const config = await loadFixture('dir-anchors');
    expect(config.endpoints.map((e) => [e.key, e.conditions.map((c) => c.text)])).toEqual([
      ['_api', ['[STATUS] == 200']],
      ['_db', ['[CONNECTED] == true']],
    ]);
    expect(show(config.warnings)).toEqual([
      'a.yaml:2:1 defaults: not a Gatus or vigil setting; ignored except as the YAML anchor &defaults',
    ]);
  });
});

describe('vigil section', () => {
  it('accepts Alertmanagers as URL strings or objects', async () => {
    const report = await inspectConfig(fixture('vigil-section.yaml'), { env: { AM_TOKEN: 'tok' } });
    expect(report.errors).toEqual([]);
    expect(report.config?.vigil).toEqual({
      alertmanagers: [
        { url: 'http://am-1:9093', timeoutMs: DEFAULT_ALERTMANAGER_TIMEOUT_MS },
        {
          url: 'https://am-2.example.org/prefix',
          timeoutMs: 5000,
          bearerToken: 'tok',
          tls: { insecure: true, caFile: '/etc/ca.pem', certificateFile: '/etc/c.pem', privateKeyFile: '/etc/k.pem' },
        },
        { url: 'http://am-3:9093', timeoutMs: DEFAULT_ALERTMANAGER_TIMEOUT_MS, basicAuth: { username: 'u', password: 'p' } },
      ],
      resendIntervalMs: 30_000,
      externalLabels: { region: 'eu' },
      resolve: 'expire',
      historySize: 500,
      maxConcurrentProbes: 8,
      gatusMetrics: true,
      durationHistogram: false,
      phaseMetrics: false,
      rdapBaseUrl: 'http://rdap.internal:8080',
      probeMaxConcurrent: 100,
      probeMaxTimeoutMs: 60_000,
    });
  });
});
