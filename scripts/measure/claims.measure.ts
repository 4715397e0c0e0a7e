// `npm run claims`: trains every comparison demo in Node on wasm (the backend
// a page picks without a GPU) with the page's own run builder and defaults,
// over several seeds, and checks each page's teaching claim (src/core/claims.ts).
// Per claim it prints the margin at the claimed step (mean and worst seed),
// the spread between seeds, the slowest seed's wall-clock seconds to that
// step (from building the models, corpus preparation included, as after
// pressing Train), and holds/fails; the last line is `N of M claims hold`.
//   npm run claims                        every claim, 3 seeds
//   CLAIM=init,warmup npm run claims      some of them
//   SEEDS=5 LIMIT=60 URL='lr=0.01'        seeds (page seed, +1, ...), the time limit, page parameters (with one CLAIM)
//   TRACE=1                               also print every seed's reading at each evaluation
// Like the page's worker, it trains one step at a time and evaluates every evalEvery steps.
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { claimShownAt, judgeClaim, readClaim, type ClaimData } from '../../src/core/claims';
import { defaultValues, parseParams, type ParamSpec, type ParamValues } from '../../src/core/params';
import { createEngine } from '../../src/train/createEngine';
import type { DataSource, EvalPoint, StepPoint } from '../../src/train/contract';
import { CLAIMED_DEMOS, type ClaimedDemo } from './claimedDemos';

// The corpus asset, served to the data preparation's fetch from the disk.
globalThis.fetch = (async () =>
  new Response(readFileSync(new URL('../../public/corpus/brown.json', import.meta.url)))) as typeof fetch;
const BROWN: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

function valuesOf(specs: readonly ParamSpec[], url: string): ParamValues {
  const parsed = parseParams(specs, new URLSearchParams(url));
  return { ...defaultValues(specs), ...parsed.values };
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

interface SeedResult {
  seed: number;
  margin: number;
  seconds: number;
  shownAt: number | null;
  winner: number;
  loser: number;
  trace: string[];
}

async function runSeed(demo: ClaimedDemo, values: ParamValues, trace: boolean): Promise<SeedResult> {
  const run = demo.build(values, BROWN);
  const claim = demo.claim(run);
  if (!claim) throw new Error(`${demo.id}: the page's default run has no claim`);
  const started = performance.now();
  const session = await createEngine(run);
  const points: StepPoint[] = [];
  const evals: EvalPoint[] = [await session.initialEval()];
  const data: ClaimData = { evals, points };
  const lines: string[] = [];
  let seconds: number;
  try {
    while (session.step < claim.step) {
      const [p] = await session.trainSteps(1);
      points.push(p);
      if (session.isDiverged(p)) break; // the page stops here too: its reference arm blew up
      if (p.step % run.evalEvery === 0) {
        evals.push(await session.evaluate());
        if (trace) {
          const r = readClaim(claim, data, p.step);
          const all =
            evals
              .at(-1)!
              .arms?.map((a) => fmt(a[claim.metric]))
              .join(' ') ?? '';
          // Each arm's largest training loss since the last evaluation: where the spikes are.
          const recent = points.slice(-run.evalEvery);
          const peaks = (recent[0]?.arms ?? [])
            .map((_, a) => fmt(Math.max(...recent.map((q) => q.arms?.[a]?.total ?? Number.NaN)), 2))
            .join(' ');
          if (r)
            lines.push(
              `    step ${p.step}: ${fmt(r.winner)} vs ${fmt(r.loser)}, margin ${fmt(r.margin)}, ${fmt((performance.now() - started) / 1000, 1)} s; every arm: ${all}; training peaks ${peaks}`,
            );
        }
      }
    }
    seconds = (performance.now() - started) / 1000;
  } finally {
    session.dispose();
  }
  const reading = readClaim(claim, data);
  return {
    seed: run.seed,
    margin: reading?.margin ?? Number.NEGATIVE_INFINITY,
    winner: reading?.winner ?? Number.NaN,
    loser: reading?.loser ?? Number.NaN,
    seconds,
    shownAt: claimShownAt(claim, data)?.step ?? null,
    trace: lines,
  };
}

it('measures every comparison demo’s claim', { timeout: 7_200_000 }, async () => {
  await tf.setBackend('wasm');
  const only = process.env.CLAIM?.split(',').filter(Boolean);
  const demos = only ? CLAIMED_DEMOS.filter((d) => only.includes(d.id)) : CLAIMED_DEMOS;
  if (demos.length === 0) throw new Error(`CLAIM must name some of ${CLAIMED_DEMOS.map((d) => d.id).join(', ')}`);
  const seeds = Number(process.env.SEEDS ?? 3);
  const limit = Number(process.env.LIMIT ?? 60);
  const trace = Boolean(process.env.TRACE);
  let holding = 0;
  for (const demo of demos) {
    const values = valuesOf(demo.params, process.env.URL ?? '');
    const seedKey = demo.seedKey ?? 'seed';
    const base = values[seedKey] as number;
    const claim = demo.claim(demo.build(values, BROWN))!;
    const results: SeedResult[] = [];
    for (let k = 0; k < seeds; k++) results.push(await runSeed(demo, { ...values, [seedKey]: base + k }, trace));
    const verdict = judgeClaim(
      results.map((r) => r.margin),
      results.map((r) => r.seconds),
      limit,
    );
    if (verdict.holds) holding++;
    const lines = [
      `${demo.id} (${demo.page}): ${claim.lookFor}`,
      `  ${claim.metricLabel} at step ${claim.step}, ${claim.better} is better; per seed ${results
        .map(
          (r) =>
            `${r.seed}: ${fmt(r.winner)} vs ${fmt(r.loser)} (${fmt(r.seconds, 1)} s, page marks it at ${r.shownAt ?? 'never'})`,
        )
        .join('; ')}`,
      ...results.flatMap((r) => (r.trace.length ? [`  seed ${r.seed}:`, ...r.trace] : [])),
      `  margin mean ${fmt(verdict.mean)} worst ${fmt(verdict.worst)} spread ${fmt(verdict.spread)}; ${fmt(verdict.seconds, 1)} s to step ${claim.step}: ${
        verdict.holds ? 'holds' : `fails (${verdict.why.join('; ')})`
      }`,
    ];
    console.log(lines.join('\n'));
  }
  console.log(`${holding} of ${demos.length} claims hold`);
});
