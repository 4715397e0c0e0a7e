import { describe, expect, it } from 'vitest';
import { gptDecoderShapes, MODEL_PRESETS } from '../../core/optim';
import { largestMatrices, secondMoments } from './matrices';

// layers 1, d 4, vocab 10, context 3, ffn 16 (memory.test.ts): matrices
// token [10,4], position [3,4], q|k|v [4,12], output [4,4], MLP [4,16] and [16,4].
const tiny = gptDecoderShapes({ layers: 1, dModel: 4, vocab: 10, context: 3 });

describe('largestMatrices', () => {
  it('lists matrices by n x m, largest first, ties by name', () => {
    expect(largestMatrices(tiny, 3)).toEqual([
      { name: 'MLP in', n: 4, m: 16, count: 1, full: 64, factored: 20 },
      { name: 'MLP out', n: 16, m: 4, count: 1, full: 64, factored: 20 },
      { name: 'attention q|k|v', n: 4, m: 12, count: 1, full: 48, factored: 16 },
    ]);
    expect(largestMatrices(tiny, 10).map((r) => r.name)).toEqual([
      'MLP in',
      'MLP out',
      'attention q|k|v',
      'token embedding',
      'attention output',
      'position embedding',
    ]);
    expect(largestMatrices(tiny, 0)).toEqual([]);
  });

  it('GPT-3: the token embedding is the largest single matrix, then the 96 MLP matrices', () => {
    const gpt3 = MODEL_PRESETS.find((p) => p.id === 'gpt3-175b')!.tensors;
    const [first, second] = largestMatrices(gpt3, 2);
    expect(first).toEqual({
      name: 'token embedding',
      n: 50257,
      m: 12288,
      count: 1,
      full: 617_558_016,
      factored: 62_545,
    });
    expect(second).toEqual({ name: 'MLP in', n: 12288, m: 49152, count: 96, full: 603_979_776, factored: 61_440 });
  });
});

describe('secondMoments', () => {
  it('splits the state into matrices (factored) and vectors (kept whole)', () => {
    expect(secondMoments(tiny)).toEqual({
      parameterCount: 304,
      adamState: 608,
      adafactorState: 145,
      matrixFull: 244,
      matrixFactored: 85,
      vectorEntries: 60,
    });
  });

  it('matrices and vectors together are the whole model', () => {
    for (const p of MODEL_PRESETS) {
      const s = secondMoments(p.tensors);
      expect(s.matrixFull + s.vectorEntries).toBe(s.parameterCount);
      expect(s.matrixFactored + s.vectorEntries).toBe(s.adafactorState);
    }
  });
});
