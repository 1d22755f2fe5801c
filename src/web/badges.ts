/** SVG badges and the shields.io endpoint JSON, with Gatus' colour scale. */

export const BADGE_COLORS = {
  awesome: '#40cc11',
  great: '#94cc11',
  good: '#ccd311',
  passable: '#ccb311',
  bad: '#cc8111',
  veryBad: '#c7130a',
} as const;

/** Gatus' default `ui.badge.response-time.thresholds` (ms), one per colour from awesome to bad. */
export const DEFAULT_RESPONSE_TIME_THRESHOLDS_MS = [50, 200, 300, 500, 750] as const;

export type HealthState = 'up' | 'down' | '?';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function uptimeColor(ratio: number | undefined): string {
  if (ratio === undefined) return BADGE_COLORS.passable;
  if (ratio >= 0.975) return BADGE_COLORS.awesome;
  if (ratio >= 0.95) return BADGE_COLORS.great;
  if (ratio >= 0.9) return BADGE_COLORS.good;
  if (ratio >= 0.8) return BADGE_COLORS.passable;
  if (ratio >= 0.65) return BADGE_COLORS.bad;
  return BADGE_COLORS.veryBad;
}

export function responseTimeColor(ms: number | undefined, thresholds: readonly number[] = DEFAULT_RESPONSE_TIME_THRESHOLDS_MS): string {
  if (ms === undefined) return BADGE_COLORS.passable;
  const scale = [BADGE_COLORS.awesome, BADGE_COLORS.great, BADGE_COLORS.good, BADGE_COLORS.passable, BADGE_COLORS.bad];
  for (let i = 0; i < scale.length; i += 1) {
    const limit = thresholds[i];
    if (limit !== undefined && ms <= limit) return scale[i] ?? BADGE_COLORS.veryBad;
  }
  return BADGE_COLORS.veryBad;
}

export function healthColor(state: HealthState): string {
  if (state === 'up') return BADGE_COLORS.awesome;
  if (state === 'down') return BADGE_COLORS.veryBad;
  return BADGE_COLORS.passable;
}

/** `99.5%`, `100%`, `?` when there is no data. */
export function formatUptime(ratio: number | undefined): string {
  if (ratio === undefined) return '?';
  return `${(ratio * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** Approximate text width in px for 11px Verdana-like fonts (no font metrics server-side). */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[ilj.,:;|!'1]/.test(ch) ? 4 : /[mwMW%]/.test(ch) ? 10 : 7;
  return w + 10;
}

/** A flat two-part badge: grey label on the left, coloured value on the right. */
export function renderBadge(label: string, value: string, color: string): string {
  const lw = textWidth(label);
  const vw = textWidth(value);
  const w = lw + vw;
  const l = escapeXml(label);
  const v = escapeXml(value);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}">`,
    `<title>${l}: ${v}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)">`,
    `<rect width="${lw}" height="20" fill="#555"/>`,
    `<rect x="${lw}" width="${vw}" height="20" fill="${escapeXml(color)}"/>`,
    `<rect width="${w}" height="20" fill="url(#s)"/>`,
    `</g>`,
    `<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">`,
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text>`,
    `<text x="${lw / 2}" y="14">${l}</text>`,
    `<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${v}</text>`,
    `<text x="${lw + vw / 2}" y="14">${v}</text>`,
    `</g>`,
    `</svg>`,
  ].join('\n');
}

export function uptimeBadge(window: string, ratio: number | undefined): string {
  return renderBadge(`uptime ${window}`, formatUptime(ratio), uptimeColor(ratio));
}

export function responseTimeBadge(window: string, ms: number | undefined, thresholds: readonly number[] = DEFAULT_RESPONSE_TIME_THRESHOLDS_MS): string {
  return renderBadge(`response time ${window}`, ms === undefined ? '?' : `${Math.round(ms)}ms`, responseTimeColor(ms, thresholds));
}

export function healthBadge(state: HealthState): string {
  return renderBadge('health', state, healthColor(state));
}

/** shields.io "endpoint" badge JSON (https://shields.io/badges/endpoint-badge). */
export function healthShields(state: HealthState): { schemaVersion: 1; label: string; message: string; color: string } {
  return {
    schemaVersion: 1,
    label: 'vigil',
    message: state,
    color: state === 'up' ? 'brightgreen' : state === 'down' ? 'red' : 'yellow',
  };
}
