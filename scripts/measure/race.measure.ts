// Trains a page's optimiser race in Node with the page's own run builder and
// its default hyperparameters, and prints each arm's held-out loss over the
// run: the numbers the pages quote come from here. wasm backend, as the
// worker on a machine without a GPU.
//   RACE=recipe npm run measure     (RACE: a key of RACES in races.ts; STEPS=300; SEED; URL='lr=0.05&shrink=0'
//                                    for page parameters; ABLATE=clip,warmup for the recipe race)
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { defaultValues, parseParams, type ParamSpec, type ParamValues } from '../../src/core/params';
import type { DataSource, GptRunSpec } from '../../src/train/contract';
import { createEngine } from '../../src/train/createEngine';
import { RACES } from './races';

// The corpus asset, served to the data preparation's fetch from the disk.
globalThis.fetch = (async () =>
  new Response(readFileSync(new URL('../../public/corpus/brown.json', import.meta.url)))) as typeof fetch;
const BROWN: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

function valuesOf(specs: readonly ParamSpec[], url: string): ParamValues {
  const parsed = parseParams(specs, new URLSearchParams(url));
  return { ...defaultValues(specs), ...parsed.values };
}

it('measures a race', { timeout: 3_600_000 }, async () => {
  const race = RACES[process.env.RACE ?? 'recipe'];
  if (!race) throw new Error(`RACE must be one of ${Object.keys(RACES).join(', ')}`);
  await tf.setBackend('wasm');
  const values = valuesOf(race.params, process.env.URL ?? '');
  if (process.env.SEED) values.seed = Number(process.env.SEED);
  const run: GptRunSpec = race.build(values, BROWN);
  const steps = Number(process.env.STEPS ?? 300);
  const session = await createEngine(run);
  const rows: string[] = [
    `RACE ${race.name}, seed ${run.seed}, ${steps} steps, arms: ${run.arms.map((a) => a.label).join(' | ')}`,
  ];
  const fmt = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? x.toFixed(3) : 'diverged')).join('  ');
  const start = await session.initialEval();
  rows.push(
    `step 0: held-out ${fmt(start.arms!.map((a) => a.total))}   |w| ${fmt(start.arms!.map((a) => a.weightNorm))}`,
  );
  const started = performance.now();
  for (let done = 0; done < steps;) {
    const n = Math.min(run.evalEvery, steps - done);
    const points = await session.trainSteps(n);
    points.forEach((p) => session.isDiverged(p));
    done += n;
    if (done % 50 === 0 || done === steps) {
      const e = await session.evaluate();
      const extra = race.extra ? `   ${race.extra(points)}` : '';
      rows.push(
        `step ${done}: held-out ${fmt(e.arms!.map((a) => a.total))}   |w| ${fmt(e.arms!.map((a) => a.weightNorm))}${extra}`,
      );
    }
  }
  rows.push(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  session.dispose();
  console.log(rows.join('\n'));
});
