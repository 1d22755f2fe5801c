import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, formatUptime, renderBadge, responseTimeColor, uptimeColor } from '../../src/web/badges.js';
import { parseGoDurationMs, safeEqual } from '../../src/web/external.js';

describe('badge colours follow Gatus thresholds', () => {
  it.each([
    [1, BADGE_COLORS.awesome],
    [0.975, BADGE_COLORS.awesome],
    [0.96, BADGE_COLORS.great],
    [0.91, BADGE_COLORS.good],
    [0.85, BADGE_COLORS.passable],
    [0.7, BADGE_COLORS.bad],
    [0.5, BADGE_COLORS.veryBad],
  ])('uptime %f → %s', (ratio, color) => expect(uptimeColor(ratio)).toBe(color));

  it.each([
    [50, BADGE_COLORS.awesome],
    [51, BADGE_COLORS.great],
    [300, BADGE_COLORS.good],
    [500, BADGE_COLORS.passable],
    [750, BADGE_COLORS.bad],
    [751, BADGE_COLORS.veryBad],
  ])('response time %d ms → %s', (ms, color) => expect(responseTimeColor(ms)).toBe(color));

  it('formats uptime without trailing zeros and escapes badge text', () => {
    expect(formatUptime(0.995)).toBe('99.5%');
    expect(formatUptime(1)).toBe('100%');
    expect(formatUptime(undefined)).toBe('?');
    const svg = renderBadge('<x>', '"&"', '#fff');
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('&#60;x&#62;');
  });
});

describe('external push helpers', () => {
  it.each([
    ['150ms', 150],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['0', 0],
    ['500us', 0.5],
  ])('parses Go duration %s', (text, ms) => expect(parseGoDurationMs(text)).toBe(ms));

  it.each(['', '5', '1d', 'ms', '-1s', '1s '])('rejects %j', (text) => expect(parseGoDurationMs(text)).toBeUndefined());

  it('compares tokens in constant time without length shortcuts', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });
});
