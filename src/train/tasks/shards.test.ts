// A multi-arm run spread over workers (contract/shards.ts) must train every
// arm to the numbers it gets beside all the others: each part is built here
// as a worker builds it (shardRun, the engine told whether it holds the
// reference arm) and stepped the way the worker steps, then compared arm by
// arm, step by step, with the whole run in one engine. Exact equality: the
// same seeds, the same batches, the same arithmetic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { planShards, shardRun, type ArmMetrics, type EvalPoint, type RunSpec, type StepPoint } from '../contract';
import { Engine, type AnyTask } from '../engine';
import { BertTask } from './bert';
import { EncDecTask } from './encdec';
import { bertData, bertRun, encDecData, encDecRun, gptArm, gptData, gptRun } from './fixtures.testing';
import { GptTask } from './gpt';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const engines: Engine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

function build(run: RunSpec, holdsReference = true): Engine {
  const task: AnyTask =
    run.task === 'gpt'
      ? new GptTask(run, gptData())
      : run.task === 'bert'
        ? new BertTask(run, bertData())
        : new EncDecTask(run, encDecData());
  const e = new Engine(task, { holdsReference });
  engines.push(e);
  return e;
}

/** What one worker reports over `steps` steps, as its loop does: chunks of one, evaluations on multiples, stopping when the engine says so. */
async function trainLikeWorker(
  e: Engine,
  steps: number,
): Promise<{ points: StepPoint[]; evals: EvalPoint[]; stoppedAt: number | null }> {
  const evals = [await e.initialEval()];
  const points: StepPoint[] = [];
  for (let i = 0; i < steps; i++) {
    const [p] = await e.trainSteps(1);
    points.push(p);
    if (e.isDiverged(p)) return { points, evals, stoppedAt: p.step };
    if (p.step % e.run.evalEvery === 0) evals.push(await e.evaluate());
  }
  return { points, evals, stoppedAt: null };
}

/** Each part's arm numbers put back at the arms' original indices. */
function scatter(plan: number[][], parts: (ArmMetrics[] | undefined)[]): ArmMetrics[] {
  const out: ArmMetrics[] = [];
  plan.forEach((arms, s) => arms.forEach((arm, local) => (out[arm] = parts[s]![local])));
  return out;
}

async function expectSameAsOneWorker(run: RunSpec, workers: number, steps: number) {
  const whole = await trainLikeWorker(build(run), steps);
  const plan = planShards(run, workers);
  expect(plan.length).toBe(workers);
  const parts = await Promise.all(
    plan.map((arms) => {
      const part = shardRun(run, arms);
      return trainLikeWorker(build(part.run, part.holdsReference), steps);
    }),
  );
  const ref = parts[0];
  for (let i = 0; i < whole.points.length; i++) {
    const merged = scatter(
      plan,
      parts.map((p) => p.points[i]?.arms),
    );
    expect(merged).toEqual(whole.points[i].arms);
    expect(ref.points[i].loss).toBe(whole.points[i].loss);
    expect(ref.points[i].tokensSeen).toBe(whole.points[i].tokensSeen);
    expect(ref.points[i].tracked).toEqual(whole.points[i].tracked);
  }
  expect(whole.evals.length).toBeGreaterThan(1);
  whole.evals.forEach((ev, i) => {
    expect(
      scatter(
        plan,
        parts.map((p) => p.evals[i]?.arms),
      ),
    ).toEqual(ev.arms);
    expect(ref.evals[i].heldOutLoss).toBe(ev.heldOutLoss);
  });
  return { whole, parts, plan };
}

const adam = { kind: 'adam' as const };
const sgd = { kind: 'sgd' as const };

describe('a run spread over workers trains each arm as one worker does', () => {
  it('GPT: five arms on 2 and 3 workers, the reference arm 2 tracked, one arm blowing up and dropped in another worker', async () => {
    const run = gptRun(
      [
        gptArm('adam', adam, 0.01),
        gptArm('sgd', sgd, 0.1),
        gptArm('reference', adam, 0.003, { clipNorm: 1 }),
        gptArm('blows up', sgd, 400),
        gptArm('ramp', adam, 0.01, { batchRamp: { start: 1, rampTokens: 64 }, init: 'xavier' }),
      ],
      { referenceArm: 2, track: [{ name: 'lnf.g', index: 3 }], evalEvery: 5 },
    );
    const { whole, parts, plan } = await expectSameAsOneWorker(run, 2, 12);
    expect(plan).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    // The blown-up arm was dropped (NaN from then on) and the run went on, in both layouts.
    expect(whole.stoppedAt).toBeNull();
    expect(parts[1].stoppedAt).toBeNull();
    expect(Number.isNaN(whole.points.at(-1)!.arms![3].total)).toBe(true);
    expect(whole.points[0].tracked).toHaveLength(1);
    await expectSameAsOneWorker(run, 3, 6);
  });

  it('BERT: static and dynamic masking, with and without NSP, on 2 workers', async () => {
    const bert = { selectRate: 0.15, maskProb: 0.8, randomProb: 0.1 };
    const run = bertRun(
      [
        { ...bert, label: 'BERT', nsp: true, dynamicMasking: false },
        { ...bert, label: 'RoBERTa', nsp: false, dynamicMasking: true },
        { ...bert, label: 'dynamic + NSP', nsp: true, dynamicMasking: true },
      ],
      3e-3,
      { evalEvery: 4 },
    );
    await expectSameAsOneWorker(run, 2, 8);
  });

  it('encoder-decoder: three objectives on 3 workers', async () => {
    const run = encDecRun(
      [
        { label: 'infilling', objective: 'text-infilling', rate: 0.3, span: 3 },
        { label: 'T5 spans', objective: 'random-spans', rate: 0.15, span: 3 },
        { label: 'infilling again', objective: 'text-infilling', rate: 0.3, span: 3 },
      ],
      3e-3,
      { evalEvery: 4 },
    );
    await expectSameAsOneWorker(run, 3, 8);
  });
});
