/**
 * `${VAR}` and `$VAR` expansion, applied to string scalars after parsing (so locations stay
 * exact). `$$` is a literal `$`, as in Gatus.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Expansion {
  text: string;
  /** Names referenced but not set (expanded to empty). */
  unset: string[];
  /** Variables substituted, name → value (for redaction: a value from the environment may be a secret). */
  used: Record<string, string>;
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandEnv(text: string, env: Env): Expansion {
  if (!text.includes('$')) return { text, unset: [], used: {} };
  const unset: string[] = [];
  const used: Record<string, string> = {};
  const out = text.replace(PATTERN, (match, braced: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    const value = env[name];
    if (value === undefined) {
      if (!unset.includes(name)) unset.push(name);
      return '';
    }
    used[name] = value;
    return value;
  });
  return { text: out, unset, used };
}
