// The global-norm kernel against a float64 loop over the same float32 values:
// odd sizes (the 4-wide loop's tail), empty and size-1 tensors, a long
// reduction where float32 addition drifts, and non-finite elements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { globalNorm } from './clip';
import { GLOBAL_NORM, globalNormAvailable, globalNormOf } from '../../models/kernels/norm';

function float64Norm(arrays: Float32Array[]): number {
  let sum = 0;
  for (const a of arrays) for (const x of a) sum += x * x;
  return Math.sqrt(sum);
}

describe('global norm kernel on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(globalNormAvailable()).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([[[1]], [[7, 0, 3]], [[4, 5, 6, 1]], [[1023, 64, 17]]])(
    'sizes %j: the float64 norm rounded once',
    (sizes) => {
      const rng = makeRng(sizes.length * 31 + sizes[0]);
      const arrays = sizes.map((n) => Float32Array.from({ length: n }, () => rng() * 4 - 2));
      const got = tf.tidy(() => globalNormOf(arrays.map((a) => tf.tensor1d(a))).dataSync()[0]);
      expect(got).toBe(Math.fround(float64Norm(arrays)));
    },
  );

  it('stays exact where a float32 sum drifts: 2^20 elements of 0.1', () => {
    const a = new Float32Array(1 << 20).fill(0.1);
    const got = tf.tidy(() => globalNormOf([tf.tensor1d(a)]).dataSync()[0]);
    expect(got).toBe(Math.fround(float64Norm([a])));
  });

  it('is Infinity or NaN exactly when an element is, and finite for huge finite elements', () => {
    const norm = (values: number[]) => tf.tidy(() => globalNormOf([tf.tensor1d(values)]).dataSync()[0]);
    expect(norm([1, Infinity, 2])).toBe(Infinity);
    expect(norm([1, NaN, 2, 3, 4])).toBeNaN();
    // 1e20 squared overflows float32, not float64: the elements are finite, so the norm is.
    expect(norm([1e20, 1e20])).toBe(Math.fround(Math.SQRT2 * 1e20));
  });

  it('is what clipping reads on wasm, one kernel for every gradient, and leaks nothing', async () => {
    const grads = {
      a: tf.tensor2d([
        [3, 0],
        [0, 4],
      ]),
      b: tf.tensor1d([12]),
    };
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      const n = globalNorm(grads);
      expect(n.dataSync()[0]).toBe(13);
      n.dispose();
    });
    expect(profile.kernels.map((k) => k.name)).toEqual([GLOBAL_NORM]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(grads));
  });
});
