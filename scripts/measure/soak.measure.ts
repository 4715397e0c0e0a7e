// `npm run soak`: trains every kind of trainer the pages run (a single GPT,
// a GPT race, BERT, an encoder-decoder, the FP16 race) with its page's
// defaults, in Node on wasm (the backend a page picks without a GPU), through
// createEngine as the worker does, 1,000 steps each, evaluating every
// evalEvery steps as the worker does. At steps 100, 500 and 1,000 it reads
// tfjs's tensor count and bytes and the wasm heap (the backend's linear
// memory, which only grows), and after dispose the tensors left behind.
// A kind fails if its tensor count at the last step differs from step 100's
// (a tensor leaked per step or per evaluation), if its wasm heap grows by
// more than HEAP_BOUND_MB between step 100 and the last step, or if dispose
// leaves tensors behind. The last line is `N of M kinds hold`.
//   npm run soak                          every kind, 1,000 steps
//   SOAK_STEPS=300 SOAK_KINDS=gpt,bert    fewer steps, some kinds
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { defaultValues } from '../../src/core/params';
import { createEngine } from '../../src/train/createEngine';
import type { DataSource, RunSpec } from '../../src/train/contract';
import { ENCDEC_PARAMS, toEncDecRun } from '../../src/pages/encoder-decoder/params';
import { bertArm, ENCODER_PARAMS, toBertRun } from '../../src/pages/encoder-only/params';
import { MP_PARAMS, toMixedRun } from '../../src/pages/mixed-precision/params';
import { RACE_PARAMS, toRaceRun } from '../../src/pages/sgd-adam/params';
import { DECODER_PARAMS, toRunSpec } from '../../src/pages/tinyGpt';

// The corpus asset, served to the data preparation's fetch from the disk.
globalThis.fetch = (async () =>
  new Response(readFileSync(new URL('../../public/corpus/brown.json', import.meta.url)))) as typeof fetch;
const BROWN: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

/** Most the wasm heap may grow between step 100 and the last step. */
export const HEAP_BOUND_MB = 16;

const STEPS = Number(process.env.SOAK_STEPS ?? 1000);
const CHECKPOINTS = [...new Set([Math.min(100, STEPS), Math.round(STEPS / 2), STEPS])];

/** Each kind of trainer, with its page's defaults and the page's own builder. */
const KINDS: { id: string; page: string; run: () => RunSpec }[] = [
  { id: 'gpt', page: 'decoder-only', run: () => toRunSpec(defaultValues(DECODER_PARAMS), BROWN) },
  { id: 'gpt-race', page: 'sgd-adam', run: () => toRaceRun(defaultValues(RACE_PARAMS), BROWN) },
  {
    id: 'bert',
    page: 'encoder-only',
    run: () => {
      const v = defaultValues(ENCODER_PARAMS);
      return toBertRun(v, BROWN, [bertArm(v)]);
    },
  },
  { id: 'encdec', page: 'encoder-decoder', run: () => toEncDecRun(defaultValues(ENCDEC_PARAMS), BROWN) },
  { id: 'fp16-race', page: 'mixed-precision', run: () => toMixedRun(defaultValues(MP_PARAMS), BROWN) },
];

const MB = 1024 * 1024;

function wasmHeapBytes(): number {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  if (!heap) throw new Error('the wasm backend exposes no heap');
  return heap.byteLength;
}

interface Reading {
  step: number;
  tensors: number;
  tensorMB: number;
  heapMB: number;
}

function read(step: number): Reading {
  const m = tf.memory();
  return { step, tensors: m.numTensors, tensorMB: m.numBytes / MB, heapMB: wasmHeapBytes() / MB };
}

it(
  `trains every kind of trainer ${STEPS} steps without leaking tensors or growing the wasm heap`,
  { timeout: 7_200_000 },
  async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    const only = process.env.SOAK_KINDS?.split(',').filter(Boolean);
    const kinds = only ? KINDS.filter((k) => only.includes(k.id)) : KINDS;
    if (kinds.length === 0) throw new Error(`SOAK_KINDS must name some of ${KINDS.map((k) => k.id).join(', ')}`);
    const failures: string[] = [];
    let holding = 0;
    for (const kind of kinds) {
      const run = kind.run();
      const before = tf.memory().numTensors;
      const started = performance.now();
      const engine = await createEngine(run);
      const readings: Reading[] = [];
      let stopped: string | null = null;
      try {
        await engine.initialEval();
        while (engine.step < STEPS) {
          const [p] = await engine.trainSteps(1);
          if (engine.isDiverged(p)) {
            stopped = `stopped at step ${p.step}: its reference arm diverged`;
            break;
          }
          if (p.step % run.evalEvery === 0) await engine.evaluate();
          if (CHECKPOINTS.includes(p.step)) readings.push(read(p.step));
        }
      } finally {
        engine.dispose();
      }
      const seconds = (performance.now() - started) / 1000;
      const leftAfterDispose = tf.memory().numTensors - before;
      const first = readings[0];
      const last = readings.at(-1)!;
      const why: string[] = [];
      if (stopped) why.push(stopped);
      if (readings.length < CHECKPOINTS.length) why.push('did not reach every checkpoint');
      else {
        if (last.tensors !== first.tensors)
          why.push(`${last.tensors - first.tensors} more tensors at step ${last.step} than at step ${first.step}`);
        if (last.heapMB - first.heapMB > HEAP_BOUND_MB)
          why.push(`wasm heap grew ${(last.heapMB - first.heapMB).toFixed(1)} MB (bound ${HEAP_BOUND_MB} MB)`);
      }
      if (leftAfterDispose !== 0) why.push(`${leftAfterDispose} tensors left after dispose`);
      if (why.length === 0) holding++;
      else failures.push(`${kind.id}: ${why.join('; ')}`);
      console.log(
        [
          `${kind.id} (${kind.page}, ${run.arms.length} arm${run.arms.length > 1 ? 's' : ''}): ${STEPS} steps in ${seconds.toFixed(0)} s (${((seconds * 1000) / STEPS).toFixed(0)} ms a step, evaluations included)`,
          ...readings.map(
            (r) =>
              `  step ${String(r.step).padStart(5)}: ${r.tensors} tensors, ${r.tensorMB.toFixed(1)} MB in tensors, wasm heap ${r.heapMB.toFixed(1)} MB`,
          ),
          `  after dispose: ${leftAfterDispose} tensors left; ${why.length === 0 ? 'holds' : `fails (${why.join('; ')})`}`,
        ].join('\n'),
      );
    }
    console.log(
      `${holding} of ${kinds.length} kinds hold (tensor count steady from step ${CHECKPOINTS[0]}, wasm heap growth at most ${HEAP_BOUND_MB} MB)`,
    );
    expect(failures).toEqual([]);
  },
);
