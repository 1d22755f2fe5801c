/**
 * `probe_ip_addr_hash`: FNV-1a 32 over the address bytes, 4 for IPv4 (also IPv4-mapped IPv6,
 * as Go's ip.To4() sees them), 16 for IPv6 — the value blackbox_exporter reports.
 */
import { isIP } from 'node:net';

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (with an optional dotted IPv4 tail). */
export function ipv6Bytes(ip: string): number[] {
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(g);
          return [(a << 8) | b, (c << 8) | d];
        });
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
}

function fnv1a32(bytes: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** 0 for something that is not an IP address. */
export function ipAddrHash(ip: string): number {
  const family = isIP(ip);
  if (family === 4) return fnv1a32(ipv4Bytes(ip));
  if (family !== 6) return 0;
  const bytes = ipv6Bytes(ip);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return fnv1a32(mapped ? bytes.slice(12) : bytes);
}
