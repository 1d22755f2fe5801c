import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionSyntaxError, type CompiledCondition, type ConditionInput } from '../../src/conditions/index.js';
import { compilePattern } from '../../src/conditions/pattern.js';
import { applyMutations, bounded, FUZZ_TIMEOUT_MS, fuzzRuns, mutationArb } from '../helpers/fuzz.js';

const SEEDS = [
  '[STATUS] == 200',
  '[STATUS] == any(200, 201, 429)',
  '[BODY].status == UP',
  '[BODY].data[0].items[1][2].name != pat(*api-?[a-z]*)',
  '[BODY] == pat(*<h1>Example Domain</h1>*)',
  'len([BODY].items) >= 3',
  'has([BODY].errors) == false',
  '[RESPONSE_TIME] < 300',
  '[CERTIFICATE_EXPIRATION] > 48h',
  '[DOMAIN_EXPIRATION] > 720h30m',
  '[CONNECTED] == true',
  '[IP] == 127.0.0.1',
  '[DNS_RCODE] == NOERROR',
  '[CONTEXT].user.id == [BODY].id',
  '[BODY][0] == [BODY][-1]',
  'len([BODY]) < 0x10',
];

/** Pieces a mutation inserts: the language's own punctuation, placeholders and odd characters. */
const PIECES = fc.oneof(
  fc.constantFrom('[', ']', '(', ')', '.', ',', '*', '?', '\\', '-', ' ', '==', '!=', '<', '>=', '=!', '=>', '<>', '[BODY]', '[STATUS]', '[CONTEXT]', 'len(', 'has(', 'pat(', 'any(', '[0]', '[-1]', '[*]', '"', '\u0000', '😀', '\ud800', '${X}', '1e309', '-9223372036854775809', '0x', '48h', '1.5s'),
  fc.string({ maxLength: 6 }),
);

/** compileCondition either compiles or throws the typed error, naming the text and a position inside it. */
function compileOrTypedError(text: string): CompiledCondition | null {
  try {
    return bounded(`compile ${JSON.stringify(text.slice(0, 80))}`, () => compileCondition(text));
  } catch (err) {
    if (!(err instanceof ConditionSyntaxError)) throw err;
    expect(err.code).toBe('VIGIL_CONDITION_INVALID');
    expect(err.condition).toBe(text);
    expect(Number.isInteger(err.position)).toBe(true);
    expect(err.position).toBeGreaterThanOrEqual(0);
    expect(err.position).toBeLessThanOrEqual(text.length);
    expect(err.message.startsWith(`invalid condition "${text}" at position ${err.position}: `)).toBe(true);
    expect(err.message.length).toBeGreaterThan(`invalid condition "${text}" at position ${err.position}: `.length);
    return null;
  }
}

const inputArb: fc.Arbitrary<ConditionInput> = fc.record(
  {
    status: fc.oneof(fc.integer({ min: -1, max: 999 }), fc.double()),
    ip: fc.oneof(fc.constant('127.0.0.1'), fc.string({ maxLength: 20 })),
    responseTimeMs: fc.oneof(fc.nat(100_000), fc.double()),
    body: fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
    connected: fc.boolean(),
    certificateExpirationMs: fc.oneof(fc.nat(), fc.double()),
    domainExpirationMs: fc.oneof(fc.nat(), fc.double()),
    dnsRcode: fc.constantFrom('NOERROR', 'NXDOMAIN', 'SERVFAIL', ''),
  },
  { requiredKeys: [] },
);

const optionsArb = fc.record(
  { context: fc.jsonValue({ maxDepth: 3 }), resolveSuccessful: fc.boolean(), dontResolveFailed: fc.boolean() },
  { requiredKeys: [] },
);

describe('conditions: property tests (fast-check)', () => {
  it('any text compiles or throws ConditionSyntaxError with a position inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.array(PIECES, { maxLength: 10 }).map((p) => p.join(''))), (text) => {
        compileOrTypedError(text);
      }),
      { numRuns: fuzzRuns(1500) },
    );
  }, FUZZ_TIMEOUT_MS);

  it('mutated real conditions compile or throw the typed error, and compiled ones evaluate without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutationArb(PIECES), { minLength: 1, maxLength: 4 }), inputArb, optionsArb, (seed, mutations, input, options) => {
        const text = applyMutations(seed, mutations);
        const compiled = compileOrTypedError(text);
        if (compiled === null) return;
        const outcome = bounded(`evaluate ${JSON.stringify(text)}`, () => compiled.evaluate(input, options));
        expect(typeof outcome.success).toBe('boolean');
        expect(typeof outcome.rendered).toBe('string');
      }),
      { numRuns: fuzzRuns(1500) },
    );
  }, FUZZ_TIMEOUT_MS);

  it('every seed condition evaluates any result without throwing, rendering a string', () => {
    const compiled = SEEDS.map((s) => compileCondition(s));
    fc.assert(
      fc.property(fc.constantFrom(...compiled), inputArb, optionsArb, (condition, input, options) => {
        const outcome = bounded(`evaluate ${condition.text}`, () => condition.evaluate(input, options));
        expect(typeof outcome.success).toBe('boolean');
        expect(outcome.rendered.length).toBeGreaterThan(0);
      }),
      { numRuns: fuzzRuns(1000) },
    );
  }, FUZZ_TIMEOUT_MS);
});

/** The textbook recursive glob with Gatus' slash removal: exponential, so only on small inputs. */
function reference(pattern: string, value: string): boolean {
  const p = Array.from(pattern.replaceAll('/', ''));
  const v = Array.from(value.replaceAll('/', ''));
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === v.length;
    if (p[i] === '*') return match(i + 1, j) || (j < v.length && match(i, j + 1));
    return j < v.length && (p[i] === '?' || p[i] === v[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

describe('pat(): property tests (fast-check)', () => {
  it('agrees with the recursive glob on random patterns and values over a small alphabet', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '/', 'é'), maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é', '😀'), maxLength: 14 }), (pattern, value) => {
        expect(compilePattern(pattern)(value)).toBe(reference(pattern, value));
      }),
      { numRuns: fuzzRuns(1500) },
    );
  }, FUZZ_TIMEOUT_MS);

  it('answers within the bound on long adversarial values', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '*', '?', '[a]', 'b'), minLength: 1, maxLength: 16 }), fc.integer({ min: 1_000, max: 200_000 }), (pattern, n) => {
        const value = 'a'.repeat(n);
        const matched = bounded(`pat(${pattern}) on ${n} characters`, () => compilePattern(pattern)(value));
        expect(typeof matched).toBe('boolean');
      }),
      { numRuns: fuzzRuns(200) },
    );
  }, FUZZ_TIMEOUT_MS);
});
