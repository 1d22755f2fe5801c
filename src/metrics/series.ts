/**
 * Metric families for per-endpoint series, registered in a prom-client Registry but without
 * prom-client's per-call cost. prom-client hashes the label object on every `set()`/`inc()` (sort,
 * validate, concatenate) and replaces the stored `{ value, labels }` object, so at 10 000 endpoints
 * each probe made tens of short-lived strings and objects that lived until the next probe. Here a
 * caller creates a series once (`add(labels)`) and keeps its handle; an observation is a field
 * store. The families answer prom-client's `get()` (and the histogram's `getForPromString()`) with
 * the same shapes as prom-client's Gauge, Counter and Histogram, so `registry.metrics()` prints the
 * same text, and `list()`/`visit()` let the sliced exposition write them without building that array.
 */
import type { Metric, Registry } from 'prom-client';

export type Labels = Readonly<Record<string, string>>;

/** One series of a gauge or counter: keep it and write `value`. */
export interface Series {
  readonly labels: Labels;
  value: number;
}

/** One series of a histogram: `observe` counts into the family's buckets. */
export interface HistogramSeries {
  readonly labels: Labels;
  sum: number;
  count: number;
  readonly buckets: Float64Array;
}

/** A sample as the exposition writes it (prom-client's value pair). */
export type SampleVisitor = (metricName: string, value: number, labels: Labels, sharedLabels: Labels | undefined) => void;

/** What the sliced exposition needs: the series now, and the samples of one of them. */
export interface SampleSource<S = unknown> {
  list(): readonly S[];
  visit(series: S, visitor: SampleVisitor): void;
}

interface Options {
  name: string;
  help: string;
}

const NO_LABELS: Labels = Object.freeze({});

abstract class Family<S extends { readonly labels: Labels }> implements SampleSource<S> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: 'gauge' | 'counter' | 'histogram';
  readonly aggregator = 'sum';
  protected readonly series = new Set<S>();

  constructor(registry: Registry, options: Options) {
    this.name = options.name;
    this.help = options.help;
    registry.registerMetric(this as unknown as Metric);
  }

  protected abstract create(labels: Labels): S;

  /** A new series (shown from now on, in creation order). */
  add(labels: Labels): S {
    const s = this.create(labels);
    this.series.add(s);
    return s;
  }

  remove(series: S | undefined): void {
    if (series) this.series.delete(series);
  }

  /** prom-client's reset(): every series is gone. */
  reset(): void {
    this.series.clear();
  }

  get size(): number {
    return this.series.size;
  }

  /** The series now, in creation order (a copy: the caller may yield while writing them). */
  list(): readonly S[] {
    return [...this.series];
  }

  abstract visit(series: S, visitor: SampleVisitor): void;

  protected forEachSample(visitor: SampleVisitor): void {
    for (const s of this.series) this.visit(s, visitor);
  }
}

class ValueFamily extends Family<Series> {
  constructor(
    registry: Registry,
    options: Options,
    readonly type: 'gauge' | 'counter',
  ) {
    super(registry, options);
  }

  protected create(labels: Labels): Series {
    return { labels, value: 0 };
  }

  get(): { name: string; help: string; type: string; values: { value: number; labels: Labels }[]; aggregator: string } {
    const values = [...this.series].map((s) => ({ value: s.value, labels: s.labels }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  visit(series: Series, visitor: SampleVisitor): void {
    visitor(this.name, series.value, series.labels, undefined);
  }
}

export class GaugeFamily extends ValueFamily {
  constructor(registry: Registry, options: Options) {
    super(registry, options, 'gauge');
  }

  /** A series whose value is `valueOf()` each time it is read (so at scrape time, e.g. from a clock); it cannot be set. */
  addComputed(labels: Labels, valueOf: () => number): Readonly<Series> {
    const s = {
      labels,
      get value(): number {
        return valueOf();
      },
    };
    this.series.add(s);
    return s;
  }
}

export class CounterFamily extends ValueFamily {
  constructor(registry: Registry, options: Options) {
    super(registry, options, 'counter');
  }
}

interface HistogramSample {
  labels: Labels;
  sharedLabels: Labels;
  value: number;
  metricName: string;
}

export class HistogramFamily extends Family<HistogramSeries> {
  readonly type = 'histogram';
  readonly upperBounds: readonly number[];
  /** One `{ le }` object per bound (and +Inf), shared by every series. */
  private readonly le: Labels[];
  private readonly bucketName: string;
  private readonly sumName: string;
  private readonly countName: string;

  constructor(registry: Registry, options: Options & { buckets: readonly number[] }) {
    super(registry, options);
    this.upperBounds = [...options.buckets].sort((a, b) => a - b);
    this.le = [...this.upperBounds.map((b) => Object.freeze({ le: String(b) })), Object.freeze({ le: '+Inf' })];
    this.bucketName = `${this.name}_bucket`;
    this.sumName = `${this.name}_sum`;
    this.countName = `${this.name}_count`;
  }

  protected create(labels: Labels): HistogramSeries {
    return { labels, sum: 0, count: 0, buckets: new Float64Array(this.upperBounds.length) };
  }

  observe(series: HistogramSeries, value: number): void {
    series.sum += value;
    series.count += 1;
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        series.buckets[i] = (series.buckets[i] as number) + 1;
        return;
      }
    }
  }

  visit(s: HistogramSeries, visitor: SampleVisitor): void {
    const le = this.le;
    let acc = 0;
    for (let i = 0; i < s.buckets.length; i++) {
      acc += s.buckets[i] as number;
      visitor(this.bucketName, acc, le[i] as Labels, s.labels);
    }
    visitor(this.bucketName, s.count, le[le.length - 1] as Labels, s.labels);
    visitor(this.sumName, s.sum, NO_LABELS, s.labels);
    visitor(this.countName, s.count, NO_LABELS, s.labels);
  }

  /** prom-client's Histogram shape: bucket labels `{ le }` with the series' labels as sharedLabels. */
  getForPromString(): { name: string; help: string; type: string; values: HistogramSample[]; aggregator: string } {
    const values: HistogramSample[] = [];
    this.forEachSample((metricName, value, labels, sharedLabels) => values.push({ metricName, value, labels: { ...labels }, sharedLabels: sharedLabels ?? NO_LABELS }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** prom-client's Histogram.get(): the same samples with the labels merged. */
  get(): { name: string; help: string; type: string; values: { metricName: string; value: number; labels: Labels }[]; aggregator: string } {
    const data = this.getForPromString();
    return { ...data, values: data.values.map((v) => ({ metricName: v.metricName, value: v.value, labels: { ...v.labels, ...v.sharedLabels } })) };
  }
}
