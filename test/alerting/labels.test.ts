import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { alertName, buildAlert, isValidUtf8, validateAlert, watchdogLabels } from '../../src/alerting/labels.js';
import type { AlertContext } from '../../src/alerting/labels.js';
import { endpoint, rule } from './helpers.js';

function ctx(overrides: Partial<AlertContext> = {}): AlertContext {
  return { endpoint: endpoint(), rule: rule(), externalLabels: {}, conditionResults: [], replica: 'vigil-0', ...overrides };
}

describe('buildAlert', () => {
  it('labels an endpoint failure with alertname, endpoint, group, severity and receiver_hint', () => {
    const { labels } = buildAlert(ctx());
    expect(labels).toEqual({ alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical', receiver_hint: 'slack' });
  });

  it('gives identical labels on every replica; the replica is an annotation', () => {
    const a = buildAlert(ctx({ replica: 'vigil-0' }));
    const b = buildAlert(ctx({ replica: 'vigil-1' }));
    expect(fingerprint(a.labels)).toBe(fingerprint(b.labels));
    expect(a.annotations.replica).toBe('vigil-0');
    expect(b.annotations.replica).toBe('vigil-1');
    expect(Object.keys(a.labels)).not.toContain('replica');
  });

  it('adds endpoint, rule and external labels, drops replica-like ones, and keeps vigil\'s own labels', () => {
    const { labels } = buildAlert(
      ctx({
        endpoint: endpoint({ labels: { team: 'web', tier: 'front' } }),
        rule: rule({ labels: { tier: 'back', severity: 'info' }, severity: 'warning' }),
        externalLabels: { region: 'eu', replica: 'a', team: 'ignored' },
      }),
    );
    expect(labels).toEqual({
      alertname: 'EndpointDown',
      endpoint: 'api',
      group: 'core',
      severity: 'warning',
      receiver_hint: 'slack',
      team: 'web',
      tier: 'back',
      region: 'eu',
    });
  });

  it('annotates summary, description, failing conditions, replica, runbook and the rule\'s annotations', () => {
    const { annotations } = buildAlert(
      ctx({
        rule: rule({ runbookUrl: 'https://runbooks/api', annotations: { dashboard: 'https://grafana/d/x' } }),
        conditionResults: [
          { condition: '[STATUS] == 200', success: false, rendered: '[STATUS] (500) == 200' },
          { condition: '[RESPONSE_TIME] < 300', success: true, rendered: '[RESPONSE_TIME] < 300' },
          { condition: '[BODY].status == UP', success: false, rendered: '[BODY].status (DOWN) == UP' },
        ],
      }),
    );
    expect(annotations).toMatchObject({
      summary: 'Endpoint core/api is failing',
      failing_conditions: '[STATUS] (500) == 200\n[BODY].status (DOWN) == UP',
      replica: 'vigil-0',
      runbook_url: 'https://runbooks/api',
      dashboard: 'https://grafana/d/x',
    });
    expect(annotations.description).toContain('3 consecutive');
  });

  it('uses the rule description when it has one', () => {
    expect(buildAlert(ctx({ rule: rule({ description: 'API down' }) })).annotations.description).toBe('API down');
  });
});

describe('alertName', () => {
  const cert = { condition: '[CERTIFICATE_EXPIRATION] > 48h', success: false, rendered: '[CERTIFICATE_EXPIRATION] (24h) > 48h' };
  const status = { condition: '[STATUS] == 200', success: false, rendered: '[STATUS] (500) == 200' };
  it('is CertificateExpiringSoon when only certificate conditions fail', () => {
    expect(alertName([cert, { ...status, success: true }])).toBe('CertificateExpiringSoon');
  });
  it('is EndpointDown when any other condition fails, or none is known', () => {
    expect(alertName([cert, status])).toBe('EndpointDown');
    expect(alertName([])).toBe('EndpointDown');
  });
});

describe('validateAlert (Alertmanager\'s rules)', () => {
  const valid = { labels: { alertname: 'X' }, annotations: {} };
  it('accepts a valid alert', () => {
    expect(validateAlert({ ...valid, startsAt: '2024-01-01T00:00:00.000Z', endsAt: '2024-01-01T00:00:00.000Z' })).toEqual([]);
  });
  it.each(['1abc', 'a-b', 'a.b', '', 'é'])('rejects the label name %j', (name) => {
    expect(validateAlert({ labels: { alertname: 'X', [name]: 'v' }, annotations: {} })).toEqual([`invalid label name "${name}"`]);
  });
  it('ignores empty-valued labels, which Alertmanager drops before validating', () => {
    expect(validateAlert({ labels: { alertname: 'X', 'bad-name': '' }, annotations: {} })).toEqual([]);
  });
  it('rejects invalid annotation names too', () => {
    expect(validateAlert({ ...valid, annotations: { 'runbook-url': 'x' } })).toEqual(['invalid annotation name "runbook-url"']);
  });
  it('rejects an empty label set (also when every value is empty)', () => {
    expect(validateAlert({ labels: {}, annotations: {} })).toEqual(['at least one label pair required']);
    expect(validateAlert({ labels: { a: '' }, annotations: {} })).toEqual(['at least one label pair required']);
  });
  it('rejects values that are not valid UTF-8 (lone surrogates)', () => {
    expect(isValidUtf8('ok \u{1F600}')).toBe(true);
    expect(isValidUtf8('bad \uD800')).toBe(false);
    expect(isValidUtf8('bad \uDC00x')).toBe(false);
    expect(validateAlert({ labels: { alertname: 'X\uD800' }, annotations: {} })).toEqual(['label "alertname" has an invalid UTF-8 value']);
  });
  it('rejects endsAt before startsAt', () => {
    expect(validateAlert({ ...valid, startsAt: '2024-01-01T00:00:01Z', endsAt: '2024-01-01T00:00:00Z' })).toEqual(['endsAt is before startsAt']);
  });
});

describe('watchdogLabels', () => {
  it('is alertname=Watchdog, severity=none plus external labels', () => {
    expect(watchdogLabels({ region: 'eu' })).toEqual({ region: 'eu', alertname: 'Watchdog', severity: 'none' });
  });
});
