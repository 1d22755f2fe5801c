/**
 * Each endpoint's Redactor, built once at config load from every secret it holds: those of its
 * probe target (see targetSecrets) and the values `${VAR}` expansion put into it where they may be
 * secrets — a variable with a secret-looking name anywhere, or any variable inside `headers`,
 * `body`, `ssh` or `client`.
 */
import { createRedactor, isSecretName, targetSecrets, type Redactor } from '../redact.js';
import type { ConfigNode } from './node.js';
import type { EndpointConfig, ExternalEndpointConfig } from './schema.js';

const SECRET_SECTIONS = new Set(['headers', 'body', 'ssh', 'client']);

/** Values `${VAR}` expansion put into `node` that may be secrets. */
export function envSecrets(node: ConfigNode | undefined, inSecretSection = false, out: string[] = []): string[] {
  if (node === undefined) return out;
  if (node.kind === 'scalar') {
    for (const [name, value] of Object.entries(node.expandedFrom?.env ?? {})) {
      if (inSecretSection || isSecretName(name)) out.push(value);
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) envSecrets(item, inSecretSection, out);
  } else {
    for (const [key, entry] of node.entries) envSecrets(entry.value, inSecretSection || SECRET_SECTIONS.has(key) || isSecretName(key), out);
  }
  return out;
}

export function endpointRedactor(endpoint: Pick<EndpointConfig, 'target' | 'client'>, node?: ConfigNode): Redactor {
  return createRedactor([...targetSecrets(endpoint.target, endpoint.client), ...envSecrets(node)]);
}

export function externalRedactor(external: Pick<ExternalEndpointConfig, 'token'>, node?: ConfigNode): Redactor {
  return createRedactor([external.token, ...envSecrets(node)]);
}
