import { describe, expect, it } from 'vitest';
import { gptDecoderShapes } from '../../core/optim';
import { workerAccount } from './workerAccount';

describe('workerAccount', () => {
  // The decoder page's default GPT on Brown characters: 2 layers, d 64, 83 symbols, context 64, batch 16.
  const shapes = gptDecoderShapes({ layers: 2, dModel: 64, vocab: 83, context: 64 });

  it('lists the parts held between steps, exactly', () => {
    const a = workerAccount(shapes, 16, 64);
    expect(a.parameterCount).toBe(109_504);
    expect(a.rows).toEqual([
      { key: 'params', tensors: 28, bytes: 438_016 },
      { key: 'm', tensors: 28, bytes: 438_016 },
      { key: 'v', tensors: 28, bytes: 438_016 },
      { key: 'evalBatches', tensors: 8, bytes: 32_768 },
      { key: 'mask', tensors: 1, bytes: 16_384 },
      { key: 'constants', tensors: 5, bytes: 20 },
    ]);
    expect(a.modelAndAdam).toBe(1_314_048);
    expect(a.total).toEqual({ tensors: 98, bytes: 1_363_220 });
    expect(a.transientGradients).toBe(438_016);
  });

  it('rejects a batch or context that is not a whole number >= 1', () => {
    expect(() => workerAccount(shapes, 0, 64)).toThrow(/batchSize/);
    expect(() => workerAccount(shapes, 16, 2.5)).toThrow(/context/);
  });
});
