/**
 * Directory merge: maps deep-merge, lists append, a scalar set in two files is an error
 * naming both places.
 */
import type { ConfigIssue } from '../errors.js';
import type { ConfigNode, Loc, MapNode } from './node.js';

function where(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

function isNull(node: ConfigNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/** Merges `next` into `base` (neither is modified); conflicts are appended to `errors`. */
export function mergeNodes(base: ConfigNode, next: ConfigNode, path: string, errors: ConfigIssue[]): ConfigNode {
  if (isNull(base)) return next;
  if (isNull(next)) return base;
  if (base.kind === 'map' && next.kind === 'map') {
    const out: MapNode = { kind: 'map', loc: base.loc, entries: new Map(base.entries), anchor: base.anchor ?? next.anchor };
    for (const [key, entry] of next.entries) {
      const existing = out.entries.get(key);
      const childPath = path ? `${path}.${key}` : key;
      if (existing === undefined) out.entries.set(key, entry);
      else out.entries.set(key, { ...existing, value: mergeNodes(existing.value, entry.value, childPath, errors) });
    }
    return out;
  }
  if (base.kind === 'seq' && next.kind === 'seq') {
    return { kind: 'seq', loc: base.loc, items: [...base.items, ...next.items] };
  }
  const message =
    base.kind === next.kind
      ? `set in both ${where(base.loc)} and ${where(next.loc)}`
      : `a ${base.kind} at ${where(base.loc)} cannot be merged with a ${next.kind} at ${where(next.loc)}`;
  errors.push({ ...next.loc, path, message });
  return base;
}
