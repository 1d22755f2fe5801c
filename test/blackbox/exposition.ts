/** A small Prometheus text exposition parser for comparing /probe outputs. */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) labels[m[1] ?? ''] = (m[2] ?? '').replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

function parseValue(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, help: '', type: 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2] ?? '');
      if (meta[1] === 'HELP') f.help = meta[3] ?? '';
      else f.type = meta[3] ?? '';
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!sample) throw new Error(`unparsable exposition line: ${line}`);
    family(sample[1] ?? '').samples.push({ labels: parseLabels(sample[2] ?? ''), value: parseValue(sample[3] ?? '') });
  }
  return families;
}

/** The sorted label names used by a family's samples, e.g. `phase`. */
export function labelNames(family: Family): string {
  return [...new Set(family.samples.flatMap((s) => Object.keys(s.labels)))].sort().join(',');
}

/** The value of an unlabelled family (or its first sample). */
export function valueOf(families: Map<string, Family>, name: string): number | undefined {
  return families.get(name)?.samples[0]?.value;
}
