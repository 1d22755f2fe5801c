/**
 * Reads a config file or a directory of YAML files (sorted, merged), expands the environment,
 * applies defaults and validates. Every issue is reported at once, located.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compileCondition } from '../conditions/index.js';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { isSecretName, redactText } from '../redact.js';
import type { ConditionCompiler } from './endpoint.js';
import type { Env } from './env.js';
import { mergeNodes } from './merge.js';
import { parseConfigText } from './node.js';
import type { ConfigNode } from './node.js';
import { Issues } from './reader.js';
import { readConfigSource } from './source.js';
import type { Config } from './schema.js';
import { validateConfig } from './validate.js';

export interface LoadOptions {
  /** Variables for `${VAR}` / `$VAR` (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Condition compiler (default: vigil's). */
  compile?: ConditionCompiler;
}

export interface ConfigReport {
  /** Set when there are no errors. */
  config?: Config;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** Files read. */
  sources: string[];
}

function notFound(file: string, message: string): ConfigError {
  return new ConfigError([{ file, line: 0, col: 0, path: '', message }], 'VIGIL_CONFIG_NOT_FOUND');
}

/** The files to read: `path` itself, or the *.yaml / *.yml files of a directory, sorted by name. */
async function listSources(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw notFound(path, 'configuration file not found');
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => !n.startsWith('.') && /\.ya?ml$/i.test(n)).sort();
  const files: string[] = [];
  for (const name of names) {
    const file = join(path, name);
    if ((await stat(file)).isFile()) files.push(file);
  }
  if (files.length === 0) throw notFound(path, 'no *.yaml or *.yml files in the configuration directory');
  return files;
}

/** Values that must never appear in a message: anything under `alerting`, and secret-named keys. */
function collectSecrets(node: ConfigNode | undefined, secret: boolean, out: string[]): string[] {
  if (node === undefined) return out;
  if (node.kind === 'scalar') {
    if (secret && typeof node.value === 'string' && node.value !== '') out.push(node.value);
  } else if (node.kind === 'seq') {
    for (const item of node.items) collectSecrets(item, secret, out);
  } else {
    for (const [key, entry] of node.entries) {
      collectSecrets(entry.value, secret || key === 'alerting' || isSecretName(key), out);
    }
  }
  return out;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/**
 * Loads and validates without throwing for invalid content (for `check-config` and reload).
 * Throws ConfigError(VIGIL_CONFIG_NOT_FOUND) when there is nothing to read.
 */
export async function inspectConfig(path: string, options: LoadOptions = {}): Promise<ConfigReport> {
  const env: Env = options.env ?? process.env;
  const sources = await listSources(path);
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  let root: ConfigNode | undefined;
  for (const file of sources) {
    const source = await readConfigSource(file);
    if (!source.ok) {
      errors.push({ file, line: 0, col: 0, path: '', message: source.message });
      continue;
    }
    const parsed = parseConfigText(file, source.text, env);
    errors.push(...parsed.errors);
    warnings.push(...parsed.warnings);
    if (parsed.root === undefined) continue;
    root = root === undefined ? parsed.root : mergeNodes(root, parsed.root, '', errors);
  }
  if (errors.length > 0) return { errors: sortIssues(errors), warnings, sources };
  const issues = new Issues();
  const config = validateConfig(root, sources, options.compile ?? compileCondition, issues);
  const secrets = collectSecrets(root, false, []);
  const clean = (list: ConfigIssue[]): ConfigIssue[] =>
    list.map((issue) => ({ ...issue, message: redactText(issue.message, secrets) }));
  const allWarnings = clean([...warnings, ...issues.warnings]);
  config.warnings = allWarnings;
  if (issues.errors.length > 0) return { errors: sortIssues(clean(issues.errors)), warnings: allWarnings, sources };
  return { config, errors: [], warnings: allWarnings, sources };
}

/**
 * Loads `path` (a file, or a directory whose *.yaml / *.yml files are merged in name order).
 * Throws ConfigError listing every issue; `config.warnings` holds the non-fatal ones.
 */
export async function loadConfig(path: string, options: LoadOptions = {}): Promise<Config> {
  const report = await inspectConfig(path, options);
  if (report.config === undefined) throw new ConfigError(report.errors);
  return report.config;
}
