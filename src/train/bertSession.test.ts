import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildWordTokenizer, makeRng, tokenId } from '../core';
import { BERT_SPECIALS, type BertData } from './bertData';
import { BertSession } from './bertSession';
import type { BertArmSpec, BertRunSpec } from './contract';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A corpus with structure to learn: each document repeats one subject, and
// sentences follow a fixed pattern, so masked words are predictable.
function syntheticDocs(n: number, seed: number): string[][] {
  const rng = makeRng(seed);
  const subjects = ['cat', 'dog', 'bird', 'mouse', 'fox', 'cow'];
  const verbs = ['ate', 'saw', 'liked', 'found'];
  const objects = ['cheese', 'seed', 'bone', 'grass', 'fish'];
  return Array.from({ length: n }, () => {
    const s = subjects[Math.floor(rng() * subjects.length)];
    return Array.from({ length: 6 }, () => {
      const v = verbs[Math.floor(rng() * verbs.length)];
      const o = objects[Math.floor(rng() * objects.length)];
      return `the ${s} ${v} the ${o} .`;
    });
  });
}

function makeData(): BertData {
  const train = syntheticDocs(30, 1);
  const heldOut = syntheticDocs(6, 2);
  const tokenizer = buildWordTokenizer(train.flat().join(' '), 100, { specials: BERT_SPECIALS });
  const ids = {
    pad: tokenId(tokenizer, '[PAD]'),
    cls: tokenId(tokenizer, '[CLS]'),
    sep: tokenId(tokenizer, '[SEP]'),
    mask: tokenId(tokenizer, '[MASK]'),
  };
  const enc = (docs: string[][]) => docs.map((d) => d.map((s) => tokenizer.encode(s)));
  return { tokenizer, ids, train: enc(train), heldOut: enc(heldOut) };
}

const BERT_ARM: BertArmSpec = { label: 'BERT', selectRate: 0.15, maskProb: 0.8, randomProb: 0.1, nsp: true, dynamicMasking: false };

function makeRun(arms: BertArmSpec[], lr = 3e-3): BertRunSpec {
  return {
    task: 'bert',
    seed: 5,
    model: { wordVocab: 100, nLayers: 1, dModel: 16, nHeads: 2, maxLength: 16 },
    arms,
    optim: {
      batchSize: 8,
      lr,
      warmupSteps: 0,
      totalSteps: 1000,
      schedule: 'constant',
      minLrRatio: 1,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      clipNorm: 1,
    },
    data: { kind: 'corpus', name: 'brown', url: 'unused' },
    evalEvery: 10,
  };
}

const data = makeData();
const sessions: BertSession[] = [];
function session(run: BertRunSpec) {
  const s = new BertSession(run, data);
  sessions.push(s);
  return s;
}
afterAll(() => sessions.forEach((s) => s.dispose()));

describe('BertSession', () => {
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
    const r = await s.fill('the cat [MASK] the [mask] .', 0);
    expect(r.error).toBeNull();
    expect(r.tokens).toEqual(['[CLS]', 'the', 'cat', '[MASK]', 'the', '[MASK]', '.', '[SEP]']);
    expect(r.predictions.map((p) => p.position)).toEqual([3, 5]);
    for (const p of r.predictions) {
      expect(p.candidates).toHaveLength(5);
      const probs = p.candidates.map((c) => c.p);
      expect([...probs].sort((a, b) => b - a)).toEqual(probs);
      expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect((await s.fill('no blank here', 0)).error).toMatch(/\[MASK\]/);
    expect((await s.fill('the cat '.repeat(20) + '[MASK]', 0)).error).toMatch(/at most 16/);
  });

  it('shows examples deterministically, with segments and labels as built', async () => {
    const s = session(makeRun([BERT_ARM]));
    const a = s.examples(6, 11);
    expect(s.examples(6, 11)).toEqual(a);
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
