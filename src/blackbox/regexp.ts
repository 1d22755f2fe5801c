/**
 * Go (RE2) regular expressions as blackbox.yml writes them, compiled to JavaScript RegExps.
 * RE2 and JavaScript agree on the common syntax; the differences handled here are the
 * leading flag groups `(?i)`, `(?s)`, `(?m)` (and combinations), which JavaScript spells as flags,
 * and a repeated anchor such as `^+OK` (Debian's pop3s_banner), which RE2 accepts and JavaScript
 * rejects: it becomes `(?:^)+OK`.
 */

/** Wraps `^` / `$` followed by a quantifier in a group, outside character classes. */
function groupRepeatedAnchors(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      continue;
    }
    const next = pattern[i + 1] ?? '';
    out += (c === '^' || c === '$') && '+*?{'.includes(next) && next !== '' ? `(?:${c})` : c;
  }
  return out;
}

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
    return new RegExp(groupRepeatedAnchors(pattern), flags);
  } catch (error) {
    return `could not compile regular expression "${source}": ${error instanceof Error ? error.message : String(error)}`;
  }
}
