/**
 * Defaults then validation, one reader per section, every issue collected. The result is a
 * Config in which nothing is undefined that downstream code would have to check.
 */
import { readAlerting } from './alerts.js';
import { readEndpoint, readExternalEndpoint } from './endpoint.js';
import type { ConditionCompiler, EndpointContext } from './endpoint.js';
import {
  GATUS_BASIC_REFUSED,
  GATUS_TOP_LEVEL_IGNORED,
  GATUS_TOP_LEVEL_REFUSED,
  GATUS_WEB_IGNORED,
} from './gatus-keys.js';
import { readAnnouncements } from './announcements.js';
import { readMaintenance } from './maintenance.js';
import { readStorage } from './storage.js';
import type { ConfigNode, Loc } from './node.js';
import { describe, Section } from './reader.js';
import type { Issues } from './reader.js';
import { DEFAULT_WEB_ADDRESS, DEFAULT_WEB_PORT } from './schema.js';
import type { Config, SecurityConfig, WebConfig } from './schema.js';
import { endpointRedactor, externalRedactor } from './secrets.js';
import { readSiteUi } from './site-ui.js';
import { readOidc } from './oidc.js';
import { readVigil } from './vigil-section.js';
import { readWebTls } from './web-tls.js';

function readWeb(section: Section): WebConfig {
  section.checkKeys({ known: ['address', 'port', 'tls'], ignored: GATUS_WEB_IGNORED });
  const web: WebConfig = {
    address: section.str('address', DEFAULT_WEB_ADDRESS),
    port: section.int('port', DEFAULT_WEB_PORT, 0, 65535),
  };
  const tls = section.has('tls') ? readWebTls(section.section('tls')) : undefined;
  if (tls) web.tls = tls;
  return web;
}

function isBcryptBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  return /^\$2[abxy]?\$\d\d\$/.test(Buffer.from(text, 'base64').toString('utf8'));
}

function readSecurity(section: Section): SecurityConfig {
  section.checkKeys({ known: ['basic', 'oidc'] });
  const oidc = section.has('oidc') ? readOidc(section.section('oidc')) : undefined;
  if (!section.has('basic')) return oidc ? { oidc } : {};
  if (oidc) {
    const path = section.child('oidc');
    section.issues.warnOnce(path, section.keyLoc('oidc'), path, 'not used: security.basic is set and takes precedence, as in Gatus');
  }
  const basic = section.section('basic');
  basic.checkKeys({ known: ['username', 'password-bcrypt-base64'], refused: GATUS_BASIC_REFUSED });
  const username = basic.required('username');
  const passwordBcryptBase64 = basic.required('password-bcrypt-base64');
  if (passwordBcryptBase64 !== '' && !isBcryptBase64(passwordBcryptBase64)) {
    basic.error('password-bcrypt-base64', 'must be the base64 encoding of a bcrypt hash');
  }
  return { basic: { username, passwordBcryptBase64 } };
}

interface Located<T> {
  value: T;
  path: string;
  loc: Loc;
}

/** Reads each item of a list that is a map; other items are one located error each. */
function readItems<T>(top: Section, key: string, read: (node: ConfigNode, index: number) => T): Located<T>[] {
  const out: Located<T>[] = [];
  top.list(key).forEach((node, i) => {
    const path = `${key}[${i}]`;
    if (node.kind !== 'map') top.issues.error(node.loc, path, `expected a map, got ${describe(node)}`);
    else out.push({ value: read(node, i), path, loc: node.loc });
  });
  return out;
}

function checkUniqueKeys(all: ReadonlyArray<Located<{ key: string }>>, issues: Issues): void {
  const seen = new Map<string, Located<{ key: string }>>();
  for (const item of all) {
    const first = seen.get(item.value.key);
    if (first === undefined) seen.set(item.value.key, item);
    else {
      const where = `${first.loc.file}:${first.loc.line}:${first.loc.col}`;
      issues.error(item.loc, item.path, `duplicate endpoint key "${item.value.key}" (same group and name as ${first.path} at ${where})`);
    }
  }
}

/** Builds the Config from the merged tree. Check `issues.errors` before using the result. */
export function validateConfig(root: ConfigNode | undefined, sources: string[], compile: ConditionCompiler, issues: Issues): Config {
  const rootLoc: Loc = root?.loc ?? { file: sources[0] ?? '', line: 0, col: 0 };
  const top = Section.of(issues, root, '', rootLoc);
  top.checkKeys({
    known: ['endpoints', 'external-endpoints', 'metrics', 'web', 'ui', 'security', 'alerting', 'maintenance', 'announcements', 'storage', 'vigil'],
    ignored: GATUS_TOP_LEVEL_IGNORED,
    refused: GATUS_TOP_LEVEL_REFUSED,
    extensions: true,
    gatus: true,
  });
  const ctx: EndpointContext = { issues, compile, alertDefaults: readAlerting(top.section('alerting'), issues) };
  // Object.assign, not an object spread with an extra key: V8 gives each such spread its own hidden
  // class (measured: one Map and DescriptorArray per endpoint, ~0.5 KB each at 10 000 endpoints).
  const endpoints = readItems(top, 'endpoints', (node, i) => {
    const endpoint = readEndpoint(node, i, ctx);
    return Object.assign({}, endpoint, { redactor: endpointRedactor(endpoint, node) });
  });
  const externalEndpoints = readItems(top, 'external-endpoints', (node, i) => {
    const external = readExternalEndpoint(node, i, ctx);
    return Object.assign({}, external, { redactor: externalRedactor(external, node) });
  });
  const count = (key: string): number => {
    const node = top.get(key);
    return node?.kind === 'seq' ? node.items.length : 0;
  };
  // As in Gatus, a config of suites alone is valid (vigil warns that it ignores them).
  if (count('endpoints') === 0 && count('external-endpoints') === 0 && count('suites') === 0) {
    issues.error(top.locOf('endpoints'), 'endpoints', 'no endpoints configured: at least one endpoint, external endpoint or suite is required');
  }
  checkUniqueKeys([...endpoints, ...externalEndpoints], issues);
  const metrics = top.bool('metrics', false);
  const storage = readStorage(top.section('storage'));
  return {
    sources,
    endpoints: endpoints.map((e) => e.value),
    externalEndpoints: externalEndpoints.map((e) => e.value),
    metrics,
    web: readWeb(top.section('web')),
    ui: readSiteUi(top.section('ui')),
    security: readSecurity(top.section('security')),
    maintenance: readMaintenance(top.section('maintenance')),
    announcements: readAnnouncements(top),
    storage,
    vigil: readVigil(top.section('vigil'), { gatusMetrics: metrics, historySize: storage.maxResults }),
    warnings: issues.warnings,
  };
}
