// layerNorm.wat through layers.ts's layerNorm on wasm, against the tfjs ops
// of the same function on cpu and against a float64 loop: values and all
// three gradients, on shapes that are not multiples of the 4-lane vectors
// (C = 1 included), plus the kernels really running, no leaked tensors, and
// the input checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { scaledError, testRng } from '../fixtures/golden';
import { LAYER_NORM_EPS, layerNorm } from '../layers';
import {
  LAYER_NORM_BACKWARD,
  LAYER_NORM_FORWARD,
  layerNormAvailable,
  layerNormBackward,
  layerNormForward,
} from './layerNorm';
import { LAYERNORM_WASM } from './layerNormBinary';
import { kernelLevel } from './runtime';

interface Inputs {
  n: number;
  c: number;
  x: Float32Array;
  g: Float32Array;
  b: Float32Array;
  dy: Float32Array;
}

function inputs(n: number, c: number, seed: number): Inputs {
  const rng = testRng(seed);
  const arr = (len: number, scale: number, offset = 0) =>
    Float32Array.from({ length: len }, () => offset + scale * (2 * rng() - 1));
  // Rows with an offset and a spread of their own, as hidden states have.
  const x = new Float32Array(n * c);
  for (let r = 0; r < n; r++) {
    const shift = 4 * rng() - 2;
    const spread = 0.1 + 3 * rng();
    for (let j = 0; j < c; j++) x[r * c + j] = shift + spread * (2 * rng() - 1);
  }
  return { n, c, x, g: arr(c, 1, 1), b: arr(c, 0.5), dy: arr(n * c, 1) };
}

/** y and the gradients of sum(y * dy) w.r.t. x, g, b, with layers.ts's layerNorm on the active backend. */
function run(t: Inputs): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(t.x, [t.n, t.c]);
    const g = tf.tensor1d(t.g);
    const b = tf.tensor1d(t.b);
    const dy = tf.tensor2d(t.dy, [t.n, t.c]);
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D);
    const y = f(x, g, b);
    const grads = tf.grads((x, g, b) => tf.sum(tf.mul(f(x, g, b), dy)))([x, g, b]);
    return [y, ...grads].map((r) => r.dataSync() as Float32Array);
  });
}

/**
 * The same in float64 loops, and the scale of dx's terms, rstd |dy g|: with
 * few columns dx is a difference of nearly equal terms (C = 2: exactly zero
 * but for eps), so float32 results can only be held to that scale.
 */
function reference(t: Inputs): { exact: Float64Array[]; dxScale: number } {
  const { n, c } = t;
  const y = new Float64Array(n * c);
  const dx = new Float64Array(n * c);
  const dg = new Float64Array(c);
  const db = new Float64Array(c);
  let dxScale = 0;
  for (let r = 0; r < n; r++) {
    const row = Array.from(t.x.subarray(r * c, (r + 1) * c));
    const mu = row.reduce((a, v) => a + v, 0) / c;
    const variance = row.reduce((a, v) => a + (v - mu) ** 2, 0) / c;
    const rstd = 1 / Math.sqrt(variance + LAYER_NORM_EPS);
    const xhat = row.map((v) => (v - mu) * rstd);
    const dxhat = xhat.map((_, j) => t.dy[r * c + j] * t.g[j]);
    const m1 = dxhat.reduce((a, v) => a + v, 0) / c;
    const m2 = dxhat.reduce((a, v, j) => a + v * xhat[j], 0) / c;
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      dxScale = Math.max(dxScale, rstd * Math.abs(dxhat[j]));
      y[i] = xhat[j] * t.g[j] + t.b[j];
      dx[i] = rstd * (dxhat[j] - m1 - xhat[j] * m2);
      dg[j] += t.dy[i] * xhat[j];
      db[j] += t.dy[i];
    }
  }
  return { exact: [y, dx, dg, db], dxScale };
}

