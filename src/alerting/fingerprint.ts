/**
 * Alertmanager's alert identity: the fingerprint of the label set (prometheus/common
 * `model.LabelSet.Fingerprint`, after Alertmanager's API drops empty-valued labels).
 * FNV-1a 64 over `name 0xFF value 0xFF` per label, labels sorted by the UTF-8 bytes of the name.
 */
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 1099511628211n;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function hashBytes(hash: bigint, bytes: Uint8Array): bigint {
  let h = hash;
  for (const byte of bytes) {
    h = BigInt.asUintN(64, (h ^ BigInt(byte)) * PRIME);
  }
  return h;
}

const SEPARATOR_BYTES = Uint8Array.of(SEPARATOR);

/** 16 lowercase hex digits, exactly as Alertmanager prints `fingerprint`. */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => ({ name: encoder.encode(name), value: encoder.encode(value) }))
    .sort((a, b) => compareBytes(a.name, b.name));
  let hash = OFFSET_BASIS;
  for (const { name, value } of pairs) {
    hash = hashBytes(hash, name);
    hash = hashBytes(hash, SEPARATOR_BYTES);
    hash = hashBytes(hash, value);
    hash = hashBytes(hash, SEPARATOR_BYTES);
  }
  return hash.toString(16).padStart(16, '0');
}
