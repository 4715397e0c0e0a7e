// No behaviour change: the engine and task adapters reproduce the losses of
// the four session classes they replaced (fixtures/preEngine.json, recorded
// from those classes on these specs) for a one-arm GPT, a GPT race with
// SGD, Adam, AdaFactor, a T5-initialised batch-ramp arm and a loss-scaled
// FP16 arm, two BERT arms (NSP + static mask, RoBERTa + dynamic) and two
// encoder-decoder objectives. Same seeds, same numbers.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LOSS_SCALE_DEFAULTS, type OptimizerSpec, type ScheduleConfig } from '../../core';
import type { Engine } from '../engine';
import { bertEngine, bertRun, encDecEngine, encDecRun, gptEngine, gptRun } from './fixtures.testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Losses {
  initial: number[];
  steps: number[][];
  end: number[];
}

const golden = JSON.parse(readFileSync(new URL('./fixtures/preEngine.json', import.meta.url), 'utf8')) as Record<
  'gpt' | 'race' | 'bert' | 'encdec',
  Losses
>;

/** The old runs' shared settings: AdamW (0.9, 0.99, decay 0.1), warmup 2 then linear decay to 10% at step 6, clipping at 1. */
const ADAMW: OptimizerSpec = { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };
const S: ScheduleConfig = { kind: 'linear', lr: 0.01, warmupSteps: 2, totalSteps: 6, minLrRatio: 0.1 };

async function losses(e: Engine, steps: number): Promise<Losses> {
  const initial = (await e.initialEval()).arms!.map((a) => a.total);
  const points = await e.trainSteps(steps);
  const end = (await e.evaluate()).arms!.map((a) => a.total);
  e.dispose();
  return { initial, steps: points.map((p) => p.arms!.map((a) => a.total)), end };
}

/** Equal to float32 precision (they are equal bit for bit on one machine; 1e-6 allows another Math library). */
function expectSame(got: Losses, want: Losses) {
  const flat = (l: Losses) => [...l.initial, ...l.steps.flat(), ...l.end];
  const [g, w] = [flat(got), flat(want)];
  expect(g).toHaveLength(w.length);
  g.forEach((x, i) => expect(Math.abs(x - w[i]) / Math.abs(w[i]), `value ${i}: ${x} vs ${w[i]}`).toBeLessThan(1e-6));
}

describe('the engine against the sessions it replaced', () => {
  it('one-arm GPT (the old Session: AdamW from the run’s optimiser settings)', async () => {
    expectSame(
      await losses(gptEngine(gptRun([{ label: 'gpt', optimizer: ADAMW, schedule: S, clipNorm: 1 }])), 5),
      golden.gpt,
    );
  });

  it('GPT race (the old GptRaceSession)', async () => {
    const arms = [
      { label: 'sgd', optimizer: { kind: 'sgd' as const }, schedule: { ...S, lr: 0.3 }, clipNorm: 1 },
      { label: 'adam', optimizer: { kind: 'adam' as const }, schedule: { ...S, warmupSteps: 0 }, clipNorm: 1 },
      { label: 'adafactor', optimizer: { kind: 'adafactor' as const }, schedule: S, clipNorm: 1 },
      {
        label: 't5 ramp',
        optimizer: { kind: 'adamw' as const },
        schedule: { ...S, lr: 0.02 },
        clipNorm: null,
        init: 't5' as const,
        batchRamp: { start: 1, rampTokens: 40 },
      },
      {
        label: 'amp',
        optimizer: { kind: 'adam' as const },
        schedule: S,
        clipNorm: 1,
        precision: { fp16Grads: true, fp16Weights: true, masterWeights: true, lossScale: LOSS_SCALE_DEFAULTS },
      },
    ];
    expectSame(await losses(gptEngine(gptRun(arms, { referenceArm: 1 })), 5), golden.race);
  });

  it('BERT, NSP with a static mask beside RoBERTa with a dynamic one (the old BertSession)', async () => {
    const masking = { selectRate: 0.15, maskProb: 0.8, randomProb: 0.1 };
    const run = bertRun(
      [
        { label: 'BERT', ...masking, nsp: true, dynamicMasking: false },
        { label: 'RoBERTa', ...masking, nsp: false, dynamicMasking: true },
      ],
      3e-3,
      { trainDocuments: 20 },
    );
    run.arms = run.arms.map((a) => ({ ...a, optimizer: ADAMW, schedule: { ...S, lr: 3e-3 } }));
    expectSame(await losses(bertEngine(run), 5), golden.bert);
  });

  it('encoder-decoder, text infilling beside T5 spans (the old EncDecSession)', async () => {
    const run = encDecRun([
      { label: 'infill', objective: 'text-infilling', rate: 0.3, span: 3 },
      { label: 'spans', objective: 'random-spans', rate: 0.15, span: 3 },
    ]);
    run.arms = run.arms.map((a) => ({ ...a, optimizer: ADAMW, schedule: { ...S, lr: 3e-3 } }));
    expectSame(await losses(encDecEngine(run), 5), golden.encdec);
  });
});
