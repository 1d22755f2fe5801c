#!/usr/bin/env node
// Conditions: 10 conditions compiled once (vigil) vs. compiled on every evaluation (the reference:
// what re-parsing each condition per probe, as Gatus does, costs). Same results, same evaluate().
// Usage: node bench/conditions.mjs [--results=100000] [--rounds=5]
import { arg, emit, fmt, loadDist, median } from './lib.mjs';

const { compileCondition } = await loadDist('conditions/index.js');

const resultCount = Number(arg('results', '100000'));
const rounds = Number(arg('rounds', '3'));
// Compiling costs ~50x an evaluation: the reference runs on a slice so a round stays short.
const referenceCount = Math.max(1000, Math.floor(resultCount / 20));

const CONDITIONS = [
  '[STATUS] == 200',
  '[BODY].data[0].id == 1',
  'len([BODY].items) > 3',
  '[RESPONSE_TIME] < 500',
  '[CERTIFICATE_EXPIRATION] > 48h',
  '[BODY].status == UP',
  '[CONNECTED] == true',
  '[IP] == 127.0.0.1',
  '[STATUS] == any(200, 201, 204)',
  '[BODY].name == pat(api-*)',
];

const DAY_MS = 86_400_000;
const BODIES = Array.from({ length: 64 }, (_, i) =>
  i % 16 === 15
    ? '<html>502 Bad Gateway</html>'
    : JSON.stringify({
        status: i % 9 === 0 ? 'DOWN' : 'UP',
        name: `api-${i}`,
        data: [{ id: i % 5 === 0 ? 2 : 1, value: 'x'.repeat(i) }],
        items: Array.from({ length: i % 7 }, (_, k) => k),
      }),
);

/** A fresh object per result, as each probe produces (the body is parsed once per result object). */
function makeResults(count) {
  return Array.from({ length: count }, (_, i) => ({
    status: i % 11 === 0 ? 503 : 200,
    ip: i % 13 === 0 ? '10.0.0.1' : '127.0.0.1',
    responseTimeMs: (i * 37) % 900,
    body: BODIES[i % BODIES.length],
    connected: i % 97 !== 0,
    certificateExpirationMs: ((i % 30) + 1) * DAY_MS,
  }));
}

function vigilRound(compiled, results) {
  let ok = 0;
  const t0 = performance.now();
  for (const result of results) {
    for (const condition of compiled) if (condition.evaluate(result).success) ok++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { evalsPerSec: (results.length * compiled.length) / seconds, seconds, ok };
}

function referenceRound(texts, results) {
  let ok = 0;
  const t0 = performance.now();
  for (const result of results) {
    for (const text of texts) if (compileCondition(text).evaluate(result).success) ok++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { evalsPerSec: (results.length * texts.length) / seconds, seconds, ok };
}

const compiled = CONDITIONS.map((text) => compileCondition(text));
// Warm-up (JIT) on separate result objects, then interleave rounds so machine noise hits both.
vigilRound(compiled, makeResults(5000));
referenceRound(CONDITIONS, makeResults(1000));

// Both sides must agree on every outcome, or the comparison means nothing.
const sameSlice = makeResults(referenceCount);
const okVigil = vigilRound(compiled, sameSlice).ok;
const okReference = referenceRound(CONDITIONS, sameSlice).ok;
const check = okVigil === okReference ? 'same outcomes' : `OUTCOMES DIFFER ${okVigil} vs ${okReference}`;

// Each round walks all results for vigil and a slice for the reference in alternating chunks, so a
// burst of load from other processes lands on both sides alike; the ratio is taken per round.
const CHUNKS = 20;
const vigilRates = [];
const referenceRates = [];
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const results = makeResults(resultCount);
  const refResults = makeResults(referenceCount);
  const vStep = Math.ceil(resultCount / CHUNKS);
  const rStep = Math.ceil(referenceCount / CHUNKS);
  let vSeconds = 0;
  let rSeconds = 0;
  for (let c = 0; c < CHUNKS; c++) {
    const v = vigilRound(compiled, results.slice(c * vStep, (c + 1) * vStep));
    const ref = referenceRound(CONDITIONS, refResults.slice(c * rStep, (c + 1) * rStep));
    vSeconds += v.seconds;
    rSeconds += ref.seconds;
  }
  const vRate = (resultCount * compiled.length) / vSeconds;
  const rRate = (referenceCount * CONDITIONS.length) / rSeconds;
  vigilRates.push(vRate);
  referenceRates.push(rRate);
  ratios.push(vRate / rRate);
  console.log(`conditions: round ${r + 1}: vigil ${fmt(vRate)} evals/s, reference ${fmt(rRate)} evals/s, ${(vRate / rRate).toFixed(1)}x`);
}
const vigil = median(vigilRates);
const reference = median(referenceRates);
const ratio = median(ratios);
console.log(
  `conditions: ${CONDITIONS.length} conditions x ${fmt(resultCount)} results (reference: ${fmt(referenceCount)}), ${check}; ` +
    `median of ${rounds} rounds: vigil ${fmt(vigil)} evals/s, reference ${fmt(reference)} evals/s, ${ratio.toFixed(1)}x`,
);
if (check !== 'same outcomes') throw new Error(`conditions: ${check}`);
emit([
  {
    name: 'conditions: compiled once vs per evaluation',
    vigil: `${fmt(vigil)} evals/s`,
    reference: `${fmt(reference)} evals/s`,
    ratio,
    ratioLabel: 'vigil/ref',
    target: '>= 10x',
    pass: ratio >= 10,
  },
]);
