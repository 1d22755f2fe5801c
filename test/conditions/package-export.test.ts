import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

const script = `
import('vigil/conditions').then((m) => {
  const c = m.compileCondition('[STATUS] == 200');
  let code = '';
  try { m.compileCondition('[STATU] == 200'); } catch (err) { code = err instanceof m.ConditionSyntaxError ? err.code : 'wrong class'; }
  console.log(JSON.stringify({ exports: Object.keys(m).sort(), outcome: c.evaluate({ status: 500 }), code }));
});
`;

describe('the vigil/conditions package export', () => {
  it('is importable by name from the built package and works', async () => {
    // Built by `npm run build` (CI: `npm ci` runs it through the prepare script).
    expect(existsSync(`${root}dist/conditions/index.js`), 'dist/conditions/index.js missing: run npm run build').toBe(true);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      exports: ['ConditionSyntaxError', 'compileCondition'],
      outcome: { success: false, rendered: '[STATUS] (500) == 200' },
      code: 'VIGIL_CONDITION_INVALID',
    });
  });
});
