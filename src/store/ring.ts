/** A fixed-capacity ring: pushing onto a full ring drops the oldest item. */
export interface Ring<T> {
  readonly capacity: number;
  readonly size: number;
  push(item: T): void;
  /** Newest item, or undefined when empty. */
  last(): T | undefined;
  /** Items oldest → newest. */
  toArray(): T[];
  /**
   * A slice counted from the newest end, returned oldest → newest: `fromNewest(0, 20)` is the
   * 20 most recent items.
   */
  fromNewest(skip: number, count: number): T[];
}

export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  const items: (T | undefined)[] = new Array<T | undefined>(capacity);
  let start = 0;
  let size = 0;

  const at = (i: number): T => items[(start + i) % capacity] as T;

  return {
    capacity,
    get size() {
      return size;
    },
    push(item) {
      if (size < capacity) {
        items[(start + size) % capacity] = item;
        size += 1;
      } else {
        items[start] = item;
        start = (start + 1) % capacity;
      }
    },
    last() {
      return size === 0 ? undefined : at(size - 1);
    },
    toArray() {
      const out: T[] = [];
      for (let i = 0; i < size; i += 1) out.push(at(i));
      return out;
    },
    fromNewest(skip, count) {
      const end = Math.max(0, size - Math.max(0, skip));
      const begin = Math.max(0, end - Math.max(0, count));
      const out: T[] = [];
      for (let i = begin; i < end; i += 1) out.push(at(i));
      return out;
    },
  };
}
