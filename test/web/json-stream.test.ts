import express from 'express';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendJsonArray } from '../../src/web/json-stream.js';
import { listen } from '../helpers/listen.js';

describe('sendJsonArray', () => {
  it('answers JSON.stringify of the array, built in slices that let other callbacks run', { timeout: 60_000 }, async () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({ key: `ep-${i}`, text: 'x"\\\n'.repeat(i % 5) }));
    let ticks = 0;
    let built = 0;
    const ticksWhileBuilding: number[] = [];
    const app = express();
    app.get('/list', async (_req, res) => {
      let on = true;
      const tick = (): void => {
        ticks++;
        if (on) setImmediate(tick);
      };
      setImmediate(tick);
      await sendJsonArray(res, items, (item) => {
        built++;
        if (built % 1000 === 0) ticksWhileBuilding.push(ticks);
        return item;
      }, 0);
      on = false;
    });
    const { port, close } = await listen(createServer(app));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/list`);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const text = await res.text();
      expect(text).toBe(JSON.stringify(items));
      // with sliceMs 0 every element ends a slice: the ticker ran between the thousands
      for (let i = 1; i < ticksWhileBuilding.length; i++) expect(ticksWhileBuilding[i]).toBeGreaterThan(ticksWhileBuilding[i - 1] ?? 0);
    } finally {
      await close();
    }
  });

  it('answers [] for no items', async () => {
    const app = express();
    app.get('/empty', (_req, res) => sendJsonArray(res, [], (x) => x));
    const { port, close } = await listen(createServer(app));
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/empty`)).json()).toEqual([]);
    } finally {
      await close();
    }
  });
});
