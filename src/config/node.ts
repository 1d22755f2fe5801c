/**
 * A located YAML tree: every node remembers the file, line and column it came from, so
 * issues found after directory merging and env expansion still point at the right place.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { expandEnv } from './env.js';
import type { Env } from './env.js';

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
}

export type ConfigNode = MapNode | SeqNode | ScalarNode;

export interface ParsedFile {
  root: ConfigNode | undefined;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

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

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
    private readonly env: Env | null,
  ) {}

  loc(offset: number | undefined): Loc {
    const pos = this.lines.linePos(offset ?? 0);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  convert(node: unknown, path: string, depth = 0): ConfigNode {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined || depth > 50) {
        this.errors.push({ ...this.loc(node.range?.[0]), path, message: `unresolved alias *${node.source}` });
        return { kind: 'scalar', loc: this.loc(node.range?.[0]), value: null };
      }
      const copy = this.convert(target, path, depth + 1);
      delete copy.anchor;
      return copy;
    }
    const out = this.convertNode(node, path, depth);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) out.anchor = node.anchor;
    return out;
  }

  private convertNode(node: unknown, path: string, depth: number): ConfigNode {
    if (isMap(node)) {
      const out: MapNode = { kind: 'map', loc: this.loc(node.range?.[0]), entries: new Map() };
      const merged: MapEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key;
        const keyText = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const keyLoc = this.loc(isScalar(keyNode) ? keyNode.range?.[0] : undefined);
        if (keyText === '<<' && isScalar(keyNode) && keyNode.source === '<<') {
          merged.push(...this.mergeSources(pair.value, path, keyLoc, depth));
          continue;
        }
        const childPath = path ? `${path}.${keyText}` : keyText;
        const value = pair.value === null || pair.value === undefined
          ? ({ kind: 'scalar', loc: keyLoc, value: null } satisfies ScalarNode)
          : this.convert(pair.value, childPath, depth);
        out.entries.set(keyText, { key: keyText, keyLoc, value });
      }
      for (const entry of merged) {
        if (!out.entries.has(entry.key)) out.entries.set(entry.key, entry);
      }
      return out;
    }
    if (isSeq(node)) {
      return {
        kind: 'seq',
        loc: this.loc(node.range?.[0]),
        items: node.items.map((item, i) => this.convert(item, `${path}[${i}]`, depth)),
      };
    }
    if (isScalar(node)) return this.scalar(node, path);
    return { kind: 'scalar', loc: this.loc(undefined), value: null };
  }

  /** YAML merge keys (`<<: *defaults`), as Gatus' yaml.v3 supports them. */
  private mergeSources(value: unknown, path: string, loc: Loc, depth: number): MapEntry[] {
    const sources = isSeq(value) ? value.items : [value];
    const out: MapEntry[] = [];
    for (const source of sources) {
      const converted = this.convert(source, path, depth + 1);
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
    if (typeof value === 'string') {
      const expanded = this.env === null ? { text: value, unset: [] } : expandEnv(value, this.env);
      for (const name of expanded.unset) {
        if (this.warnedVars.has(name)) continue;
        this.warnedVars.add(name);
        this.warnings.push({ ...loc, path, message: `environment variable ${name} is not set; expanded to an empty string` });
      }
      if (expanded.text !== value) {
        value = plain ? retype(expanded.text) : expanded.text;
      } else {
        const body = quoted ? source.slice(1, -1) : source;
        if ((plain || quoted) && body === value && !value.includes('\n')) textCol = loc.col + (quoted ? 1 : 0);
      }
    }
    const out: ScalarNode = { kind: 'scalar', loc, value };
    if (textCol !== undefined) out.textCol = textCol;
    if (plain && value !== null && typeof value !== 'string' && typeof raw !== 'string') out.text = source.trim();
    return out;
  }
}

/**
 * Parses one YAML file into a located tree, expanding `${VAR}` / `$VAR` inside string scalars.
 * `env` null: no expansion (blackbox.yml, whose regexps and `${1}` templates keep their `$`).
 */
export function parseConfigText(file: string, source: string, env: Env | null): ParsedFile {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, merge: false, uniqueKeys: true, prettyErrors: true });
  const errors: ConfigIssue[] = doc.errors.map((err) => {
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    return { file, line: pos.line, col: pos.col, path: '', message: `invalid YAML: ${shortYamlMessage(err.message)}` };
  });
  if (errors.length > 0) return { root: undefined, errors, warnings: [] };
  const converter = new Converter(file, source, lines, doc, env);
  const contents: YamlNode | null = doc.contents;
  const root = contents === null ? undefined : converter.convert(contents, '');
  return { root, errors: converter.errors, warnings: converter.warnings };
}
