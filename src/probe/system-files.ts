/**
 * The two system files name resolution needs, read without libuv's thread pool: /etc/hosts (names
 * answered locally) and /etc/resolv.conf (nameservers, search list, ndots). Each is parsed once and
 * re-read only when its size or mtime changed, checked at most every `checkIntervalMs`; the reads are
 * synchronous because the files are tiny and a blocked pool thread is exactly what resolve.ts avoids.
 */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ResolvedAddress } from './types.js';

/** Host name (lowercase, no trailing dot) → its addresses in file order. */
export type HostsTable = ReadonlyMap<string, readonly ResolvedAddress[]>;

export interface ResolvConf {
  /** `host` or `[v6]:port` entries for Resolver.setServers; empty means c-ares' own default. */
  nameservers: readonly string[];
  /** Domains appended to names with fewer than `ndots` dots (glibc's `search`/`domain`). */
  search: readonly string[];
  ndots: number;
}

function withoutComment(line: string, marks: RegExp): string {
  const hash = line.search(marks);
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

/** hosts(5): `address name [aliases...]`; lines with an address that is not an IP literal are skipped. */
export function parseHosts(text: string): HostsTable {
  const table = new Map<string, ResolvedAddress[]>();
  for (const raw of text.split('\n')) {
    const [address, ...names] = withoutComment(raw, /#/).split(/\s+/);
    const family = address === undefined ? 0 : isIP(address);
    if (address === undefined || family === 0) continue;
    for (const name of names) {
      const key = normalName(name);
      if (key === '') continue;
      const list = table.get(key) ?? [];
      if (!list.some((entry) => entry.address === address)) list.push({ address, family: family === 6 ? 6 : 4 });
      table.set(key, list);
    }
  }
  return table;
}

/** resolv.conf(5): `nameserver`, `search`, `domain`, `options ndots:N`. */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  let ndots = 1;
  for (const raw of text.split('\n')) {
    const [keyword, ...values] = withoutComment(raw, /[#;]/).split(/\s+/);
    if (keyword === 'nameserver' && values[0] !== undefined && isIP(values[0].split('%')[0] ?? '') !== 0) {
      nameservers.push(values[0].split('%')[0] ?? values[0]);
    } else if (keyword === 'search' || keyword === 'domain') {
      search = values.map(normalName).filter((domain) => domain !== '');
    } else if (keyword === 'options') {
      for (const option of values) {
        const m = /^ndots:(\d+)$/.exec(option);
        if (m) ndots = Math.min(15, Number(m[1]));
      }
    }
  }
  return { nameservers, search, ndots };
}

/** `Example.COM.` → `example.com`. */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export interface WatchedFile<T> {
  /** The parsed content, re-read if the file changed (checked at most every checkIntervalMs). */
  current(): T;
}

/**
 * A file parsed once and re-parsed when its size or mtime changes. A missing or unreadable file
 * parses as the empty string (an empty hosts table, c-ares' default servers).
 */
export function watchedFile<T>(path: string, parse: (text: string) => T, checkIntervalMs: number, now: () => number = Date.now): WatchedFile<T> {
  let stamp = '';
  let value = parse('');
  let checkedAt = Number.NEGATIVE_INFINITY;
  return {
    current() {
      const at = now();
      if (at - checkedAt < checkIntervalMs) return value;
      checkedAt = at;
      let next = 'missing';
      try {
        const stats = statSync(path);
        next = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
      } catch {
        // treated as empty below
      }
      if (next === stamp) return value;
      stamp = next;
      let text = '';
      try {
        text = next === 'missing' ? '' : readFileSync(path, 'utf8');
      } catch {
        text = '';
      }
      value = parse(text);
      return value;
    },
  };
}
