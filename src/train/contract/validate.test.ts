// validateRun: the runs pages build pass; every field a link can break is named.
import { describe, expect, it } from 'vitest';
import { LOSS_SCALE_DEFAULTS } from '../../core';
import type { BertRunSpec, EncDecRunSpec, GptRunSpec } from './run';
import { validateRun } from './validate';

const schedule = { kind: 'cosine' as const, lr: 3e-3, warmupSteps: 20, totalSteps: 1000, minLrRatio: 0.1 };
const base = { label: 'a', optimizer: { kind: 'adamw' as const, beta2: 0.95 }, schedule, clipNorm: 1 };

const GPT: GptRunSpec = {
  task: 'gpt',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  data: { kind: 'corpus', name: 'brown', url: 'http://localhost/corpus/brown.json' },
  model: { tokenizer: 'char', wordVocab: 2000, nLayers: 2, dModel: 64, nHeads: 4, contextLength: 64 },
  arms: [
    base,
    {
      ...base,
      label: 'sgd',
      optimizer: { kind: 'sgd' },
      clipNorm: null,
      init: 't5',
      batchRamp: { start: 2, rampTokens: 1e5 },
    },
    { ...base, label: 'af', optimizer: { kind: 'adafactor', relativeStep: false, beta1: 0.9 } },
    {
      ...base,
      label: 'amp',
      optimizer: { kind: 'adam' },
      precision: { fp16Grads: true, fp16Weights: true, masterWeights: true, lossScale: LOSS_SCALE_DEFAULTS },
    },
  ],
  referenceArm: 0,
  track: [{ name: 'h0.mlp.w1', index: 3 }],
  factorError: true,
};

const BERT: BertRunSpec = {
  task: 'bert',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  data: { kind: 'corpus', name: 'brown', url: 'x' },
  model: { wordVocab: 2000, nLayers: 2, dModel: 64, nHeads: 4, maxLength: 48 },
  arms: [{ ...base, selectRate: 0.15, maskProb: 0.8, randomProb: 0.1, nsp: true, dynamicMasking: false }],
  trainDocuments: 40,
};

const ENCDEC: EncDecRunSpec = {
  task: 'encdec',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  data: { kind: 'text', train: 'a b c', heldOut: 'a b' },
  model: { wordVocab: 2000, nLayers: 2, dModel: 64, nHeads: 4, passageLength: 40 },
  arms: [{ ...base, objective: 'text-infilling', rate: 0.3, span: 3 }],
};

/** A copy of `run` with `edit` applied to it (a JSON round trip first, as a link's run). */
function broken<T>(run: T, edit: (r: T & Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(run)) as T & Record<string, unknown>;
  edit(copy);
  return copy;
}

