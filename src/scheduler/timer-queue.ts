/**
 * One timer for every scheduled item: a binary min-heap ordered by due time, and a single
 * setTimeout armed for the earliest. 10 000 endpoints cost one live timer, not 10 000.
 */
export interface Due {
  dueAt: number;
}

export interface TimerQueue<T extends Due> {
  /** Adds an item (its `dueAt` must not change while queued). */
  push(item: T): void;
  readonly size: number;
  /** Cancels the timer and forgets every item. */
  clear(): void;
}

export function createTimerQueue<T extends Due>(onDue: (item: T) => void, now: () => number): TimerQueue<T> {
  const heap: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = Number.POSITIVE_INFINITY;
  let firing = false;

  const less = (a: number, b: number): boolean => (heap[a] as T).dueAt < (heap[b] as T).dueAt;
  const swap = (a: number, b: number): void => {
    const t = heap[a] as T;
    heap[a] = heap[b] as T;
    heap[b] = t;
  };
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  const pop = (): T => {
    const top = heap[0] as T;
    const last = heap.pop() as T;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    return top;
  };

  const arm = (): void => {
    const first = heap[0];
    if (!first || firing) return;
    if (timer !== undefined && armedFor <= first.dueAt) return;
    clearTimeout(timer);
    armedFor = first.dueAt;
    timer = setTimeout(fire, Math.max(0, first.dueAt - now()));
  };

  function fire(): void {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const t = now();
    firing = true;
    try {
      // Only items due now; items pushed back by onDue are due later, so this loop ends.
      while (heap.length > 0 && (heap[0] as T).dueAt <= t) onDue(pop());
    } finally {
      firing = false;
    }
    arm();
  }

  return {
    push(item) {
      heap.push(item);
      up(heap.length - 1);
      arm();
    },
    get size() {
      return heap.length;
    },
    clear() {
      clearTimeout(timer);
      timer = undefined;
      armedFor = Number.POSITIVE_INFINITY;
      heap.length = 0;
    },
  };
}
