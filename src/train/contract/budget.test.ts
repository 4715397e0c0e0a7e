// The step budget as the worker checks it: a run spec's shape (its vocabulary
// bound, the encoder-decoder's padded lengths) priced by core's estimate, with
// parameter counts that agree with the models', and validateRun refusing what
// does not fit before anything is allocated.
import { describe, expect, it } from 'vitest';
import { estimateStep, STEP_BUDGET_BYTES } from '../../core';
import { countBertParams } from '../../models/bert';
import { countEncDecParams } from '../../models/encdec';
import { countParams } from '../../models/gpt';
import { CORPUS_CHAR_VOCAB, ENCDEC_LENGTH_SLACK, runBudgetProblem, stepShapeOf, vocabBound } from './budget';
import type { BertRunSpec, EncDecRunSpec, GptArmSpec, GptRunSpec } from './run';
import { validateRun } from './validate';

const arm: GptArmSpec = {
  label: 'a',
  optimizer: { kind: 'adamw', beta2: 0.95 },
  schedule: { kind: 'constant', lr: 1e-3, warmupSteps: 0, totalSteps: 100, minLrRatio: 1 },
  clipNorm: 1,
};

const gpt = (model: Partial<GptRunSpec['model']>, batchSize: number, over: Partial<GptRunSpec> = {}): GptRunSpec => ({
  task: 'gpt',
  seed: 1,
  batchSize,
  evalEvery: 25,
  data: { kind: 'corpus', name: 'brown', url: 'http://localhost/corpus/brown.json' },
  model: { tokenizer: 'char', wordVocab: 2000, nLayers: 2, dModel: 64, nHeads: 4, contextLength: 64, ...model },
  arms: [arm],
  ...over,
});

const BERT: BertRunSpec = {
  task: 'bert',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  data: { kind: 'corpus', name: 'brown', url: 'x' },
  model: { wordVocab: 3000, nLayers: 2, dModel: 64, nHeads: 4, maxLength: 48 },
  arms: [0.15, 0.4].map((selectRate) => ({
    ...arm,
    selectRate,
    maskProb: 0.8,
    randomProb: 0.1,
    nsp: true,
    dynamicMasking: false,
  })),
};

const ENCDEC: EncDecRunSpec = {
  task: 'encdec',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  data: { kind: 'corpus', name: 'brown', url: 'x' },
  model: { wordVocab: 3000, nLayers: 2, dModel: 64, nHeads: 4, passageLength: 24 },
  arms: [{ ...arm, objective: 'text-infilling', rate: 0.3, span: 3 }],
};

describe('stepShapeOf', () => {
  it('bounds the vocabulary before the data is read', () => {
    expect(vocabBound(gpt({}, 16))).toBe(CORPUS_CHAR_VOCAB);
    expect(vocabBound(gpt({ tokenizer: 'word' }, 16))).toBe(2000);
    // A pasted text's characters are known: <unk> and a, b, c, space.
    expect(vocabBound(gpt({}, 16, { data: { kind: 'text', train: 'abc cab', heldOut: 'zz' } }))).toBe(5);
    expect(vocabBound(BERT)).toBe(3000);
  });

  it('counts the parameters the models build', () => {
    const g = gpt({ nLayers: 3, dModel: 48, nHeads: 4, contextLength: 32 }, 8);
    expect(estimateStep(stepShapeOf(g)).parameters).toBe(
      countParams({ vocabSize: CORPUS_CHAR_VOCAB, contextLength: 32, dModel: 48, nLayers: 3, nHeads: 4 }),
    );
    expect(estimateStep(stepShapeOf(BERT)).parameters).toBe(
      countBertParams({ vocabSize: 3000, maxLength: 48, dModel: 64, nLayers: 2, nHeads: 4, segmentTypes: 2 }),
    );
    const length = 24 + ENCDEC_LENGTH_SLACK;
    expect(estimateStep(stepShapeOf(ENCDEC)).parameters).toBe(
      countEncDecParams({ vocabSize: 3000, maxSource: length, maxTarget: length, dModel: 64, nLayers: 2, nHeads: 4 }),
    );
  });

  it('prices the widest masking of a BERT run and every arm', () => {
    const shape = stepShapeOf(BERT);
    expect(shape).toMatchObject({ task: 'bert', selectRate: 0.4, arms: 2, length: 48, batch: 16 });
  });
});

describe('validateRun and the step budget', () => {
  it('passes the decoder page’s default run (about 100 MB)', () => {
    const run = gpt({}, 16);
    expect(estimateStep(stepShapeOf(run)).bytes.total).toBeLessThan(STEP_BUDGET_BYTES / 4);
    expect(validateRun(run)).toEqual([]);
  });

  it('refuses, before the worker builds anything, the links that grew the heap to gigabytes', () => {
    // layers=8&width=256&heads=16&ctx=256&batch=7: a 3.1 GB wasm heap and an 11.7 s first step.
    const attention = validateRun(gpt({ nLayers: 8, dModel: 256, nHeads: 16, contextLength: 256 }, 7));
    expect(attention).toHaveLength(1);
    expect(attention[0]).toMatch(/^run: One training step would hold about 4 GB of tensors/);
    expect(attention[0]).toContain('the limit is 512 MB');
    // batch=128&ctx=256&width=256&layers=8: Aborted() at a 4.3 GB heap.
    expect(validateRun(gpt({ nLayers: 8, dModel: 256, contextLength: 256 }, 128))[0]).toContain('about 44 GB');
  });

  it('prices a pasted text by its own characters', () => {
    // 3,000 distinct characters (a CJK text, say) make the logits large.
    const chars = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const run = gpt({ contextLength: 256 }, 64, { data: { kind: 'text', train: chars, heldOut: chars } });
    expect(runBudgetProblem(run)).toMatch(/logits/);
    expect(runBudgetProblem({ ...run, data: { kind: 'text', train: 'abc', heldOut: 'abc' } })).not.toMatch(/logits/);
  });

  it('multiplies the state by the arms of a race', () => {
    const one = estimateStep(stepShapeOf(gpt({}, 16))).bytes.parameters;
    const five = estimateStep(stepShapeOf(gpt({}, 16, { arms: [arm, arm, arm, arm, arm] }))).bytes.parameters;
    expect(five / one).toBeCloseTo((4 * 5 + 4) / (4 + 4), 10);
  });
});
