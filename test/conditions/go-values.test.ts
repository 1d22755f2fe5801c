import { describe, expect, it } from 'vitest';
import {
  byteLength,
  formatDurationMs,
  formatGoValue,
  goJsonMarshal,
  parseGoDurationMs,
  parseGoFloatToInt,
  parseGoInt,
} from '../../src/conditions/go-values.js';
import { toInt64 } from '../../src/conditions/evaluate.js';

describe('parseGoInt (strconv.ParseInt base 0)', () => {
  it.each([
    ['0', 0n], ['42', 42n], ['-42', -42n], ['+7', 7n], ['0x1F', 31n], ['0X1f', 31n], ['0b101', 5n], ['0o17', 15n],
    ['017', 15n], ['1_000', 1000n], ['0x_ff', 255n], ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('%s → %s', (s, n) => {
    expect(parseGoInt(s)).toBe(n);
  });
  it.each(['', '-', '1.0', '08', '0x', '1__0', '_1', '1_', 'abc', ' 1', '9223372036854775808', '1e3'])('%j is not an integer', (s) => {
    expect(parseGoInt(s)).toBeNull();
  });
});

describe('parseGoFloatToInt (ParseFloat then int64())', () => {
  it.each([['1.9', 1n], ['-1.9', -1n], ['1e3', 1000n], ['.5', 0n], ['5.', 5n], ['1e30', 9223372036854775807n]])('%s → %s', (s, n) => {
    expect(parseGoFloatToInt(s)).toBe(n);
  });
  it.each(['x', '1.2.3', '', 'e5'])('%j is not a float', (s) => {
    expect(parseGoFloatToInt(s)).toBeNull();
  });
});

describe('parseGoDurationMs (time.ParseDuration)', () => {
  it.each([
    ['48h', 172_800_000n], ['1h30m', 5_400_000n], ['30s', 30_000n], ['1.5s', 1500n], ['250ms', 250n], ['1500us', 1n],
    ['1500µs', 1n], ['999999ns', 0n], ['-5m', -300_000n], ['+1s', 1000n], ['.5h', 1_800_000n], ['1h0m15s', 3_615_000n],
  ])('%s → %s ms', (s, ms) => {
    expect(parseGoDurationMs(s)).toBe(ms);
  });
  it.each(['0', '500', '', 'h', '1d', '1 h', '1hh', 'potato', '1e3s'])('%j is not a duration', (s) => {
    expect(parseGoDurationMs(s)).toBeNull();
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0n, '0s'], [999n, '0s'], [1000n, '1s'], [30_000n, '30s'], [600_000n, '10m'], [90_000n, '1m30s'],
    [5_400_000n, '1h30m'], [3_615_000n, '1h0m15s'], [1_209_600_000n, '336h'], [-3_600_000n, '-1h'], [86_399_999n, '23h59m59s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});

describe('toInt64 (Gatus numeric reading)', () => {
  it.each([['1m', 60_000n], ['0x10', 16n], ['2.7', 2n], ['UP', 0n], ['', 0n], ['0s', 0n], ['[BODY].x (INVALID)', 0n]])('%j → %s', (s, n) => {
    expect(toInt64(s)).toBe(n);
  });
});

describe('Go value formatting', () => {
  it('formats JSON values like fmt %v', () => {
    expect(formatGoValue(['a', 1, 2.5, true, null, [1], { b: 1, a: 'x' }])).toBe('[a 1 2.5 true <nil> [1] map[a:x b:1]]');
  });
  it('marshals like encoding/json: sorted keys, minified, HTML-escaped', () => {
    expect(goJsonMarshal({ z: [1, 'a&b'], a: { y: null, x: '<p>' } })).toBe('{"a":{"x":"\\u003cp\\u003e","y":null},"z":[1,"a\\u0026b"]}');
  });
  it('counts bytes like Go len()', () => {
    expect(byteLength('héllo')).toBe(6);
    expect(byteLength('日本')).toBe(6);
  });
});
