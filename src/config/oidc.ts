/**
 * Gatus `security.oidc`: login with an OpenID provider (authorization code + PKCE). Checked at
 * load so a typo never serves the page without authentication: absolute https URLs (http only
 * for a loopback provider or callback, as in local tests), `openid` among the scopes, a non-empty
 * client id and secret, and a session TTL between 1 minute and 30 days.
 */
import type { ConfigNode } from './node.js';
import { scalarText, type Section } from './reader.js';
import type { OidcConfig } from './schema.js';

const DEFAULT_SESSION_TTL_MS = 8 * 3600_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'must be an https:// URL (http:// only on localhost)';
}

function strings(section: Section, key: string): string[] {
  return section.list(key).flatMap((node: ConfigNode, i) => {
    if (node.kind === 'scalar' && node.value !== null) return [scalarText(node)];
    section.issues.error(node.loc, `${section.child(key)}[${i}]`, 'expected a string');
    return [];
  });
}

export function readOidc(section: Section): OidcConfig {
  section.checkKeys({ known: ['issuer-url', 'redirect-url', 'client-id', 'client-secret', 'scopes', 'allowed-subjects', 'session-ttl'] });
  const issuerUrl = section.required('issuer-url');
  const redirectUrl = section.required('redirect-url');
  for (const [key, value] of [['issuer-url', issuerUrl], ['redirect-url', redirectUrl]] as const) {
    const problem = value === '' ? undefined : urlProblem(value);
    if (problem) section.error(key, problem);
  }
  const scopes = section.has('scopes') ? strings(section, 'scopes') : ['openid'];
  if (!scopes.includes('openid')) section.error('scopes', 'must include openid');
  const sessionTtlMs = section.durationMs('session-ttl', DEFAULT_SESSION_TTL_MS);
  if (sessionTtlMs < 60_000 || sessionTtlMs > 30 * 86_400_000) section.error('session-ttl', 'must be between 1m and 720h');
  return {
    issuerUrl,
    redirectUrl,
    clientId: section.required('client-id'),
    clientSecret: section.required('client-secret'),
    scopes,
    allowedSubjects: section.has('allowed-subjects') ? strings(section, 'allowed-subjects') : [],
    sessionTtlMs,
  };
}
