/**
 * A located YAML tree: every node remembers the file, line and column it came from, so
 * issues found after directory merging and env expansion still point at the right place.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit } from 'yaml';
import type { Alias, Document, Node as YamlNode, YAMLError, YAMLMap, YAMLSeq } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { expandEnv } from './env.js';
import type { Env } from './env.js';
import { MAX_ALIAS_NODES, MAX_NESTING, scanSource } from './limits.js';

export interface Loc {
  file: string;
  line: number;
  col: number;
}

export interface MapEntry {
  key: string;
  keyLoc: Loc;
  value: ConfigNode;
}

/** Set on a node written with a YAML anchor (`&name`), not on the copies its aliases make. */
interface Anchored {
  anchor?: string;
}

export interface MapNode extends Anchored {
  kind: 'map';
  loc: Loc;
  entries: Map<string, MapEntry>;
}

export interface SeqNode extends Anchored {
  kind: 'seq';
  loc: Loc;
  items: ConfigNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends Anchored {
  kind: 'scalar';
  loc: Loc;
  value: ScalarValue;
  /**
   * Column of the first character of the text when the text maps 1:1 onto the source
   * (single line, no escapes, no expansion); lets condition errors point at a character.
   */
  textCol?: number;
  /** The source text of a plain non-string scalar (`0123`, `1.10`), for string fields, as Gatus reads them. */
  text?: string;
  /** Set when `${VAR}` expansion changed the value: the text as written, and the variables used. */
  expandedFrom?: { text: string; env: Readonly<Record<string, string>> };
}

export type ConfigNode = MapNode | SeqNode | ScalarNode;

export interface ParsedFile {
  root: ConfigNode | undefined;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

const MAX_YAML_ERRORS = 20;

/** Removes the source excerpt yaml appends to its messages (`at line X, column Y:` ...). */
function shortYamlMessage(message: string): string {
  const cut = message.indexOf(' at line ');
  return (cut >= 0 ? message.slice(0, cut) : message.split('\n')[0] ?? message).trim();
}

/** Re-types a plain scalar whose text came from the environment, as YAML would have. */
function retype(text: string): ScalarValue {
  if (/^-?\d+$/.test(text)) return Number.parseInt(text, 10);
  if (/^-?\d+\.\d+$/.test(text)) return Number.parseFloat(text);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return text;
}

class Converter {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  private readonly warnedVars = new Set<string>();
  /** Maps and lists being converted (an alias to one of them would never end). */
  private readonly open = new Set<unknown>();
  /** Nodes added by aliases so far, and where the alias being expanded was written. */
  private aliasNodes = 0;
  private aliasSite: (Loc & { path: string }) | null = null;
  private deepReported = false;
  /** Each alias's target, found in one pass (Alias.resolve walks the whole document on every call). */
  private readonly targets = new Map<Alias, YamlNode>();

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly lines: LineCounter,
    doc: Document,
    private readonly env: Env | null,
  ) {
    // An alias refers to the last node before it with that anchor, as Alias.resolve defines it.
    const anchors = new Map<string, YamlNode>();
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target !== undefined) this.targets.set(node, target);
      } else if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    });
  }

  loc(offset: number | undefined): Loc {
    const pos = this.lines.linePos(offset ?? 0);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  /** `level`: how many maps and lists enclose the node. */
  convert(node: unknown, path: string, level = 0): ConfigNode {
    if (isAlias(node)) return this.alias(node, path, level);
    const out = this.convertNode(node, path, level);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) out.anchor = node.anchor;
    return out;
  }

  /** A copy of the alias target, within the budget of MAX_ALIAS_NODES nodes added per file. */
  private alias(node: Alias, path: string, level: number): ConfigNode {
    const loc = this.loc(node.range?.[0]);
    const nothing: ScalarNode = { kind: 'scalar', loc, value: null };
    const target = this.targets.get(node);
    if (target === undefined) {
      this.errors.push({ ...loc, path, message: `unresolved alias *${node.source}` });
      return nothing;
    }
    if (this.open.has(target)) {
      this.errors.push({ ...loc, path, message: `alias *${node.source} refers to a node that contains it` });
      return nothing;
    }
    if (this.aliasNodes > MAX_ALIAS_NODES) return nothing;
    const outermost = this.aliasSite === null;
    if (outermost) this.aliasSite = { ...loc, path };
    try {
      const copy = this.convert(target, path, level);
      delete copy.anchor;
      return copy;
    } finally {
      if (outermost) this.aliasSite = null;
    }
  }

  /** Counts a node an alias adds; false once the budget is spent (reported once, at the outermost alias). */
  private withinAliasBudget(): boolean {
    if (this.aliasSite === null) return true;
    this.aliasNodes++;
    if (this.aliasNodes <= MAX_ALIAS_NODES) return true;
    if (this.aliasNodes === MAX_ALIAS_NODES + 1) {
      this.errors.push({ ...this.aliasSite, message: `YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes` });
    }
    return false;
  }

  private convertNode(node: unknown, path: string, level: number): ConfigNode {
    const loc = this.loc(isMap(node) || isSeq(node) || isScalar(node) ? node.range?.[0] : undefined);
    if (!this.withinAliasBudget()) return { kind: 'scalar', loc, value: null };
    if (!isMap(node) && !isSeq(node)) return isScalar(node) ? this.scalar(node, path) : { kind: 'scalar', loc, value: null };
    if (level >= MAX_NESTING) {
      if (!this.deepReported) this.errors.push({ ...loc, path, message: `nested deeper than ${MAX_NESTING} levels` });
      this.deepReported = true;
      return { kind: 'scalar', loc, value: null };
    }
    this.open.add(node);
    try {
      return isMap(node) ? this.map(node, loc, path, level) : this.seq(node, loc, path, level);
    } finally {
      this.open.delete(node);
    }
  }

  private map(node: YAMLMap, loc: Loc, path: string, level: number): MapNode {
    const out: MapNode = { kind: 'map', loc, entries: new Map() };
    const merged: MapEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (isMap(keyNode) || isSeq(keyNode)) {
        // `? [a, b]: x`: no config key is a collection (and its text could be huge to build).
        const keyPath = childPath(path, '?');
        // A block map's range starts after its first key: point at that key instead.
        const first: unknown = isMap(keyNode) ? keyNode.items[0]?.key : undefined;
        const at = isNode(first) ? first.range?.[0] : keyNode.range?.[0];
        this.errors.push({ ...this.loc(at), path: keyPath, message: `a key must be a scalar, not a ${isMap(keyNode) ? 'map' : 'list'}` });
        continue;
      }
      const keyText = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keyLoc = this.loc(isScalar(keyNode) ? keyNode.range?.[0] : undefined);
      if (keyText === '<<' && isScalar(keyNode) && keyNode.source === '<<') {
        merged.push(...this.mergeSources(pair.value, path ? `${path}.<<` : '<<', keyLoc, level));
        continue;
      }
      const keyPath = childPath(path, keyText);
      const value = pair.value === null || pair.value === undefined
        ? ({ kind: 'scalar', loc: keyLoc, value: null } satisfies ScalarNode)
        : this.convert(pair.value, keyPath, level + 1);
      out.entries.set(keyText, { key: keyText, keyLoc, value });
    }
    for (const entry of merged) {
      if (!out.entries.has(entry.key)) out.entries.set(entry.key, entry);
    }
    return out;
  }

  private seq(node: YAMLSeq, loc: Loc, path: string, level: number): SeqNode {
    return { kind: 'seq', loc, items: node.items.map((item, i) => this.convert(item, `${path}[${i}]`, level + 1)) };
  }

  /** YAML merge keys (`<<: *defaults`), as Gatus' yaml.v3 supports them. */
  private mergeSources(value: unknown, path: string, loc: Loc, level: number): MapEntry[] {
    const sources = isSeq(value) ? value.items : [value];
    const out: MapEntry[] = [];
    for (const source of sources) {
      // The source's entries become this map's: they are not nested any deeper.
      const converted = this.convert(source, path, level);
      if (converted.kind !== 'map') {
        this.errors.push({ ...loc, path, message: 'merge key << must refer to a map' });
        continue;
      }
      for (const entry of converted.entries.values()) {
        if (!out.some((e) => e.key === entry.key)) out.push(entry);
      }
    }
    return out;
  }

  private scalar(node: Scalar, path: string): ScalarNode {
    const start = node.range?.[0];
    const loc = this.loc(start);
    const raw: unknown = node.value;
    let value: ScalarValue =
      typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : raw === null ? null : String(raw);
    const source = start !== undefined && node.range ? this.source.slice(start, node.range[1]) : '';
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const plain = node.type === Scalar.PLAIN;
    let textCol: number | undefined;
    let expandedFrom: ScalarNode['expandedFrom'];
    if (typeof value === 'string') {
      const expanded = this.env === null ? { text: value, unset: [], used: {} } : expandEnv(value, this.env);
      for (const name of expanded.unset) {
        if (this.warnedVars.has(name)) continue;
        this.warnedVars.add(name);
        this.warnings.push({ ...loc, path, message: `environment variable ${name} is not set; expanded to an empty string` });
      }
      if (expanded.text !== value) {
        expandedFrom = { text: value, env: expanded.used };
        value = plain ? retype(expanded.text) : expanded.text;
      } else {
        const body = quoted ? source.slice(1, -1) : source;
        if ((plain || quoted) && body === value && !value.includes('\n')) textCol = loc.col + (quoted ? 1 : 0);
      }
    }
    const out: ScalarNode = { kind: 'scalar', loc, value };
    if (textCol !== undefined) out.textCol = textCol;
    if (expandedFrom !== undefined) out.expandedFrom = expandedFrom;
    if (plain && value !== null && typeof value !== 'string' && typeof raw !== 'string') out.text = source.trim();
    return out;
  }
}

