/**
 * The history of one endpoint in a few KB: a fixed ring of typed arrays (timestamp, response time,
 * status, success/connected), the conditions' outcomes as a bit mask, and — only for results that
 * show more than the condition texts (a failed condition's rendering, an error) — their strings,
 * interned so that repeated failures share one copy. The latest result is kept whole.
 * Reading builds plain CheckResults again (allocation happens per read, not per probe).
 */
import type { CheckResult, ConditionResult } from '../check/types.js';
import type { EndpointConfig } from '../config/schema.js';

export interface CompactHistory {
  readonly capacity: number;
  readonly size: number;
  push(check: CheckResult): void;
  /** The newest result, as it was observed (body already dropped by the check runner). */
  latest(): CheckResult | undefined;
  /** `count` results, skipping the `skip` newest, returned oldest → newest. */
  fromNewest(skip: number, count: number): CheckResult[];
  /** Characters of the distinct strings held (renderings and errors), for tests and sizing. */
  readonly retainedChars: number;
}

/** Results with more conditions than this keep them as strings instead of a mask. */
const MASK_BITS = 32;
const SUCCESS = 1;
const CONNECTED = 2;
const NO_STATUS = -1;

/** What a result shows beyond its endpoint's condition texts. */
interface Detail {
  conditionResults: ConditionResult[];
  errors: string[];
}

/** Counts references per distinct string so equal strings share one copy, freed with the last slot. */
class Interner {
  private readonly table = new Map<string, { text: string; refs: number }>();
  chars = 0;

  intern(text: string): string {
    const found = this.table.get(text);
    if (found) {
      found.refs += 1;
      return found.text;
    }
    this.table.set(text, { text, refs: 1 });
    this.chars += text.length;
    return text;
  }

  release(text: string): void {
    const found = this.table.get(text);
    if (found && --found.refs <= 0) {
      this.table.delete(text);
      this.chars -= text.length;
    }
  }
}

/** true when the conditions show only their texts (in the endpoint's order) and there is no error. */
function plain(check: CheckResult): boolean {
  const { conditions } = check.endpoint;
  const results = check.conditionResults;
  if (check.errors.length > 0 || results.length !== conditions.length || results.length > MASK_BITS) return false;
  for (let i = 0; i < results.length; i++) {
    const r = results[i] as ConditionResult;
    if (r.condition !== (conditions[i] as { text: string }).text || r.rendered !== r.condition) return false;
  }
  return true;
}

/** Bytes per slot in the one buffer: timestamp and response time (f64), status and mask (32 bit), flags. */
const SLOT_BYTES = 8 + 8 + 4 + 4 + 1;

/**
 * One class, one buffer: at 10 000 endpoints, per-instance closures and five typed arrays each
 * cost more than the numbers they held.
 */
class Compact implements CompactHistory {
  private readonly timestamps: Float64Array;
  private readonly responseTimesMs: Float64Array;
  private readonly statuses: Int32Array;
  private readonly masks: Uint32Array;
  private readonly flags: Uint8Array;
  /** The endpoint config of every slot: `endpoint` unless a reload changed it (then per slot). */
  private endpoint: EndpointConfig | undefined;
  private endpoints: (EndpointConfig | undefined)[] | undefined;
  /** Slots that show more than their condition texts. */
  private details: Map<number, Detail> | undefined;
  private strings: Interner | undefined;
  private start = 0;
  private count = 0;
  private last: CheckResult | undefined;

  constructor(readonly capacity: number) {
    const buffer = new ArrayBuffer(capacity * SLOT_BYTES);
    this.timestamps = new Float64Array(buffer, 0, capacity);
    this.responseTimesMs = new Float64Array(buffer, capacity * 8, capacity);
    this.statuses = new Int32Array(buffer, capacity * 16, capacity);
    this.masks = new Uint32Array(buffer, capacity * 20, capacity);
    this.flags = new Uint8Array(buffer, capacity * 24, capacity);
  }

  get size(): number {
    return this.count;
  }

  get retainedChars(): number {
    return this.strings?.chars ?? 0;
  }

  push(check: CheckResult): void {
    let slot: number;
    if (this.count < this.capacity) {
      slot = (this.start + this.count) % this.capacity;
      this.count += 1;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.store(slot, check);
    this.last = check;
  }

  latest(): CheckResult | undefined {
    return this.last;
  }

  fromNewest(skip: number, count: number): CheckResult[] {
    const end = Math.max(0, this.size - Math.max(0, skip));
    const begin = Math.max(0, end - Math.max(0, count));
    const out: CheckResult[] = [];
    for (let i = begin; i < end; i += 1) out.push(i === this.size - 1 && this.last ? this.last : this.read((this.start + i) % this.capacity));
    return out;
  }

  private releaseSlot(slot: number): void {
    const detail = this.details?.get(slot);
    if (!detail || !this.strings) return;
    for (const c of detail.conditionResults) this.strings.release(c.rendered);
    for (const e of detail.errors) this.strings.release(e);
    this.details?.delete(slot);
  }

  private setEndpoint(slot: number, endpoint: EndpointConfig): void {
    if (this.endpoint === undefined) this.endpoint = endpoint;
    if (this.endpoint === endpoint && this.endpoints === undefined) return;
    this.endpoints ??= new Array<EndpointConfig | undefined>(this.capacity).fill(this.endpoint);
    this.endpoints[slot] = endpoint;
  }

  private endpointAt(slot: number): EndpointConfig {
    return (this.endpoints?.[slot] ?? this.endpoint) as EndpointConfig;
  }

  private store(slot: number, check: CheckResult): void {
    this.releaseSlot(slot);
    const r = check.result;
    this.timestamps[slot] = check.timestamp;
    this.responseTimesMs[slot] = r.responseTimeMs;
    this.statuses[slot] = r.status === undefined || !Number.isInteger(r.status) ? NO_STATUS : r.status;
    this.flags[slot] = (check.success ? SUCCESS : 0) | (r.connected ? CONNECTED : 0);
    this.setEndpoint(slot, check.endpoint);
    if (plain(check)) {
      let mask = 0;
      const results = check.conditionResults;
      for (let i = 0; i < results.length; i++) if (results[i]?.success) mask |= 1 << i;
      this.masks[slot] = mask >>> 0;
      return;
    }
    this.masks[slot] = 0;
    const strings = (this.strings ??= new Interner());
    (this.details ??= new Map()).set(slot, {
      conditionResults: check.conditionResults.map((c) => ({ condition: c.condition, success: c.success, rendered: strings.intern(c.rendered) })),
      errors: check.errors.map((e) => strings.intern(e)),
    });
  }

  private read(slot: number): CheckResult {
    const endpoint = this.endpointAt(slot);
    const detail = this.details?.get(slot);
    const mask = this.masks[slot] as number;
    const f = this.flags[slot] as number;
    const status = this.statuses[slot] as number;
    const conditionResults = detail
      ? detail.conditionResults.map((c) => ({ ...c }))
      : endpoint.conditions.map((c, i) => ({ condition: c.text, success: (mask & (1 << i)) !== 0, rendered: c.text }));
    return {
      endpoint,
      timestamp: this.timestamps[slot] as number,
      success: (f & SUCCESS) !== 0,
      result: {
        connected: (f & CONNECTED) !== 0,
        responseTimeMs: this.responseTimesMs[slot] as number,
        phasesMs: {},
        ...(status === NO_STATUS ? {} : { status }),
      },
      conditionResults,
      errors: detail ? [...detail.errors] : [],
    };
  }
}

export function createCompactHistory(capacity: number): CompactHistory {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
  return new Compact(capacity);
}
