import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/alerting/fingerprint.js';

describe('fingerprint', () => {
  it.each([
    [{ alertname: 'EndpointDown', endpoint: 'api', group: 'core', severity: 'critical' }, '9574ec6f190fe4e8'],
    [{ alertname: 'Watchdog' }, '003b0a0f7d3fa569'],
    [{}, 'cbf29ce484222325'],
  ])('matches the fingerprint Alertmanager reports for %j', (labels, expected) => {
    expect(fingerprint(labels)).toBe(expected);
  });

  it('does not depend on the order labels were written in', () => {
    expect(fingerprint({ severity: 'critical', group: 'core', endpoint: 'api', alertname: 'EndpointDown' })).toBe('9574ec6f190fe4e8');
  });

  it('ignores labels with an empty value, as Alertmanager drops them', () => {
    expect(fingerprint({ alertname: 'Watchdog', team: '' })).toBe('003b0a0f7d3fa569');
  });

  it('always prints 16 lowercase hex digits', () => {
    for (const value of ['a', 'b', 'ü', '日本', '']) {
      expect(fingerprint({ x: value })).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('sorts names by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) by bytes, after it by UTF-16 code units.
    expect('\uFF21' < '\u{1F600}').toBe(false);
    const bytes = Buffer.concat([
      Buffer.from('\uFF21'), Buffer.of(0xff), Buffer.from('1'), Buffer.of(0xff),
      Buffer.from('\u{1F600}'), Buffer.of(0xff), Buffer.from('2'), Buffer.of(0xff),
    ]);
    let h = 0xcbf29ce484222325n;
    for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 1099511628211n);
    expect(fingerprint({ '\u{1F600}': '2', '\uFF21': '1' })).toBe(h.toString(16).padStart(16, '0'));
  });
});
