/**
 * Secret redaction. Everything that leaves vigil (logs, API, page, metrics labels, error
 * messages) passes URLs and known-secret values through here.
 */
export const REDACTED = '<redacted>';

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

/** Replaces every URL inside free text (e.g. an error message) with its redacted form. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (m) => redactUrl(m));
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Header map with secret-looking values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
}
