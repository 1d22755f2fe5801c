/**
 * Placeholders and the len()/has() wrappers, each compiled into a resolver closure that turns a
 * result into the string Gatus would substitute. A path that cannot be resolved yields the operand
 * text followed by ` (INVALID)`, exactly as Gatus does; that string then takes part in the comparison.
 */
import type { ConditionInput, EvaluateOptions } from './types.js';
import { byteLength, formatGoValue, isRecord, resolvedText, type Resolved } from './go-values.js';
import { evaluateJsonPath, jsonValueLength, jsonValueText, type PathSegment } from './jsonpath.js';

export const PLACEHOLDER_NAMES = [
  'STATUS',
  'IP',
  'RESPONSE_TIME',
  'BODY',
  'CONNECTED',
  'CERTIFICATE_EXPIRATION',
  'DOMAIN_EXPIRATION',
  'DNS_RCODE',
  'CONTEXT',
] as const;
export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

export function isPlaceholderName(name: string): name is PlaceholderName {
  return (PLACEHOLDER_NAMES as readonly string[]).includes(name);
}

export const INVALID_SUFFIX = ' (INVALID)';

export type Wrapper = 'none' | 'len' | 'has';
export type Resolver = (result: ConditionInput, options: EvaluateOptions) => Resolved;

/** A parsed placeholder reference: the base name plus its [BODY] or [CONTEXT] path, if any. */
export type PlaceholderRef =
  | { name: Exclude<PlaceholderName, 'BODY' | 'CONTEXT'> }
  | { name: 'BODY'; path: readonly PathSegment[] | null }
  | { name: 'CONTEXT'; path: readonly string[] };

type ParsedBody = { raw: string; ok: true; value: unknown } | { raw: string; ok: false };

/**
 * The JSON body parsed at most once per result object, shared by every condition of an endpoint.
 * Keyed weakly by the result: it disappears with the result. Re-parsed if the body was replaced.
 */
const parsedBodies = new WeakMap<object, ParsedBody>();

function parseBody(result: ConditionInput): ParsedBody {
  const raw = result.body ?? '';
  const cached = parsedBodies.get(result);
  if (cached && cached.raw === raw) return cached;
  let parsed: ParsedBody;
  try {
    parsed = { raw, ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    parsed = { raw, ok: false };
  }
  parsedBodies.set(result, parsed);
  return parsed;
}

/** Go's int conversion of a numeric field; NaN, ±Infinity and values beyond 2^53 keep their JS text. */
function trunc(n: number | undefined): Resolved {
  const t = Math.trunc(n ?? 0);
  return Number.isSafeInteger(t) ? t : String(t);
}

const SIMPLE: Readonly<Record<Exclude<PlaceholderName, 'BODY' | 'CONTEXT'>, (r: ConditionInput) => Resolved>> = {
  STATUS: (r) => trunc(r.status),
  IP: (r) => r.ip ?? '',
  RESPONSE_TIME: (r) => trunc(r.responseTimeMs),
  CONNECTED: (r) => (r.connected === true ? 'true' : 'false'),
  CERTIFICATE_EXPIRATION: (r) => trunc(r.certificateExpirationMs),
  DOMAIN_EXPIRATION: (r) => trunc(r.domainExpirationMs),
  DNS_RCODE: (r) => r.dnsRcode ?? '',
};

function wrapValue(get: (r: ConditionInput) => Resolved, wrapper: Wrapper): Resolver {
  if (wrapper === 'has') return (r) => (resolvedText(get(r)) !== '' ? 'true' : 'false');
  if (wrapper === 'len') return (r) => byteLength(resolvedText(get(r)));
  return get;
}

/** len([BODY]): elements of a JSON array body, otherwise the body's bytes (untrimmed, as Gatus). */
function bodyLength(result: ConditionInput): number {
  const raw = result.body ?? '';
  if (raw.startsWith('[') && raw.endsWith(']')) {
    const parsed = parseBody(result);
    if (parsed.ok && Array.isArray(parsed.value)) return parsed.value.length;
    if (!parsed.ok) return byteLength(raw.trim());
  }
  return byteLength(raw);
}

function bodyResolver(path: readonly PathSegment[] | null, wrapper: Wrapper, invalid: string): Resolver {
  if (path === null) {
    if (wrapper === 'has') return (r) => ((r.body ?? '').trim() !== '' ? 'true' : 'false');
    if (wrapper === 'len') return bodyLength;
    return (r) => (r.body ?? '').trim();
  }
  return (r) => {
    const parsed = parseBody(r);
    const value = parsed.ok ? evaluateJsonPath(path, parsed.value) : undefined;
    if (wrapper === 'has') return value === undefined ? 'false' : 'true';
    if (value === undefined) return invalid;
    return wrapper === 'len' ? jsonValueLength(value) : jsonValueText(value);
  };
}

function lookupContext(context: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let current = context;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return { found: false, value: undefined };
    current = current[key];
  }
  return { found: true, value: current };
}

function contextLength(value: unknown): number {
  if (typeof value === 'string') return byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (isRecord(value)) return Object.keys(value).length;
  return byteLength(formatGoValue(value));
}

function contextResolver(path: readonly string[], wrapper: Wrapper, text: string, invalid: string): Resolver {
  return (_r, options) => {
    const context = options.context;
    if (context === undefined || context === null) {
      // Outside a suite Gatus leaves [CONTEXT] unresolved: a literal, false for has(), INVALID for len().
      if (wrapper === 'has') return 'false';
      return wrapper === 'len' ? invalid : text;
    }
    const { found, value } = path.length === 0 ? { found: false, value: undefined } : lookupContext(context, path);
    if (wrapper === 'has') return found ? 'true' : 'false';
    if (!found) return invalid;
    return wrapper === 'len' ? contextLength(value) : formatGoValue(value);
  };
}

/** `text` is the operand as written (e.g. `len([BODY].items)`), used for the INVALID rendering. */
export function compileResolver(ref: PlaceholderRef, wrapper: Wrapper, text: string): Resolver {
  const invalid = text + INVALID_SUFFIX;
  switch (ref.name) {
    case 'BODY':
      return bodyResolver(ref.path, wrapper, invalid);
    case 'CONTEXT':
      return contextResolver(ref.path, wrapper, text, invalid);
    default:
      return wrapValue(SIMPLE[ref.name], wrapper);
  }
}
