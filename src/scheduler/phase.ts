/**
 * Deterministic offset of an endpoint inside its interval, so that many endpoints with the
 * same interval spread out instead of firing together, and every replica picks the same offset.
 */
export function hashString(text: string): number {
  // FNV-1a 32-bit
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function phaseOffsetMs(key: string, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  return hashString(key) % Math.floor(spreadMs);
}

/**
 * The first time `t >= fromMs` on the endpoint's steady-state grid: `t ≡ phase (mod interval)`
 * with `phase = hash(key) mod interval`, counted from the Unix epoch, so the endpoints sharing an
 * interval spread over all of it, and every replica probes an endpoint at the same moments.
 */
export function nextGridPointMs(fromMs: number, intervalMs: number, phaseMs: number): number {
  const interval = Math.max(1, Math.floor(intervalMs));
  const ahead = (((phaseMs - fromMs) % interval) + interval) % interval;
  return fromMs + ahead;
}
