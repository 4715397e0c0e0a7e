import { describe, expect, it } from 'vitest';
import { sampleBatch } from './batch';
import { makeRng } from './rng';
import { chiSquare, chiSquareZ } from './testing';

describe('sampleBatch', () => {
  const ids = Int32Array.from({ length: 50 }, (_, i) => 100 + i); // value encodes position

  it('returns row-major [B, T] windows with targets shifted by one', () => {
    const { inputs, targets } = sampleBatch(ids, 4, 8, makeRng(1));
    expect(inputs.length).toBe(32);
    expect(targets.length).toBe(32);
    for (let b = 0; b < 4; b++) {
      const start = inputs[b * 8] - 100;
      for (let t = 0; t < 8; t++) {
        expect(inputs[b * 8 + t]).toBe(100 + start + t);
        expect(targets[b * 8 + t]).toBe(100 + start + t + 1);
      }
    }
  });

  it('draws start offsets uniformly over every valid start, the last included', () => {
    const T = 10;
    const numStarts = ids.length - T; // 40
    const counts = new Float64Array(numStarts);
    const rng = makeRng(9);
    const batches = 2000;
    for (let i = 0; i < batches; i++) {
      const { inputs } = sampleBatch(ids, 8, T, rng);
      for (let b = 0; b < 8; b++) counts[inputs[b * T] - 100] += 1;
    }
    expect(counts[numStarts - 1]).toBeGreaterThan(0);
    const stat = chiSquare(counts, new Float64Array(numStarts).fill((batches * 8) / numStarts));
    expect(chiSquareZ(stat, numStarts - 1)).toBeLessThan(5);
  });

  it('accepts plain arrays, is reproducible, and works with exactly contextLength + 1 tokens', () => {
    const plain = [5, 6, 7, 8];
    expect(sampleBatch(plain, 3, 3, makeRng(2))).toEqual({
      inputs: Int32Array.from([5, 6, 7, 5, 6, 7, 5, 6, 7]),
      targets: Int32Array.from([6, 7, 8, 6, 7, 8, 6, 7, 8]),
    });
    expect(sampleBatch(ids, 2, 5, makeRng(3))).toEqual(sampleBatch(ids, 2, 5, makeRng(3)));
  });

  it('explains when the text is too short', () => {
    expect(() => sampleBatch([1, 2, 3], 1, 3, makeRng(1))).toThrow(
      /3 tokens but a window needs contextLength \+ 1 = 4/,
    );
    expect(() => sampleBatch([1, 2, 3], 0, 1, makeRng(1))).toThrow(/batchSize/);
  });
});
