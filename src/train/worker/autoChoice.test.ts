import { describe, expect, it } from 'vitest';
import { describeTrials, fastest, median, modelKey } from './autoChoice';
import type { GptRunSpec } from '../contract';

const run = {
  task: 'gpt',
  seed: 1,
  batchSize: 16,
  evalEvery: 25,
  model: { tokenizer: 'char', wordVocab: 0, nLayers: 2, dModel: 64, nHeads: 4, contextLength: 64 },
  arms: [{ label: 'a' }],
} as unknown as GptRunSpec;

describe('auto by measurement', () => {
  it('keys a choice by task, model shape, batch and arm count, not by seed or optimiser', () => {
    expect(modelKey({ ...run, seed: 2, arms: [{ label: 'b' }] } as GptRunSpec)).toBe(modelKey(run));
    expect(modelKey({ ...run, batchSize: 8 })).not.toBe(modelKey(run));
    expect(modelKey({ ...run, model: { ...run.model, dModel: 128 } })).not.toBe(modelKey(run));
    expect(modelKey({ ...run, arms: [...run.arms, ...run.arms] })).not.toBe(modelKey(run));
  });

  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('picks the fastest candidate that ran, and wasm when none did', () => {
    expect(
      fastest([
        { name: 'webgpu', msPerStep: 80 },
        { name: 'webgl', msPerStep: null, failure: 'lost context' },
        { name: 'wasm', msPerStep: 50 },
      ]),
    ).toBe('wasm');
    expect(
      fastest([
        { name: 'webgl', msPerStep: 12 },
        { name: 'wasm', msPerStep: 50 },
      ]),
    ).toBe('webgl');
    expect(fastest([{ name: 'webgpu', msPerStep: null }])).toBe('wasm');
  });

  it('names every candidate’s time and the pick', () => {
    expect(
      describeTrials(
        [
          { name: 'webgl', msPerStep: 1440.04 },
          { name: 'wasm', msPerStep: 50.46 },
        ],
        'wasm',
        false,
      ),
    ).toBe('auto: measured on this model, median ms per training step: webgl 1440.0 ms, wasm 50.5 ms; wasm is fastest');
  });
});
