// The BERT task through the engine: it learns, arms with identical specs
// give identical curves, RoBERTa arms have no NSP term, and the fill and
// examples queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BertRunSpec } from '../contract';
import type { Engine } from '../engine';
import type { BertTask } from './bert';
import { fillBlanks, trainingExamples } from './bertQueries';
import { bertEngine, bertRun } from './fixtures.testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BERT_ARM = { label: 'BERT', selectRate: 0.15, maskProb: 0.8, randomProb: 0.1, nsp: true, dynamicMasking: false };
const makeRun = bertRun;

const engines: Engine<BertTask>[] = [];
function session(run: BertRunSpec) {
  const e = bertEngine(run);
  engines.push(e);
  return e;
}
afterAll(() => engines.forEach((e) => e.dispose()));

describe('BERT task', () => {
  it('learns: held-out MLM loss and accuracy improve, NSP is reported, and no tensor leaks', async () => {
    const s = session(makeRun([BERT_ARM]));
    const start = await s.initialEval();
    expect(start.step).toBe(0);
    expect(start.arms![0].mlm).toBeGreaterThan(3); // about ln(vocab) untrained
    expect(start.heldOutLoss).toBeCloseTo(start.arms![0].mlm + start.arms![0].nsp, 5);
    await s.trainSteps(5);
    const tensors = tf.memory().numTensors;
    const points = [];
    for (let i = 0; i < 55; i++) points.push(...(await s.trainSteps(1)));
    expect(tf.memory().numTensors).toBe(tensors);
    const end = await s.evaluate();
    expect(end.step).toBe(60);
    expect(end.arms![0].mlm).toBeLessThan(start.arms![0].mlm - 1);
    expect(end.arms![0].mlmAcc).toBeGreaterThan(start.arms![0].mlmAcc + 0.2);
    const last = points.at(-1)!;
    expect(last.arms![0].nsp).toBeGreaterThan(0);
    expect(last.loss).toBeCloseTo(last.arms![0].mlm + last.arms![0].nsp, 4);
    expect(last.tokensSeen).toBeGreaterThan(60 * 8 * 5);
  }, 60_000);

  it('trains arms in lockstep: identical specs give identical curves', async () => {
    const s = session(makeRun([BERT_ARM, { ...BERT_ARM, label: 'copy' }]));
    await s.initialEval();
    const points = await s.trainSteps(3);
    for (const p of points) expect(p.arms![1]).toEqual(p.arms![0]);
  }, 30_000);

  it('RoBERTa arm: no NSP term, the loss is the MLM loss', async () => {
    const s = session(makeRun([{ ...BERT_ARM, nsp: false, dynamicMasking: true }]));
    await s.initialEval();
    const [p] = await s.trainSteps(1);
    expect(p.arms![0].nsp).toBeUndefined();
    expect(p.loss).toBeCloseTo(p.arms![0].mlm, 6);
    const e = await s.evaluate();
    expect(e.arms![0].nspAcc).toBeUndefined();
    expect(e.arms![0].ownAcc).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('fills in the blank with the top 5 guesses, sorted, as probabilities', async () => {
    const s = session(makeRun([BERT_ARM]));
    const r = await fillBlanks(s, 'the cat [MASK] the [mask] .', 0);
    expect(r.error).toBeNull();
    expect(r.tokens).toEqual(['[CLS]', 'the', 'cat', '[MASK]', 'the', '[MASK]', '.', '[SEP]']);
    expect(r.predictions.map((p) => p.position)).toEqual([3, 5]);
    for (const p of r.predictions) {
      expect(p.candidates).toHaveLength(5);
      const probs = p.candidates.map((c) => c.p);
      expect([...probs].sort((a, b) => b - a)).toEqual(probs);
      expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect((await fillBlanks(s, 'no blank here', 0)).error).toMatch(/\[MASK\]/);
    expect((await fillBlanks(s, 'the cat '.repeat(20) + '[MASK]', 0)).error).toMatch(/at most 16/);
  });

  it('shows examples deterministically, with segments and labels as built', async () => {
    const s = session(makeRun([BERT_ARM]));
    const a = trainingExamples(s, 6, 11);
    expect(trainingExamples(s, 6, 11)).toEqual(a);
    for (const ex of a) {
      expect(ex.tokens[0]).toBe('[CLS]');
      expect(ex.tokens.at(-1)).toBe('[SEP]');
      const sep = ex.tokens.indexOf('[SEP]');
      expect(ex.segments.slice(0, sep + 1).every((x) => x === 0)).toBe(true);
      expect(ex.segments.slice(sep + 1).every((x) => x === 1)).toBe(true);
      ex.kinds.forEach((k, i) => {
        if (k === 'mask') expect(ex.input[i]).toBe('[MASK]');
        if (k === null) expect(ex.input[i]).toBe(ex.tokens[i]);
      });
    }
    expect(new Set(a.map((e) => e.label)).size).toBe(2);
  });
});

describe('BERT divergence policy', () => {
  it('stops the run when any arm blows up, not only the first', async () => {
    const run = makeRun([BERT_ARM, { ...BERT_ARM, label: 'too fast' }]);
    run.arms[1] = {
      ...run.arms[1],
      optimizer: { kind: 'sgd' },
      schedule: { ...run.arms[1].schedule, lr: 1e4 },
      clipNorm: null,
    };
    const s = session(run);
    await s.initialEval();
    let stoppedAt = 0;
    for (let i = 0; i < 5 && !stoppedAt; i++) {
      const [p] = await s.trainSteps(1);
      expect(Number.isFinite(p.arms![0].total)).toBe(true);
      if (s.isDiverged(p)) stoppedAt = p.step;
    }
    expect(stoppedAt).toBeGreaterThan(0);
  }, 30_000);
});