/**
 * Parses one YAML file into a located tree, expanding `${VAR}` / `$VAR` inside string scalars.
 * `env` null: no expansion (blackbox.yml, whose regexps and `${1}` templates keep their `$`).
 */
/** The key path of `key` under `path`; an empty key reads `""` so the path still names it. */
export function childPath(path: string, key: string): string {
  const segment = key === '' ? '""' : key;
  return path ? `${path}.${segment}` : segment;
}

export function parseConfigText(file: string, source: string, env: Env | null): ParsedFile {
  const problem = scanSource(source);
  if (problem !== null) {
    const before = source.slice(0, problem.offset);
    const line = before.split('\n').length;
    const col = problem.offset - before.lastIndexOf('\n');
    return { root: undefined, errors: [{ file, line, col, path: problem.path, message: `invalid YAML: ${problem.message}` }], warnings: [] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, merge: false, uniqueKeys: true, prettyErrors: true });
  const issue = (err: YAMLError, message: string): ConfigIssue => {
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    return { file, line: pos.line, col: pos.col, path: '', message };
  };
  // The parser's own stack ran out (hundreds of levels): the part it built is converted, and the
  // converter reports the nesting with its key path.
  const exhausted = doc.errors.filter((err) => err.code === 'RESOURCE_EXHAUSTION');
  const tooDeepIssue = exhausted[0] && issue(exhausted[0], `invalid YAML: nested deeper than ${MAX_NESTING} levels`);
  const errors = doc.errors.filter((err) => err.code !== 'RESOURCE_EXHAUSTION').map((err) => issue(err, `invalid YAML: ${shortYamlMessage(err.message)}`));
  if (errors.length > 0) {
    // One mistake (an unclosed bracket) can give an error per level: the first ones tell it.
    const next = errors[MAX_YAML_ERRORS];
    const shown = next === undefined ? errors : [...errors.slice(0, MAX_YAML_ERRORS), { ...next, message: `invalid YAML: ${errors.length - MAX_YAML_ERRORS} more errors not shown` }];
    return { root: undefined, errors: tooDeepIssue ? [...shown, tooDeepIssue] : shown, warnings: [] };
  }
  const converter = new Converter(file, source, lines, doc, env);
  const contents: YamlNode | null = doc.contents;
  const root = contents === null ? undefined : converter.convert(contents, '');
  if (tooDeepIssue && converter.errors.length === 0) converter.errors.push(tooDeepIssue);
  return { root, errors: converter.errors, warnings: converter.warnings };
}
