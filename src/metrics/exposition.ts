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
import { DEFAULT_SLICE_MS, TimeSlices } from '../slices.js';
import { defaultLabelsOf } from './registry.js';
import type { SampleSource } from './series.js';

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
  name: string;
  help: string;
  type: string;
  get(): Promise<Family> | Family;
  getForPromString?: () => Promise<Family>;
}

const isSampleSource = (metric: Collectable): metric is Collectable & SampleSource =>
  typeof (metric as Partial<SampleSource>).list === 'function' && typeof (metric as Partial<SampleSource>).visit === 'function';

const escapeText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabel = (v: string | number): string => {
  if (typeof v !== 'string') return String(v);
  return NEEDS_ESCAPE.test(v) ? escapeText(v).replace(/"/g, '\\"') : v;
};

function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan'; // prom-client's spelling; Prometheus parses it case-insensitively
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** A writable the exposition goes to (an http.ServerResponse). */
export interface ExpositionSink extends DrainableSink {
  write(chunk: string): boolean;
}

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
  const join = (a: string, b: string, c: string): string => {
    let out = a;
    if (b) out = out ? `${out},${b}` : b;
    if (c) out = out ? `${out},${c}` : c;
    return out;
  };
  /** Own labels without those in `shared` (cached when none of them is shared, the usual case). */
  const ownText = (labels: Labels, shared: Labels): string => {
    for (const name in labels) if (Object.hasOwn(shared, name)) return labelText(labels, shared);
    return cached(labels);
  };
  const line = (metricName: string, value: number, labels: Labels | undefined, sharedLabels: Labels | undefined): string => {
    const shared = sharedLabels && Object.keys(sharedLabels).length > 0 ? cached(sharedLabels) : '';
    const own = labels ? (shared ? ownText(labels, sharedLabels as Labels) : cached(labels)) : '';
    const all = join(own, defaultNames.length > 0 ? defaultsFor(labels) : '', shared);
    return `${metricName}${all ? `{${all}}` : ''} ${valueText(value)}`;
  };
  const sampleLine = (name: string, sample: Sample): string => line(sample.metricName ?? name, sample.value, sample.labels, sample.sharedLabels);

  /** Writes the whole exposition to `sink`, yielding to the event loop between slices. */
  return async function write(sink: ExpositionSink): Promise<void> {
    const flush = async (lines: string[]): Promise<void> => {
      if (lines.length === 0 || sink.destroyed) return;
      const ok = sink.write(lines.join(''));
      lines.length = 0;
      if (!ok) await drained(sink);
    };
    const lines: string[] = [];
    const slices = new TimeSlices(sliceMs);
    let first = true;
    /** After at least 256 samples (two entries each): true when the slice has run for sliceMs (then await `pause()`). */
    const due = (): boolean => lines.length >= 512 && slices.due;
    const pause = async (): Promise<void> => {
      await flush(lines);
      await slices.pause();
    };
    const header = (family: { name: string; help: string; type: string }): string => {
      const name = escapeText(family.name);
      const text = `${first ? '' : '\n\n'}# HELP ${name} ${escapeText(family.help)}\n# TYPE ${name} ${family.type}`;
      first = false;
      return text;
    };
    const visitor = (metricName: string, value: number, labels: Labels, shared: Labels | undefined): void => {
      lines.push('\n', line(metricName, value, labels, shared));
    };
    for (const metric of registry.getMetricsAsArray() as unknown as Collectable[]) {
      if (sink.destroyed) return;
      if (isSampleSource(metric)) {
        // Our own families: no array of samples, label texts cached per series.
        lines.push(header(metric));
        const series = metric.list();
        for (let i = 0; i < series.length; i++) {
          metric.visit(series[i], visitor);
          if (due()) await pause();
        }
        continue;
      }
      const family = metric.getForPromString ? await metric.getForPromString() : await metric.get();
      const name = escapeText(family.name);
      lines.push(header(family));
      const values = family.values ?? [];
      for (let i = 0; i < values.length; i++) {
        lines.push('\n', sampleLine(name, values[i] as Sample));
        if (due()) await pause();
      }
    }
    lines.push('\n');
    await flush(lines);
  };
}
