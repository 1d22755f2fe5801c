/**
 * Go (RE2) regular expressions as blackbox.yml writes them, compiled to JavaScript RegExps.
 * RE2 and JavaScript agree on the common syntax; the differences handled here are the
 * leading flag groups `(?i)`, `(?s)`, `(?m)` (and combinations), which JavaScript spells as flags.
 */

/** A RegExp, or an error message saying why the text does not compile. */
export function compileGoRegexp(source: string): RegExp | string {
  let pattern = source;
  let flags = '';
  const prefix = /^\(\?([ims]+)\)/.exec(pattern);
  if (prefix?.[1]) {
    flags = [...new Set(prefix[1])].join('');
    pattern = pattern.slice(prefix[0].length);
  }
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    return `could not compile regular expression "${source}": ${error instanceof Error ? error.message : String(error)}`;
  }
}
