/**
 * Shared settings of the property tests (fast-check): how many cases each property runs (a few
 * thousand in all per `npm test`; VIGIL_FUZZ_RUNS=N runs N per property), and a per-case bound that
 * catches a hang or a backtracking blow-up (minutes), far above what any case needs (milliseconds).
 */
import fc from 'fast-check';

/**
 * `npm test` explores from a fixed seed, so the suite gives the same verdict on every run; a case
 * found by a wider search becomes a regression example. VIGIL_FUZZ_SEED=N picks another seed, and
 * VIGIL_FUZZ_RUNS without a seed explores from a random one (fast-check prints it on failure).
 */
const DEFAULT_SEED = 20_261_203;
const seedFromEnv = Number(process.env.VIGIL_FUZZ_SEED);
if (Number.isInteger(seedFromEnv) && process.env.VIGIL_FUZZ_SEED !== '') fc.configureGlobal({ seed: seedFromEnv });
else if (!process.env.VIGIL_FUZZ_RUNS) fc.configureGlobal({ seed: DEFAULT_SEED });

export function fuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.VIGIL_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** Test timeout for a property: generous (a loaded machine), unbounded in practice with VIGIL_FUZZ_RUNS. */
export const FUZZ_TIMEOUT_MS = process.env.VIGIL_FUZZ_RUNS ? 3_600_000 : 60_000;

/** Upper bound of one case's wall time: not a speed target, a hang detector. */
export const CASE_BOUND_MS = 2000;

/** Runs `work`, failing when one case takes longer than CASE_BOUND_MS. */
export function bounded<T>(label: string, work: () => T): T {
  const t0 = performance.now();
  const out = work();
  const ms = performance.now() - t0;
  if (ms > CASE_BOUND_MS) throw new Error(`${label} took ${Math.round(ms)} ms (bound ${CASE_BOUND_MS} ms)`);
  return out;
}

export async function boundedAsync<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await work();
  const ms = performance.now() - t0;
  if (ms > CASE_BOUND_MS) throw new Error(`${label} took ${Math.round(ms)} ms (bound ${CASE_BOUND_MS} ms)`);
  return out;
}

/** One edit of a text: insert, delete, duplicate or replace a span (positions as fractions of the length). */
export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'replace'; at: number; length: number; text: string };

export function mutationArb(pieces: fc.Arbitrary<string>): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const length = fc.integer({ min: 1, max: 12 });
  return fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at, text: pieces }),
    fc.record({ kind: fc.constant('delete' as const), at, length }),
    fc.record({ kind: fc.constant('duplicate' as const), at, length }),
    fc.record({ kind: fc.constant('replace' as const), at, length, text: pieces }),
  );
}

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const i = Math.min(out.length, Math.floor(m.at * (out.length + 1)));
    if (m.kind === 'insert') out = out.slice(0, i) + m.text + out.slice(i);
    else if (m.kind === 'delete') out = out.slice(0, i) + out.slice(i + m.length);
    else if (m.kind === 'duplicate') out = out.slice(0, i + m.length) + out.slice(i, i + m.length) + out.slice(i + m.length);
    else out = out.slice(0, i) + m.text + out.slice(i + m.length);
  }
  return out;
}
