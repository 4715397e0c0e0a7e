// sumAll (products.ts) on wasm, whose Sum kernel adds a whole reduction in
// one float32 loop: the error grows with the length of the sum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { sumAll } from './products';
import { testRng } from './fixtures/golden';

/** The float64 sum of a float32 tensor's values. */
function exactSum(x: tf.Tensor): number {
  let s = 0;
  for (const v of x.dataSync()) s += v;
  return s;
}

describe('sumAll on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('sums 2^20 equal numbers to float32 precision, where tf.sum is 1e-2 off', () => {
    tf.tidy(() => {
      const x = tf.fill([1 << 20], 0.1);
      const exact = exactSum(x);
      // What the workaround is for: if this starts failing, wasm's Sum got accurate.
      expect(Math.abs(tf.sum(x).dataSync()[0] / exact - 1)).toBeGreaterThan(1e-3);
      expect(Math.abs(sumAll(x).dataSync()[0] / exact - 1)).toBeLessThan(1e-6);
    });
  });

  it('any size and rank (padding the last chunk), and frees its temporaries', () => {
    const rng = testRng(11);
    for (const shape of [[], [1], [7], [256], [257], [3, 1000], [2000, 64], [5, 7, 11, 13], [65537]]) {
      const before = tf.memory().numTensors;
      const x = tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * rng()),
        shape,
      );
      const s = sumAll(x);
      expect(s.shape).toEqual([]);
      const exact = exactSum(x);
      expect(Math.abs(s.dataSync()[0] - exact), `shape [${shape}]`).toBeLessThanOrEqual(1e-6 * Math.abs(exact));
      tf.dispose([x, s]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
