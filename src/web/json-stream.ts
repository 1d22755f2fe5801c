/**
 * A JSON array built element by element, yielding to the event loop whenever a slice has run for
 * `sliceMs`, so an answer about 10 000 endpoints never builds or serializes them all on one tick. The
 * bytes are those of `JSON.stringify(items.map(toJson))`.
 */
import type { Response } from 'express';
import { drained } from '../drain.js';
import { DEFAULT_SLICE_MS, TimeSlices } from '../slices.js';

/** The array's JSON text in pieces, one per slice; the loop turns between pieces. `toText` gives an element's JSON. */
export async function* jsonArrayPieces<T>(items: readonly T[], toText: (item: T) => string, slices: TimeSlices): AsyncGenerator<string> {
  const parts: string[] = ['['];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(',');
    parts.push(toText(items[i] as T));
    if (slices.due) {
      yield parts.join('');
      parts.length = 0;
      await slices.pause();
    }
  }
  parts.push(']');
  yield parts.join('');
}

/** The whole text of jsonArrayPieces, built in slices. */
export async function jsonArrayText<T>(items: readonly T[], toText: (item: T) => string, slices: TimeSlices): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of jsonArrayPieces(items, toText, slices)) pieces.push(piece);
  return pieces.join('');
}

/** Streams the array as the response body, waiting for the socket to drain when it is full. */
export async function sendJsonArray<T>(res: Response, items: readonly T[], toJson: (item: T) => unknown, sliceMs = DEFAULT_SLICE_MS): Promise<void> {
  res.type('application/json');
  const toText = (item: T): string => JSON.stringify(toJson(item)) ?? 'null';
  for await (const piece of jsonArrayPieces(items, toText, new TimeSlices(sliceMs))) {
    if (res.destroyed) return;
    if (!res.write(piece)) await drained(res);
  }
  res.end();
}
