// With the kernels forced off, embeddings on wasm fall back to the one-hot
// products, register no row kernel, and give the same rows.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { rows, rowsGrad } from '../products';
import { GATHER_ROWS, rowsKernelsAvailable, SCATTER_ROWS } from './rows';
import { expectKernelsOff, onWasmWithKernelsOff } from './kernelsOff.testing';
import { ROWS_WASM } from './rowsBinary';

describe('embedding rows on wasm with the kernels forced off', () => {
  onWasmWithKernelsOff();

  it('uses the one-hot products and gets the same rows and gradient', () => {
    expectKernelsOff(ROWS_WASM, rowsKernelsAvailable, [GATHER_ROWS, SCATTER_ROWS]);
    const [g, s] = tf.tidy(() => {
      const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
      return [rows(table, ids).arraySync(), rowsGrad(tf.ones([4, 2]) as tf.Tensor2D, ids, 3).arraySync()];
    });
    expect(g).toEqual([
      [5, 6],
      [1, 2],
      [5, 6],
      [0, 0],
    ]);
    expect(s).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
  });
});
