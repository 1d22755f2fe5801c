/** Go-style durations (`300ms`, `1.5h`, `1h30m`), as Gatus' yaml decoder accepts them. */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds, or an error message. `0` is accepted without a unit, as in Go. */
export function parseDuration(text: string): number | string {
  const input = text.trim();
  if (input === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let index = 0;
  let negative = false;
  let body = input;
  if (body.startsWith('-') || body.startsWith('+')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  if (body === '') return `invalid duration "${text}": expected e.g. 30s, 5m, 1h30m`;
  while (index < body.length) {
    re.lastIndex = index;
    const m = re.exec(body);
    if (m === null) {
      return /^\d+(\.\d+)?$/.test(body)
        ? `invalid duration "${text}": missing unit (e.g. ${body}s)`
        : `invalid duration "${text}": expected e.g. 30s, 5m, 1h30m`;
    }
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    index = re.lastIndex;
  }
  if (negative && total > 0) return `invalid duration "${text}": must not be negative`;
  return Math.round(total);
}
