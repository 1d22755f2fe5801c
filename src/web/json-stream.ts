/**
 * A JSON array written element by element, yielding to the event loop whenever a slice has run for
 * `sliceMs`, so an answer about 10 000 endpoints never serializes them all on one tick. The bytes
 * are those of `JSON.stringify(items.map(toJson))`.
 */
import type { Response } from 'express';
import { drained } from '../drain.js';

export const DEFAULT_JSON_SLICE_MS = 5;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function sendJsonArray<T>(res: Response, items: readonly T[], toJson: (item: T) => unknown, sliceMs = DEFAULT_JSON_SLICE_MS): Promise<void> {
  res.type('application/json');
  const parts: string[] = ['['];
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (res.destroyed) return;
    if (i > 0) parts.push(',');
    parts.push(JSON.stringify(toJson(items[i] as T)) ?? 'null');
    if (performance.now() - sliceStart > sliceMs) {
      const ok = res.write(parts.join(''));
      parts.length = 0;
      if (!ok) await drained(res);
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  parts.push(']');
  res.end(parts.join(''));
}