describe('validateRun', () => {
  it('passes well-formed runs of every task', () => {
    expect(validateRun(GPT)).toEqual([]);
    expect(validateRun(BERT)).toEqual([]);
    expect(validateRun(ENCDEC)).toEqual([]);
  });

  it('refuses what is not a run, or an unknown task', () => {
    expect(validateRun(null)).toEqual(['run: must be an object, got null']);
    expect(validateRun({ ...GPT, task: 'gpt-race' })).toEqual(["task: must be gpt, bert or encdec, got 'gpt-race'"]);
  });

  const cases: [string, unknown, RegExp][] = [
    [
      'a fractional batch size',
      broken(GPT, (r) => (r.batchSize = 2.5)),
      /run\.batchSize: must be a whole number from 1/,
    ],
    ['a huge batch size', broken(GPT, (r) => (r.batchSize = 1e6)), /run\.batchSize/],
    ['evalEvery 0', broken(GPT, (r) => (r.evalEvery = 0)), /run\.evalEvery/],
    ['a seed that is not a whole number', broken(GPT, (r) => (r.seed = 1.5)), /seed: must be a whole number/],
    [
      'heads that do not divide the width',
      broken(GPT, (r) => (r.model.nHeads = 5)),
      /dModel 64 must be a multiple of nHeads 5/,
    ],
    ['zero layers', broken(BERT, (r) => (r.model.nLayers = 0)), /model\.nLayers/],
    ['an unknown tokenizer', broken(GPT, (r) => (r.model.tokenizer = 'bpe' as 'char')), /model\.tokenizer/],
    ['no arms', broken(GPT, (r) => (r.arms = [])), /arms: must be a list of 1 to/],
    ['a reference arm out of range', broken(GPT, (r) => (r.referenceArm = 4)), /run\.referenceArm/],
    [
      'a NaN rate (JSON null)',
      broken(GPT, (r) => (r.arms[1].schedule.lr = NaN)),
      /arms\[1\]\.schedule\.lr: must be a finite number >= 0/,
    ],
    ['a negative rate', broken(BERT, (r) => (r.arms[0].schedule.lr = -1)), /arms\[0\]\.schedule\.lr/],
    [
      'an unknown schedule',
      broken(GPT, (r) => (r.arms[0].schedule.kind = 'step' as 'linear')),
      /arms\[0\]\.schedule\.kind/,
    ],
    [
      'an unknown optimiser',
      broken(GPT, (r) => (r.arms[0].optimizer = { kind: 'lion' } as never)),
      /arms\[0\]\.optimizer\.kind: must be one of/,
    ],
    [
      'a beta of 1',
      broken(GPT, (r) => (r.arms[3].optimizer = { kind: 'adam', beta2: 1 })),
      /arms\[3\]\.optimizer\.beta2: must be a number in \[0, 1\)/,
    ],
    [
      'an AdaFactor decay rate out of range',
      broken(GPT, (r) => (r.arms[2].optimizer = { kind: 'adafactor', decayRate: 0.5 })),
      /arms\[2\]\.optimizer: adafactor: decayRate/,
    ],
    ['a clipping threshold of 0', broken(GPT, (r) => (r.arms[0].clipNorm = 0)), /arms\[0\]\.clipNorm/],
    [
      'a ramp above the batch',
      broken(GPT, (r) => (r.arms[1].batchRamp = { start: 17, rampTokens: 10 })),
      /arms\[1\]\.batchRamp\.start: must be a whole number from 1 to 16/,
    ],
    ['an unknown init', broken(GPT, (r) => (r.arms[1].init = 'he' as 't5')), /arms\[1\]\.init/],
    [
      'a bad loss scale',
      broken(GPT, (r) => (r.arms[3].precision!.lossScale!.backoffFactor = 2)),
      /arms\[3\]\.precision\.lossScale: loss scaling: backoffFactor/,
    ],
    [
      'mask and random shares above 1',
      broken(BERT, (r) => (r.arms[0].randomProb = 0.3)),
      /maskProb \+ randomProb must be at most 1/,
    ],
    ['a select rate above 1', broken(BERT, (r) => (r.arms[0].selectRate = 1.5)), /arms\[0\]\.selectRate/],
    ['an unknown objective', broken(ENCDEC, (r) => (r.arms[0].objective = 'shuffle')), /arms\[0\]\.objective/],
    ['a corruption rate above 1', broken(ENCDEC, (r) => (r.arms[0].rate = 2)), /arms\[0\]\.rate/],
    ['a passage of one word', broken(ENCDEC, (r) => (r.model.passageLength = 1)), /model\.passageLength/],
    [
      'an unknown corpus',
      broken(BERT, (r) => (r.data = { kind: 'corpus', name: 'wiki', url: 'x' } as never)),
      /data\.name/,
    ],
    ['a tracked element with a bad index', broken(GPT, (r) => (r.track![0].index = -1)), /track\[0\]\.index/],
  ];
  for (const [what, run, message] of cases) {
    it(`names ${what}`, () => {
      const errors = validateRun(run);
      expect(errors.length, JSON.stringify(errors)).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(message);
    });
  }
});
