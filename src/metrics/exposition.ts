/**
 * The /metrics text, written one slice at a time: at 10 000 endpoints prom-client's
 * `registry.metrics()` builds tens of MB in one synchronous run (over a second at 10 000
 * endpoints), stalling every probe. Here each series line is built from a label string cached per
 * label object (prom-client keeps the object a series was created with), and the writer yields to
 * the event loop whenever a slice has run for `sliceMs`. The text is the same as prom-client's
 * (Prometheus text format 0.0.4).
 */
import type { Registry } from 'prom-client';
import { drained, type DrainableSink } from '../drain.js';
import { defaultLabelsOf } from './registry.js';

export const DEFAULT_SLICE_MS = 5;

type Labels = Record<string, string | number>;
interface Sample {
  value: number;
  labels?: Labels;
  sharedLabels?: Labels;
  metricName?: string;
}
interface Family {
  name: string;
  help: string;
  type: string;
  values?: Sample[];
}
interface Collectable {
  get(): Promise<Family> | Family;
  getForPromString?: () => Promise<Family>;
}

const escapeText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (v: string | number): string => (typeof v === 'string' ? escapeText(v).replace(/"/g, '\\"') : String(v));

function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan'; // prom-client's spelling; Prometheus parses it case-insensitively
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** A writable the exposition goes to (an http.ServerResponse). */
export interface ExpositionSink extends DrainableSink {
  write(chunk: string): boolean;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createExposition(registry: Registry, sliceMs = DEFAULT_SLICE_MS) {
  const cache = new WeakMap<object, string>();
  const labelText = (labels: Labels, exclude?: Labels): string => {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(labels)) {
      if (!exclude || !Object.hasOwn(exclude, name)) parts.push(`${name}="${escapeLabel(value)}"`);
    }
    return parts.join(',');
  };
  /** Label text of a series, cached while prom-client keeps the same label object. */
  const cached = (labels: Labels): string => {
    let text = cache.get(labels);
    if (text === undefined) {
      text = labelText(labels);
      cache.set(labels, text);
    }
    return text;
  };
  // The registry's default labels (--location) follow a series' own labels, as prom-client orders them;
  // a series that sets one itself keeps its own value.
  const defaults = defaultLabelsOf(registry);
  const defaultNames = Object.keys(defaults);
  const defaultsText = labelText(defaults);
  const defaultsFor = (labels: Labels | undefined): string => {
    if (!labels || !defaultNames.some((n) => Object.hasOwn(labels, n))) return defaultsText;
    return labelText(defaults, labels);
  };
  const join = (...parts: string[]): string => parts.filter(Boolean).join(',');
  const sampleLine = (name: string, sample: Sample): string => {
    const shared = sample.sharedLabels && Object.keys(sample.sharedLabels).length > 0 ? cached(sample.sharedLabels) : '';
    const own = sample.labels ? (shared ? labelText(sample.labels, sample.sharedLabels) : cached(sample.labels)) : '';
    const all = join(own, defaultNames.length > 0 ? defaultsFor(sample.labels) : '', shared);
    return `${sample.metricName ?? name}${all ? `{${all}}` : ''} ${valueText(sample.value)}`;
  };

  /** Writes the whole exposition to `sink`, yielding to the event loop between slices. */
  return async function write(sink: ExpositionSink): Promise<void> {
    const flush = async (lines: string[]): Promise<void> => {
      if (lines.length === 0 || sink.destroyed) return;
      const ok = sink.write(lines.join(''));
      lines.length = 0;
      if (!ok) await drained(sink);
    };
    const lines: string[] = [];
    let sliceStart = performance.now();
    let first = true;
    for (const metric of registry.getMetricsAsArray() as unknown as Collectable[]) {
      if (sink.destroyed) return;
      const family = metric.getForPromString ? await metric.getForPromString() : await metric.get();
      const name = escapeText(family.name);
      lines.push(`${first ? '' : '\n\n'}# HELP ${name} ${escapeText(family.help)}\n# TYPE ${name} ${family.type}`);
      first = false;
      const values = family.values ?? [];
      for (let i = 0; i < values.length; i++) {
        lines.push('\n', sampleLine(name, values[i] as Sample));
        if ((i & 255) === 255 && performance.now() - sliceStart > sliceMs) {
          await flush(lines);
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    }
    lines.push('\n');
    await flush(lines);
  };
}
