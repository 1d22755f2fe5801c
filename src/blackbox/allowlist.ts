/**
 * Which `/probe` targets may be probed (`vigil.probe-allowlist`), so the endpoint is not an
 * open proxy into the network vigil runs in.
 *
 * - not configured: every target is allowed (blackbox_exporter's behaviour; vigil logs a warning);
 * - configured: only targets whose host matches an entry; an empty list allows nothing.
 *
 * Entries: an IP (`10.1.2.3`, `::1`), a CIDR (`10.0.0.0/8`, `fd00::/8`), which match IP-literal
 * targets; or a host name glob (`example.com`, `*.example.com`, `db-*`), matched case-insensitively
 * against the target's host name as written, where `*` matches any run of characters within one
 * DNS label (never a dot: `*.example.com` allows `api.example.com`, not `a.b.example.com` nor
 * `evil.org.example.com`). A host name is never resolved to check a CIDR. Redirects are checked
 * at every hop (handler.ts).
 */
import { BlockList, isIP } from 'node:net';

export interface Allowlist {
  /** true when `host` (a host name or IP literal, no brackets) may be probed. */
  allows(host: string): boolean;
}

/** An error message for an entry that is neither an IP, a CIDR, nor a host glob; else undefined. */
export function checkAllowlistEntry(entry: string): string | undefined {
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const family = isIP(cidr[1] ?? '');
    const bits = Number(cidr[2]);
    if (family === 0) return `invalid CIDR "${entry}": not an IP address before /`;
    if (bits > (family === 4 ? 32 : 128)) return `invalid CIDR "${entry}": prefix too long`;
    return undefined;
  }
  if (isIP(entry) !== 0) return undefined;
  if (!/^[a-zA-Z0-9*]([a-zA-Z0-9*.-]*[a-zA-Z0-9*])?$/.test(entry)) {
    return `invalid entry "${entry}": expected an IP, a CIDR such as 10.0.0.0/8, or a host name glob such as *.example.com`;
  }
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.toLowerCase().replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replaceAll('*', '[^.]*');
  return new RegExp(`^${escaped}$`);
}

/** `entries` undefined: allow all. Entries must have passed checkAllowlistEntry. */
export function createAllowlist(entries: readonly string[] | undefined): Allowlist {
  if (entries === undefined) return { allows: () => true };
  const blocks = new BlockList();
  const globs: RegExp[] = [];
  for (const entry of entries) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    const address = cidr?.[1] ?? entry;
    const family = isIP(address);
    if (family === 0) {
      globs.push(globToRegExp(entry));
      continue;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (cidr) blocks.addSubnet(address, Number(cidr[2]), type);
    else blocks.addAddress(address, type);
  }
  return {
    allows(host: string): boolean {
      const family = isIP(host);
      if (family !== 0) return blocks.check(host, family === 6 ? 'ipv6' : 'ipv4');
      const name = host.toLowerCase().replace(/\.$/, '');
      return globs.some((re) => re.test(name));
    },
  };
}
