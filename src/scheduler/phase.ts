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
