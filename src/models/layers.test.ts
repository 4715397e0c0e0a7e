// The hand-written gradients of layers.ts against tfjs autodiff of the plain
// formulas, on random inputs (cpu backend, which has every kernel).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { crossEntropy, embed, geluTanh, layerNorm, linear, tiedLogits, LAYER_NORM_EPS } from './layers';
import { scaledError, testRng } from './fixtures/golden';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randn(shape: number[], rng: () => number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: n }, () => scale * (rng() + rng() + rng() - 1.5) * 2);
  return tf.tensor(values, shape);
}

/** Values and gradients (w.r.t. every input, for a random upstream dy) of two implementations. */
function compare(
  ours: (...xs: tf.Tensor[]) => tf.Tensor,
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  rng: () => number,
) {
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const dy = randn(ours(...inputs).shape, rng);
    const a = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(ours(...xs), dy)))(inputs);
    const b = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(reference(...xs), dy)))(inputs);
    expect(scaledError(ours(...inputs).dataSync(), reference(...inputs).dataSync())).toBeLessThan(1e-5);
    a.grads.forEach((g, i) =>
      expect(scaledError(g.dataSync(), b.grads[i].dataSync()), `input ${i}`).toBeLessThan(1e-5),
    );
  });
  expect(tf.memory().numTensors).toBe(before);
}

describe('custom-gradient layers', () => {
  it('layerNorm', () => {
    const rng = testRng(1);
    const inputs = [randn([7, 12], rng, 3), tf.add(1, randn([12], rng, 0.3)), randn([12], rng, 0.3)];
    compare(
      (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
      (x, g, b) => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPS))), g), b);
      },
      inputs,
      rng,
    );
    tf.dispose(inputs);
  });

  it('geluTanh', () => {
    const rng = testRng(2);
    const inputs = [randn([5, 9], rng, 4)];
    compare(
      (x) => geluTanh(x),
      (x) =>
        tf.mul(
          tf.mul(0.5, x),
          tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
        ),
      inputs,
      rng,
    );
    tf.dispose(inputs);
  });

  it('embed: tokens plus positions', () => {
    const rng = testRng(3);
    const ids = tf.tensor2d(
      [
        [3, 0, 3],
        [5, 1, 3],
      ],
      undefined,
      'int32',
    );
    const inputs = [randn([6, 4], rng), randn([3, 4], rng)];
    compare(
      (table, pos) => embed(table as tf.Tensor2D, pos as tf.Tensor2D, ids),
      (table, pos) => tf.reshape(tf.add(tf.gather(table, ids), pos), [6, 4]),
      inputs,
      rng,
    );
    tf.dispose([ids, ...inputs]);
  });

  it('linear and tiedLogits', () => {
    const rng = testRng(5);
    const inputs = [randn([7, 5], rng), randn([5, 3], rng), randn([3], rng)];
    compare(
      (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
      (x, w, b) => tf.add(tf.matMul(x, w), b),
      inputs,
      rng,
    );
    compare(
      (h, e) => tiedLogits(h as tf.Tensor2D, e as tf.Tensor2D),
      (h, e) => tf.matMul(h, tf.transpose(e)),
      [inputs[0], randn([9, 5], rng)],
      rng,
    );
    tf.dispose(inputs);
  });

  it('crossEntropy, per token and mean', () => {
    const rng = testRng(4);
    const targets = tf.tensor1d([2, 0, 4, 4, 1], 'int32');
    const inputs = [randn([5, 6], rng, 5)];
    const reference = (logits: tf.Tensor) => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, 6)), -1));
    compare((l) => crossEntropy(l as tf.Tensor2D, targets, 'none'), reference, inputs, rng);
    compare(
      (l) => crossEntropy(l as tf.Tensor2D, targets, 'mean'),
      (l) => tf.mean(reference(l)),
      inputs,
      rng,
    );
    tf.dispose([targets, ...inputs]);
  });

  it('crossEntropy stays finite for huge logits', () => {
    const logits = tf.tensor2d([[1000, -1000, 0]]);
    const targets = tf.tensor1d([1], 'int32');
    const nll = crossEntropy(logits, targets, 'none');
    expect(nll.dataSync()[0]).toBeCloseTo(2000, 3);
    tf.dispose([logits, targets, nll]);
  });
});
