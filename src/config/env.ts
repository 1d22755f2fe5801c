/**
 * `${VAR}` and `$VAR` expansion, applied to string scalars after parsing (so locations stay
 * exact). `$$` is a literal `$`, as in Gatus.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Expansion {
  text: string;
  /** Names referenced but not set (expanded to empty). */
  unset: string[];
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandEnv(text: string, env: Env): Expansion {
  if (!text.includes('$')) return { text, unset: [] };
  const unset: string[] = [];
  const out = text.replace(PATTERN, (match, braced: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    const value = env[name];
    if (value === undefined) {
      if (!unset.includes(name)) unset.push(name);
      return '';
    }
    return value;
  });
  return { text: out, unset };
}
