// Where a training step's time goes: trains the decoder-only page's default
// run in Node on wasm (the backend "auto" picks without a GPU) and prints the
// step time and tfjs's per-kernel times, summed by kernel and by kernel and
// input shapes. Node's wasm is the same engine as Chromium's worker, so the
// shares carry over; the bench (npm run bench) is the number to quote.
//   npm run profile            (URL='layers=4&width=128' for page parameters, STEPS=30,
//                               BACKEND=cpu for tfjs's JavaScript backend,
//                               PAGE=mixed-precision for that page's five-arm race,
//                               THREADS=2 for the products on two threads, as an isolated page)
// Kernel times nest: a customGrad ('forward') or an op wrapper
// ('fusedMatMul__op') counts the kernels inside it too.
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { defaultValues, parseParams } from '../../src/core/params';
import { MP_PARAMS, toMixedRun } from '../../src/pages/mixed-precision/params';
import { DECODER_PARAMS, toRunSpec } from '../../src/pages/tinyGpt';
import type { DataSource } from '../../src/train/contract';
import { createEngine } from '../../src/train/createEngine';
import { wasmBackend } from '../../src/models/kernels/runtime';
import { helperReady, startKernelThreads } from '../../src/models/kernels/threads';
import { allowTwoThreadsInNode, sharedHeapInNode, until } from '../../src/models/kernels/nodeHelper.testing';

globalThis.fetch = (async () =>
  new Response(readFileSync(new URL('../../public/corpus/brown.json', import.meta.url)))) as typeof fetch;
const BROWN: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

type Totals = Map<string, { ms: number; calls: number }>;

function add(totals: Totals, key: string, ms: number, weight: number): void {
  const t = totals.get(key) ?? { ms: 0, calls: 0 };
  t.ms += ms * weight;
  t.calls += weight;
  totals.set(key, t);
}

function table(totals: Totals, rows: number): string {
  return [...totals]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, rows)
    .map(([k, v]) => `${v.ms.toFixed(2).padStart(8)} ms  ${v.calls.toFixed(0).padStart(4)} calls  ${k}`)
    .join('\n');
}

it('profiles a training step', { timeout: 600_000 }, async () => {
  const twoThreads = process.env.THREADS === '2' && (process.env.BACKEND ?? 'wasm') === 'wasm';
  if (twoThreads) sharedHeapInNode();
  await tf.setBackend(process.env.BACKEND ?? 'wasm');
  const page = process.env.PAGE ?? 'decoder-only';
  if (page !== 'decoder-only' && page !== 'mixed-precision') throw new Error('PAGE: decoder-only or mixed-precision');
  const specs = page === 'decoder-only' ? DECODER_PARAMS : MP_PARAMS;
  const values = { ...defaultValues(specs), ...parseParams(specs, new URLSearchParams(process.env.URL ?? '')).values };
  const run = page === 'decoder-only' ? toRunSpec(values, BROWN) : toMixedRun(values, BROWN);
  if (twoThreads) {
    allowTwoThreadsInNode();
    startKernelThreads(wasmBackend()!);
    await until(helperReady);
  }
  const session = await createEngine(run);
  await session.trainSteps(10); // warm-up: kernels compiled, XNNPACK operators built
  const times: number[] = [];
  for (let i = 0; i < Number(process.env.STEPS ?? 30); i++) {
    const t0 = performance.now();
    await session.trainSteps(1);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const reps = 5;
  const byKernel: Totals = new Map();
  const byShape: Totals = new Map();
  for (let r = 0; r < reps; r++) {
    const profile = await tf.profile(async () => {
      await session.trainSteps(1);
    });
    for (const k of profile.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      add(byKernel, k.name, ms, 1 / reps);
      add(byShape, `${k.name} ${JSON.stringify(k.inputShapes)}`, ms, 1 / reps);
    }
  }
  session.dispose();
  const m = run.model;
  console.log(
    [
      `${tf.getBackend()}: ${page}, ${run.arms.length} arm(s), ${m.nLayers} layers, width ${m.dModel}, ${m.nHeads} heads, context ${m.contextLength}, batch ${run.batchSize}`,
      `ms per step (wall, with the loss read back): median ${times[times.length >> 1].toFixed(1)}, min ${times[0].toFixed(1)}`,
      'per step, by kernel:',
      table(byKernel, 20),
      'per step, by kernel and input shapes:',
      table(byShape, 25),
    ].join('\n'),
  );
});
