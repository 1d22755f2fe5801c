/**
 * Secret redaction. Everything that leaves vigil (logs, API, page, metrics labels, error
 * messages, alert annotations) passes URLs and known-secret values through here. Each endpoint
 * gets one Redactor, built at config load from every secret it holds.
 */
import type { ProbeOptions, ProbeTarget } from './probe/types.js';

export const REDACTED = '<redacted>';
/** Shorter values are not treated as secrets (they would redact ordinary words and numbers). */
export const MIN_SECRET_CHARS = 4;

/** Query parameter and header names whose values are secrets (matched case-insensitively, by substring). */
const SECRET_NAME = /(pass|secret|token|key|auth|credential|signature|sig$|session|cookie|webhook)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Removes credentials from a URL: the password in userinfo, secret-looking query values,
 * and the path of well-known webhook URLs (Slack, Discord, Teams...), whose path is the secret.
 * Text that is not a URL is returned unchanged.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.password) url.password = 'xxxxx';
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretName(name)) url.searchParams.set(name, 'xxxxx');
  }
  if (/hooks\.slack\.com|discord(app)?\.com\/api\/webhooks|webhook\.office\.com|\/webhooks?\//i.test(url.href)) {
    url.pathname = '/xxxxx';
  }
  return url.toString().replace(/xxxxx/g, REDACTED);
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** A path segment that looks like an opaque token: long, with digits among letters (hex, base64, UUIDs). */
function isTokenSegment(segment: string): boolean {
  if (segment.length >= 32) return true;
  if (segment.length < 16 || !/[a-z]/i.test(segment)) return false;
  const digits = segment.replace(/\D/g, '').length;
  return digits / segment.length >= 0.2;
}

/**
 * A URL for a metric label (`vigil_endpoint_info{url}`): as redactUrl, and also the username and
 * every path segment that looks like a token are redacted, then the endpoint's own secrets.
 */
export function redactUrlLabel(text: string, redactor: Redactor): string {
  if (!URL.canParse(text)) return redactor.text(text);
  const url = new URL(text);
  if (url.username) url.username = 'xxxxx';
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (isTokenSegment(decodeURIComponentSafe(segment)) ? 'xxxxx' : segment))
    .join('/');
  return redactor.text(redactUrl(url.href));
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces every URL inside free text (e.g. an error message) with its redacted form, and `secrets`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return secrets.length === 0 ? text.replace(URL_IN_TEXT, (m) => redactUrl(m)) : createRedactor(secrets).text(text);
}

/** The forms a secret can take on its way out: as is, URL-encoded, JSON-escaped, base64 (whole value). */
function secretForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  const base64 = Buffer.from(secret).toString('base64');
  forms.push(base64, base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'));
  return forms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Removes one endpoint's secrets (in every form) and URL credentials from text. Built once per
 * endpoint at config load: the secrets become one regular expression, longest first.
 */
export class Redactor {
  /** Every form redacted, longest first. */
  readonly secrets: readonly string[];
  private readonly pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    const all = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_CHARS) continue;
      for (const form of secretForms(secret)) if (form.length >= MIN_SECRET_CHARS) all.add(form);
    }
    this.secrets = [...all].sort((a, b) => b.length - a.length);
    this.pattern = this.secrets.length === 0 ? undefined : new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g');
  }

  /** `text` with every secret replaced by `<redacted>`, then URL passwords and secret query values. */
  text(text: string): string {
    const out = this.pattern === undefined ? text : text.replace(this.pattern, REDACTED);
    return out.replace(URL_IN_TEXT, (m) => redactUrl(m));
  }

  /** Never serialises its secrets (an endpoint logged or dumped as JSON stays clean). */
  toJSON(): string {
    return `[Redactor: ${this.secrets.length} secret forms]`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toJSON();
  }

  /** Every string value of `record` redacted (alert annotations, label sets). */
  record(record: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.text(v)]));
  }
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  return new Redactor(secrets);
}

/** A redactor for things without secrets of their own (URL credentials are still removed). */
export const URL_REDACTOR = new Redactor([]);

function urlSecrets(url: URL, out: string[]): void {
  if (url.password) {
    const password = decodeURIComponent(url.password);
    const username = decodeURIComponent(url.username);
    out.push(url.password, password, `${username}:${password}`);
  }
  for (const [name, value] of url.searchParams) if (isSecretName(name)) out.push(value);
}

/**
 * Every secret a probe target and its options hold: URL credentials (and the `user:password`
 * pair a Basic header encodes), secret-named query values, secret-named header values (whole,
 * and without their `Bearer `/`Basic ` scheme, and a Basic pair decoded), the SSH password, the
 * OAuth2 client secret and the proxy's password.
 */
export function targetSecrets(target: ProbeTarget, options: Pick<ProbeOptions, 'oauth2' | 'proxyUrl'>): string[] {
  const out: string[] = [];
  urlSecrets(target.url, out);
  for (const [name, value] of Object.entries(target.headers)) {
    if (!isSecretName(name)) continue;
    out.push(value);
    const credentials = /^\S+\s+(\S+)$/.exec(value.trim())?.[1];
    if (credentials !== undefined) {
      out.push(credentials);
      if (/^basic\s/i.test(value.trim())) {
        const pair = Buffer.from(credentials, 'base64').toString('utf8');
        out.push(pair, pair.slice(pair.indexOf(':') + 1));
      }
    }
  }
  if (target.ssh?.password) out.push(target.ssh.password);
  if (target.ssh?.privateKey) out.push(target.ssh.privateKey);
  if (options.oauth2) out.push(options.oauth2.clientSecret);
  if (options.proxyUrl && URL.canParse(options.proxyUrl)) urlSecrets(new URL(options.proxyUrl), out);
  return out;
}

/** Header map with secret-looking values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
}
