import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('logger', () => {
  it('computes lazily given debug fields only when debug lines are written', () => {
    const lines: string[] = [];
    let computed = 0;
    const fields = () => {
      computed++;
      return { endpoint: 'core_api' };
    };
    createLogger({ level: 'info', write: (l) => lines.push(l) }).debug('check result', fields);
    expect(computed).toBe(0);
    expect(lines).toEqual([]);
    createLogger({ level: 'debug', write: (l) => lines.push(l) }).debug('check result', fields);
    expect(computed).toBe(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'debug', msg: 'check result', endpoint: 'core_api' });
  });

  it('writes logfmt with quoted values where needed', () => {
    const lines: string[] = [];
    createLogger({ level: 'info', format: 'logfmt', write: (l) => lines.push(l), now: () => new Date(0) }).info('endpoint down', { endpoint: 'a b', n: 2 });
    expect(lines).toEqual(['ts=1970-01-01T00:00:00.000Z level=info msg="endpoint down" endpoint="a b" n=2']);
  });
});