const SHAPES: [number, number][] = [
  [1, 1],
  [5, 1],
  [1, 4],
  [3, 2],
  [7, 3],
  [4, 5],
  [2, 8],
  [9, 13],
  [16, 32],
  [33, 47],
  [3, 130],
  [64, 128],
];

describe('layer norm kernels on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('are available at a SIMD level', () => {
    expect(layerNormAvailable()).toBe(true);
    expect(kernelLevel(LAYERNORM_WASM)).not.toBe('off');
  });

  it('match tfjs on cpu and float64 for values and all gradients', async () => {
    let seed = 1;
    for (const [n, c] of SHAPES) {
      const t = inputs(n, c, seed++);
      await tf.setBackend('cpu');
      const cpu = run(t);
      await tf.setBackend('wasm');
      const wasm = run(t);
      const { exact, dxScale } = reference(t);
      ['y', 'dx', 'dg', 'db'].forEach((what, i) => {
        // Float32 storage, different summation orders (float64 sums in the kernel).
        expect(scaledError(wasm[i], cpu[i]), `[${n}, ${c}] ${what} vs cpu`).toBeLessThan(1e-5);
        const err = scaledError(wasm[i], exact[i]);
        const scale = Math.max(...Array.from(exact[i], Math.abs));
        const toTerms = what === 'dx' ? (err * scale) / dxScale : err;
        expect(toTerms, `[${n}, ${c}] ${what} vs float64`).toBeLessThan(3e-6);
      });
    }
  });

  it('run as one kernel forward and one backward, in place of the tfjs ops', async () => {
    const t = inputs(6, 10, 99);
    const profile = await tf.profile(() => {
      run(t);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((k) => k === LAYER_NORM_FORWARD)).toHaveLength(2); // y, then again inside tf.grads
    expect(names.filter((k) => k === LAYER_NORM_BACKWARD)).toHaveLength(1);
    expect(names).not.toContain('Rsqrt');
    expect(names).not.toContain('Mean');
  });

  it('leak no tensors over repeated steps', () => {
    const t = inputs(8, 12, 7);
    run(t);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run(t);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('do not write outside their outputs', () => {
    // Outputs allocated between guard tensors whose values must survive.
    tf.tidy(() => {
      const t = inputs(5, 7, 3);
      const guard = tf.fill([64], 7);
      const [y, xhat, rstd] = layerNormForward(
        tf.tensor2d(t.x, [5, 7]),
        tf.tensor1d(t.g),
        tf.tensor1d(t.b),
        LAYER_NORM_EPS,
      );
      const guard2 = tf.fill([64], 7);
      const [dx, dg, db] = layerNormBackward(tf.tensor2d(t.dy, [5, 7]), xhat, rstd, tf.tensor1d(t.g));
      const guard3 = tf.fill([64], 7);
      for (const gt of [guard, guard2, guard3]) expect(Array.from(gt.dataSync()).every((v) => v === 7)).toBe(true);
      expect([y.shape, xhat.shape, rstd.shape, dx.shape, dg.shape, db.shape]).toEqual([
        [5, 7],
        [5, 7],
        [5],
        [5, 7],
        [7],
        [7],
      ]);
    });
  });

  it('reject wrong shapes and dtypes with clear errors', () => {
    tf.tidy(() => {
      const x = tf.zeros([3, 4]) as tf.Tensor2D;
      const g = tf.ones([4]) as tf.Tensor1D;
      expect(() => layerNormForward(x, tf.ones([5]) as tf.Tensor1D, g, 1e-5)).toThrow(
        /g has shape \[5\], expected \[4\]/,
      );
      expect(() => layerNormForward(x, g, tf.ones([4], 'int32') as tf.Tensor1D, 1e-5)).toThrow(/b is int32/);
      expect(() => layerNormForward(tf.zeros([3, 0]) as tf.Tensor2D, g, g, 1e-5)).toThrow(/at least one column/);
      expect(() => layerNormBackward(tf.zeros([3, 4]), x, tf.ones([4]), g)).toThrow(
        /rstd has shape \[4\], expected \[3\]/,
      );
    });
  });
});
