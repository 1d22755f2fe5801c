/**
 * Typed, located access to one YAML map. Every problem becomes a located issue; every getter
 * returns a usable value (the default) so validation continues and reports everything at once.
 */
import type { ConfigIssue } from '../errors.js';
import { parseDuration } from './duration.js';
import { childPath } from './node.js';
import type { ConfigNode, Loc, MapNode, ScalarNode, SeqNode } from './node.js';

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Collects errors and warnings; warnings about one unimplemented key are reported once. */
export class Issues {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  private readonly warned = new Set<string>();

  error(loc: Loc, path: string, message: string): void {
    this.errors.push({ file: loc.file, line: loc.line, col: loc.col, path, message });
  }

  /** One warning per `once` key (e.g. the path with indices removed). */
  warnOnce(once: string, loc: Loc, path: string, message: string): void {
    if (this.warned.has(once)) return;
    this.warned.add(once);
    this.warnings.push({ file: loc.file, line: loc.line, col: loc.col, path, message });
  }
}

function genericPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

function suggest(key: string, known: readonly string[]): string {
  let best = '';
  let bestScore = 3;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestScore) {
      best = k;
      bestScore = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

export interface KeySpec {
  /** Keys vigil reads. */
  known: readonly string[];
  /** Gatus keys vigil accepts but does not implement: one warning each. */
  ignored?: readonly string[];
  /** Why the ignored keys are ignored (default: not implemented). */
  ignoredReason?: string;
  /**
   * Gatus keys vigil refuses to load (ignoring them would do something else than Gatus, e.g.
   * serve a private page publicly): key → the located error's message.
   */
  refused?: Readonly<Record<string, string>>;
  /**
   * A section of a Gatus config: as Gatus ignores unknown keys (a newer release's key must not stop
   * a migration), an unknown key is one warning, unless it is close to a known one (a typo: an
   * error with "did you mean"). Otherwise (vigil's own sections, security, web) every unknown key
   * is an error.
   */
  gatus?: boolean;
  /**
   * YAML anchor holders: accept `x-*` keys silently (as in docker compose), and any other key
   * whose value defines an anchor (`defaults: &defaults`, as in Gatus' README) with one warning.
   */
  extensions?: boolean;
}

export const NOT_IMPLEMENTED = 'Gatus setting not implemented by vigil; ignored';
export const UNKNOWN_IGNORED = 'unknown key, not a Gatus or vigil setting; ignored (as Gatus does)';

export class Section {
  constructor(
    readonly issues: Issues,
    readonly node: MapNode,
    readonly path: string,
  ) {}

  /** A section for `node` if it is a map; null/absent gives an empty section; anything else is an error. */
  static of(issues: Issues, node: ConfigNode | undefined, path: string, fallback: Loc): Section {
    if (node !== undefined && node.kind === 'map') return new Section(issues, node, path);
    if (node !== undefined && !(node.kind === 'scalar' && node.value === null)) {
      issues.error(node.loc, path, `expected a map, got ${describe(node)}`);
    }
    return new Section(issues, { kind: 'map', loc: node?.loc ?? fallback, entries: new Map() }, path);
  }

  child(key: string): string {
    return childPath(this.path, key);
  }

  get loc(): Loc {
    return this.node.loc;
  }

  /** Rejects unknown keys (or warns: see KeySpec.gatus), warns once about ignored Gatus keys. */
  checkKeys(spec: KeySpec): void {
    const ignored = spec.ignored ?? [];
    for (const [key, entry] of this.node.entries) {
      if (spec.known.includes(key) || (spec.extensions === true && key.startsWith('x-'))) continue;
      const refusal = spec.refused?.[key];
      // As in Gatus, a refused key set to nothing (`tls:`) is the same as an absent one.
      if (refusal !== undefined && !(entry.value.kind === 'scalar' && entry.value.value === null)) {
        this.issues.error(entry.keyLoc, this.child(key), refusal);
        continue;
      }
      if (refusal !== undefined) continue;
      if (ignored.includes(key)) {
        const path = this.child(key);
        this.issues.warnOnce(genericPath(path), entry.keyLoc, path, spec.ignoredReason ?? NOT_IMPLEMENTED);
        continue;
      }
      if (spec.extensions === true && entry.value.anchor !== undefined) {
        const path = this.child(key);
        this.issues.warnOnce(path, entry.keyLoc, path, `not a Gatus or vigil setting; ignored except as the YAML anchor &${entry.value.anchor}`);
        continue;
      }
      const hint = suggest(key, [...spec.known, ...ignored, ...Object.keys(spec.refused ?? {})]);
      const path = this.child(key);
      if (spec.gatus === true && hint === '') this.issues.warnOnce(genericPath(path), entry.keyLoc, path, UNKNOWN_IGNORED);
      else this.issues.error(entry.keyLoc, path, `unknown key${hint}`);
    }
  }

  has(key: string): boolean {
    const value = this.node.entries.get(key)?.value;
    return value !== undefined && !(value.kind === 'scalar' && value.value === null);
  }

  get(key: string): ConfigNode | undefined {
    const value = this.node.entries.get(key)?.value;
    return value === undefined || (value.kind === 'scalar' && value.value === null) ? undefined : value;
  }

  locOf(key: string): Loc {
    return this.node.entries.get(key)?.value.loc ?? this.node.loc;
  }

  keyLoc(key: string): Loc {
    return this.node.entries.get(key)?.keyLoc ?? this.node.loc;
  }

  error(key: string, message: string): void {
    this.issues.error(this.locOf(key), this.child(key), message);
  }

  private scalar(key: string): ScalarNode | undefined {
    const node = this.get(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar') {
      this.error(key, `expected a scalar, got ${describe(node)}`);
      return undefined;
    }
    return node;
  }

  /** A string; numbers and booleans are accepted as their text (YAML `port: 80` in a string field). */
  str(key: string, fallback = ''): string {
    const node = this.scalar(key);
    if (node === undefined) return fallback;
    return scalarText(node);
  }

  required(key: string): string {
    if (!this.has(key)) {
      this.issues.error(this.node.loc, this.child(key), 'required');
      return '';
    }
    const value = this.str(key);
    if (value.trim() === '') this.error(key, 'must not be empty');
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const node = this.scalar(key);
    if (node === undefined) return fallback;
    if (typeof node.value === 'boolean') return node.value;
    // yaml.v3 (Gatus) still accepts YAML 1.1 booleans for bool fields.
    const text = String(node.value).toLowerCase();
    if (['yes', 'on', 'y'].includes(text)) return true;
    if (['no', 'off', 'n'].includes(text)) return false;
    this.error(key, 'expected true or false');
    return fallback;
  }

  int(key: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const node = this.scalar(key);
    if (node === undefined) return fallback;
    const value = typeof node.value === 'string' && /^-?\d+$/.test(node.value) ? Number(node.value) : node.value;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.error(key, 'expected an integer');
      return fallback;
    }
    if (value < min || value > max) {
      this.error(key, max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`);
      return fallback;
    }
    return value;
  }

  /** A Go-style duration (`90s`, `1h30m`, `500ms`) in milliseconds. */
  durationMs(key: string, fallback: number): number {
    const node = this.scalar(key);
    if (node === undefined) return fallback;
    const parsed = parseDuration(String(node.value));
    if (typeof parsed === 'string') {
      this.error(key, parsed);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.str(key, fallback);
    const found = allowed.find((a) => a === value);
    if (found === undefined) {
      this.error(key, `must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return found;
  }

  /** A map of strings (headers, labels). `labelNames` checks the names are Prometheus label names. */
  stringMap(key: string, labelNames = false): Record<string, string> {
    const node = this.get(key);
    const out: Record<string, string> = {};
    if (node === undefined) return out;
    if (node.kind !== 'map') {
      this.error(key, `expected a map, got ${describe(node)}`);
      return out;
    }
    for (const [name, entry] of node.entries) {
      const path = `${this.child(key)}.${name}`;
      if (labelNames && !LABEL_NAME.test(name)) {
        this.issues.error(entry.keyLoc, path, 'invalid label name: must match [a-zA-Z_][a-zA-Z0-9_]*');
        continue;
      }
      if (entry.value.kind !== 'scalar') {
        this.issues.error(entry.value.loc, path, `expected a string, got ${describe(entry.value)}`);
        continue;
      }
      out[name] = entry.value.value === null ? '' : scalarText(entry.value);
    }
    return out;
  }

  /** The items of a list (absent = empty). */
  list(key: string): ConfigNode[] {
    const node = this.get(key);
    if (node === undefined) return [];
    if (node.kind !== 'seq') {
      this.error(key, `expected a list, got ${describe(node)}`);
      return [];
    }
    return (node satisfies SeqNode).items;
  }

  /** A nested map section (absent = empty section). */
  section(key: string): Section {
    return Section.of(this.issues, this.get(key), this.child(key), this.keyLoc(key));
  }
}

/** A scalar as a string field sees it: `0123` stays `0123`, not `123`. */
export function scalarText(node: ScalarNode): string {
  if (typeof node.value === 'string') return node.value;
  return node.text ?? String(node.value);
}

export function describe(node: ConfigNode): string {
  if (node.kind !== 'scalar') return `a ${node.kind === 'seq' ? 'list' : 'map'}`;
  if (node.value === null) return 'nothing';
  return `a ${typeof node.value}`;
}
