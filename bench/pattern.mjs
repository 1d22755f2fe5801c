#!/usr/bin/env node
// pat() on adversarial pattern/body pairs: patterns that make a backtracking matcher (a glob
// translated to a RegExp such as ^.*a.*b$, what vigil used before) run for minutes on a 1 MiB body,
// the default body cap. Two ratios, both measured in this run:
//  - speed-up over that RegExp on the same 16 KiB body (where the RegExp still finishes);
//  - 1 MiB vs 16 x 64 KiB for the slowest adversarial pair: a linear matcher costs about the same
//    (1x), a quadratic one 16x.
// Usage: node bench/pattern.mjs [--rounds=3]
import { arg, emit, fmt, loadDist, median } from './lib.mjs';

const { compileCondition } = await loadDist('conditions/index.js');
const rounds = Number(arg('rounds', '3'));
const KiB = 1024;
const MiB = 1024 * KiB;

/** [pattern, body of n characters] pairs; none of them matches. */
const CASES = [
  ['*a*b', (n) => 'a'.repeat(n)],
  ['*a*a*b', (n) => 'a'.repeat(n)],
  ['*a*a*a*b*', (n) => 'a'.repeat(n)],
  ['*?a?a?a?a?b*', (n) => 'a'.repeat(n)],
  ['*[a][a][a][a][a][a][a][b]*', (n) => 'a'.repeat(n)],
  ['*aaaaaaaaaaaaaaab*', (n) => 'a'.repeat(n)],
  ['*/*/*/x', (n) => '/'.repeat(n)],
  ['*a*/b*', (n) => 'a/'.repeat(n / 2)],
  ['*a*b*c*d*e*f*g*h*', (n) => 'abcdefg'.repeat(Math.ceil(n / 7)).slice(0, n)],
];

/** ms for `times` evaluations of `[BODY] == pat(pattern)`, each on its own body of n characters. */
function timeCase([pattern, makeBody], n, times) {
  const condition = compileCondition(`[BODY] == pat(${pattern})`);
  const results = Array.from({ length: times }, () => ({ body: makeBody(n) }));
  for (const r of results) r.body.indexOf('\0'); // flatten the strings before timing
  const t0 = performance.now();
  for (const r of results) if (condition.evaluate(r).success) throw new Error(`pattern: ${pattern} unexpectedly matched`);
  return performance.now() - t0;
}

/** ms for the backtracking RegExp translation of `*a*b` on a body of n characters. */
function timeBacktracking(n) {
  const re = /^.*a.*b$/su;
  const body = 'a'.repeat(n);
  const t0 = performance.now();
  if (re.test(body)) throw new Error('pattern: the reference RegExp unexpectedly matched');
  return performance.now() - t0;
}

for (const c of CASES) timeCase(c, 64 * KiB, 4); // warm-up (JIT)
timeBacktracking(1024);

const speedups = [];
const scales = [];
let worstMs = 0;
let worstPattern = '';
let backtrackingMs = 0;
let linearMs = 0;
for (let r = 0; r < rounds; r++) {
  const reference = timeBacktracking(16 * KiB);
  const vigil = median(Array.from({ length: 9 }, () => timeCase(CASES[0], 16 * KiB, 1)));
  speedups.push(reference / vigil);
  backtrackingMs = Math.max(backtrackingMs, reference);
  linearMs = Math.max(linearMs, vigil);
  let roundWorst = 0;
  let roundCase = CASES[0];
  for (const c of CASES) {
    const big = median([timeCase(c, MiB, 1), timeCase(c, MiB, 1), timeCase(c, MiB, 1)]);
    if (big > roundWorst) [roundWorst, roundCase] = [big, c];
  }
  const small = median([timeCase(roundCase, 64 * KiB, 16), timeCase(roundCase, 64 * KiB, 16), timeCase(roundCase, 64 * KiB, 16)]);
  scales.push(roundWorst / small);
  if (roundWorst > worstMs) [worstMs, worstPattern] = [roundWorst, roundCase[0]];
  console.log(
    `pattern: round ${r + 1}: *a*b on 16 KiB: backtracking RegExp ${fmt(reference, 1)} ms, vigil ${fmt(vigil, 3)} ms ` +
      `(${fmt(reference / vigil)}x); slowest on 1 MiB: ${roundCase[0]} ${fmt(roundWorst, 2)} ms, ` +
      `16 x 64 KiB ${fmt(small, 2)} ms (${(roundWorst / small).toFixed(2)}x)`,
  );
}
const speedup = median(speedups);
const scale = median(scales);
console.log(
  `pattern: ${CASES.length} adversarial pairs, median of ${rounds} rounds: ${fmt(speedup)}x faster than the backtracking RegExp ` +
    `on 16 KiB; 1 MiB / (16 x 64 KiB) ${scale.toFixed(2)}x; slowest evaluation on 1 MiB ${fmt(worstMs, 1)} ms (${worstPattern})`,
);
const SPEEDUP_TARGET = 100;
const SCALE_TARGET = 4; // linear is ~1x (cache effects aside); quadratic would be 16x
emit([
  {
    name: 'pat(): *a*b on 16 KiB vs backtracking RegExp',
    vigil: `${fmt(linearMs, 3)} ms`,
    reference: `${fmt(backtrackingMs, 1)} ms`,
    ratio: speedup,
    ratioLabel: 'ref/vigil',
    target: `>= ${SPEEDUP_TARGET}x`,
    pass: speedup >= SPEEDUP_TARGET,
  },
  {
    name: `pat(): slowest of ${CASES.length} adversarial pairs, 1 MiB vs 16 x 64 KiB`,
    vigil: `${fmt(worstMs, 1)} ms`,
    reference: '16 x 64 KiB',
    ratio: scale,
    ratioLabel: 'time ratio',
    target: `<= ${SCALE_TARGET}x`,
    pass: scale <= SCALE_TARGET,
  },
]);
