/**
 * The young-generation cap on a real V8 heap: a process that keeps many short-lived survivors
 * grows its new space to V8's maximum (two 16 MB semi-spaces) without the cap, and stays at
 * two 4 MB semi-spaces with capYoungGeneration(4). Child processes: the V8 flag is process-wide.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/vigil-process.js';

const MODULE = pathToFileURL(join(ROOT, 'dist/young-generation.js')).href;

/** Runs the survivor-heavy workload; returns the largest new space seen, in MB. */
async function maxNewSpaceMb(cap: number | undefined): Promise<number> {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    ${cap === undefined ? '' : `capYoungGeneration(${cap});`}
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const keep = [];
    let max = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 5000; i++) {
        keep.push({ i, list: [i], text: 'x' + i });
        if (keep.length > 40000) keep.splice(0, 10000);
      }
      max = Math.max(max, newSpace());
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(max / 1048576);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
  return Number(stdout.trim());
}

describe('the young-generation cap on V8', () => {
  beforeAll(ensureBuilt, 180_000);

  it('keeps the new space at the cap, where V8 alone grows it to its maximum', async () => {
    expect(await maxNewSpaceMb(undefined)).toBeGreaterThan(8); // 32 on a 64-bit machine with a few GB
    expect(await maxNewSpaceMb(4)).toBeLessThanOrEqual(8);
  });
});
