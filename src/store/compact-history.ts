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
function createInterner() {
  const table = new Map<string, { text: string; refs: number }>();
  let chars = 0;
  return {
    intern(text: string): string {
      const found = table.get(text);
      if (found) {
        found.refs += 1;
        return found.text;
      }
      table.set(text, { text, refs: 1 });
      chars += text.length;
      return text;
    },
    release(text: string): void {
      const found = table.get(text);
      if (found && --found.refs <= 0) {
        table.delete(text);
        chars -= text.length;
      }
    },
    get chars() {
      return chars;
    },
  };
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

export function createCompactHistory(capacity: number): CompactHistory {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
  const timestamps = new Float64Array(capacity);
  const responseTimesMs = new Float64Array(capacity);
  const statuses = new Int32Array(capacity);
  const flags = new Uint8Array(capacity);
  const masks = new Uint32Array(capacity);
  const endpoints = new Array<EndpointConfig | undefined>(capacity).fill(undefined);
  const details = new Array<Detail | undefined>(capacity).fill(undefined);
  const strings = createInterner();
  let start = 0;
  let size = 0;
  let last: CheckResult | undefined;

  const releaseSlot = (slot: number): void => {
    const detail = details[slot];
    if (!detail) return;
    for (const c of detail.conditionResults) strings.release(c.rendered);
    for (const e of detail.errors) strings.release(e);
    details[slot] = undefined;
  };

  const store = (slot: number, check: CheckResult): void => {
    releaseSlot(slot);
    const r = check.result;
    timestamps[slot] = check.timestamp;
    responseTimesMs[slot] = r.responseTimeMs;
    statuses[slot] = r.status === undefined || !Number.isInteger(r.status) ? NO_STATUS : r.status;
    flags[slot] = (check.success ? SUCCESS : 0) | (r.connected ? CONNECTED : 0);
    endpoints[slot] = check.endpoint;
    if (plain(check)) {
      let mask = 0;
      const results = check.conditionResults;
      for (let i = 0; i < results.length; i++) if (results[i]?.success) mask |= 1 << i;
      masks[slot] = mask >>> 0;
    } else {
      masks[slot] = 0;
      details[slot] = {
        conditionResults: check.conditionResults.map((c) => ({ condition: c.condition, success: c.success, rendered: strings.intern(c.rendered) })),
        errors: check.errors.map((e) => strings.intern(e)),
      };
    }
  };

  const read = (slot: number): CheckResult => {
    const endpoint = endpoints[slot] as EndpointConfig;
    const detail = details[slot];
    const mask = masks[slot] as number;
    const f = flags[slot] as number;
    const status = statuses[slot] as number;
    const conditionResults = detail
      ? detail.conditionResults.map((c) => ({ ...c }))
      : endpoint.conditions.map((c, i) => ({ condition: c.text, success: (mask & (1 << i)) !== 0, rendered: c.text }));
    return {
      endpoint,
      timestamp: timestamps[slot] as number,
      success: (f & SUCCESS) !== 0,
      result: {
        connected: (f & CONNECTED) !== 0,
        responseTimeMs: responseTimesMs[slot] as number,
        phasesMs: {},
        ...(status === NO_STATUS ? {} : { status }),
      },
      conditionResults,
      errors: detail ? [...detail.errors] : [],
    };
  };

  return {
    capacity,
    get size() {
      return size;
    },
    push(check) {
      let slot: number;
      if (size < capacity) {
        slot = (start + size) % capacity;
        size += 1;
      } else {
        slot = start;
        start = (start + 1) % capacity;
      }
      store(slot, check);
      last = check;
    },
    latest: () => last,
    get retainedChars() {
      return strings.chars;
    },
    fromNewest(skip, count) {
      const end = Math.max(0, size - Math.max(0, skip));
      const begin = Math.max(0, end - Math.max(0, count));
      const out: CheckResult[] = [];
      for (let i = begin; i < end; i += 1) out.push(i === size - 1 && last ? last : read((start + i) % capacity));
      return out;
    },
  };
}
