// The fused GELU and cross-entropy kernels (pointwise.wat) against float64
// references of their exp and log, and layers.ts's geluTanh and crossEntropy
// on wasm (the kernels) against the same functions on cpu (tfjs's own ops):
// values and gradients, odd sizes, size 1, large |x|, out-of-range targets,
// both reductions, no leaked tensors, and the wrapper's input checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { crossEntropy, geluTanh } from '../layers';
import {
  CROSS_ENTROPY_BACKWARD,
  CROSS_ENTROPY_FORWARD,
  GELU_BACKWARD,
  GELU_FORWARD,
  crossEntropyBackward,
  crossEntropyForward,
  geluForward,
  pointwiseAvailable,
} from './pointwise';
import { POINTWISE_WASM } from './pointwiseBinary';
import { kernelLevel } from './runtime';

const f32 = Math.fround;
const C1 = f32(2 * Math.sqrt(2 / Math.PI));
const C3 = f32(2 * Math.sqrt(2 / Math.PI) * 0.044715);

/** Distance in float32 units in the last place (0 for equal values, Infinity for NaN against a number). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const ia = new Int32Array(new Float32Array([a]).buffer)[0];
  const ib = new Int32Array(new Float32Array([b]).buffer)[0];
  const key = (i: number) => (i < 0 ? -(i & 0x7fffffff) : i);
  return Math.abs(key(ia) - key(ib));
}

function randomArray(n: number, rng: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
}

/** Runs `f` on wasm and on cpu; returns both results as arrays. */
async function onBoth(f: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = () => {
    const outs = tf.tidy(f);
    const data = outs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outs);
    return data;
  };
  const wasm = run();
  await tf.setBackend('cpu');
  try {
    return [wasm, run()];
  } finally {
    await tf.setBackend('wasm');
  }
}

/** Largest |got - want| / (|want| + floor), and the element count must match. */
function relError(got: Float32Array, want: Float32Array, floor: number): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) || Number.isNaN(got[i])) {
      if (!(Number.isNaN(want[i]) && Number.isNaN(got[i]))) return Infinity;
      continue;
    }
    if (want[i] === got[i]) continue;
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / (Math.abs(want[i]) + floor));
  }
  return worst;
}

describe('pointwise kernels on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is available on wasm in Node and not on cpu', async () => {
    expect(pointwiseAvailable()).toBe(true);
    expect(kernelLevel(POINTWISE_WASM)).toBe('simd');
    expect(tf.getKernel(GELU_FORWARD, 'wasm')).toBeDefined();
    await tf.setBackend('cpu');
    expect(pointwiseAvailable()).toBe(false);
    await tf.setBackend('wasm');
  });

  it('computes sigmoid(2u) within one float32 ulp of Math.exp, over the whole range', () => {
    const rng = makeRng(1);
    const special = [
      0, -0, 1e-30, -1e-30, 1e-6, 0.5, -0.5, 3, -3, 9.5, -9.5, 30, -30, 100, -100, 1e4, -1e4, 1e30, -1e30,
    ];
    const values = Float32Array.from([
      ...special,
      ...randomArray(4001, rng, 8),
      ...randomArray(1001, rng, 60),
      ...Array.from({ length: 999 }, () => Math.sign(rng() - 0.5) * Math.exp(rng() * 40 - 20)),
    ]);
    const [y, s] = geluForward(tf.tensor1d(values));
    const ys = y.dataSync();
    const ss = s.dataSync();
    tf.dispose([y, s]);
    let worst = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      const t = f32(x * f32(f32(f32(x * x) * C3) + C1)); // 2u in float32, as layers.ts
      const want = f32(1 / (1 + Math.exp(-t)));
      worst = Math.max(worst, ulps(ss[i], want));
      expect(ulps(ys[i], f32(x * ss[i]))).toBe(0);
    }
    expect(worst).toBeLessThanOrEqual(1);
    // Overflow and underflow: x = -100 gives s = 0 and y = -0, x = 100 gives y = x.
    const at = (x: number) => special.indexOf(x);
    expect(ss[at(-100)]).toBe(0);
    expect(Object.is(ys[at(-100)], -0)).toBe(true);
    expect(ys[at(100)]).toBe(100);
    expect(ys[at(1e30)]).toBe(f32(1e30));
  });

  it('computes the log-sum-exp within a few float32 ulps of Math.log and Math.exp', () => {
    const rng = makeRng(2);
    for (const [N, V, scale] of [
      [1, 1, 1],
      [3, 7, 1],
      [9, 83, 5],
      [4, 64, 40],
      [5, 301, 0.01],
    ]) {
      const values = randomArray(N * V, rng, scale);
      const ids = Int32Array.from({ length: N }, () => Math.floor(rng() * V));
      const [nll, stats] = crossEntropyForward(tf.tensor2d(values, [N, V]), tf.tensor1d(ids, 'int32'));
      const got = nll.dataSync();
      const st = stats.dataSync();
      tf.dispose([nll, stats]);
      for (let r = 0; r < N; r++) {
        const row = values.subarray(r * V, (r + 1) * V);
        const m = row.reduce((a, b) => Math.max(a, b), -Infinity);
        let sum = 0;
        for (const v of row) sum += Math.exp(f32(v - m));
        const lse = f32(Math.log(sum));
        expect(st[2 * r]).toBe(m);
        expect(ulps(st[2 * r + 1], lse)).toBeLessThanOrEqual(1);
        // nll = lse - z[target] in float32; one ulp of lse can be many of a small difference.
        expect(Math.abs(got[r] - f32(lse - f32(row[ids[r]] - m)))).toBeLessThanOrEqual(2 ** -23 * (lse + 1));
      }
    }
  });

  it('matches geluTanh on cpu: values and gradients, any shape', async () => {
    const rng = makeRng(3);
    for (const shape of [[1], [3], [4], [7], [2, 3], [3, 5, 13], [1024, 17]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const xs = randomArray(n, rng, 4);
      // Large |x| as well: exp overflows and underflows there.
      for (const [i, v] of [30, -30, 100, -100, 12, -12].entries()) if (i < n) xs[(i * 7919) % n] = v;
      const dys = randomArray(n, rng, 1);
      const [wasm, cpu] = await onBoth(() => {
        const x = tf.tensor(xs, shape);
        const dy = tf.tensor(dys, shape);
        const dx = tf.grad((x: tf.Tensor) => geluTanh(x))(x, dy);
        return [geluTanh(x), dx];
      });
      // Same formulas in float32; only the sigmoid's rounding can differ (tfjs cpu also uses Math.exp).
      expect(relError(wasm[0], cpu[0], 1e-6)).toBeLessThan(2.5e-7);
      expect(relError(wasm[1], cpu[1], 1e-6)).toBeLessThan(2e-6);
    }
  });

  it('runs geluTanh as one kernel forward and one backward', () => {
    const x = tf.tensor2d(randomArray(12, makeRng(4), 2), [3, 4]);
    const names: string[] = [];
    return tf
      .profile(() => tf.grad((x: tf.Tensor) => geluTanh(x))(x))
      .then((info) => {
        for (const k of info.kernels) names.push(k.name);
        tf.dispose(info.result as tf.Tensor);
        x.dispose();
        expect(names).toContain(GELU_FORWARD);
        expect(names).toContain(GELU_BACKWARD);
        expect(names).not.toContain('Sigmoid');
      });
  });

  it('matches crossEntropy on cpu: values and gradients, both reductions, odd V, out-of-range targets', async () => {
    const rng = makeRng(5);
    // V >= 2: tf.oneHot (the cpu path) refuses depth 1.
    for (const [N, V, scale] of [
      [1, 2, 1],
      [1, 5, 3],
      [3, 7, 1],
      [4, 4, 2],
      [17, 83, 4],
      [6, 65, 30],
      [64, 83, 1],
    ]) {
      const logits = randomArray(N * V, rng, scale);
      const ids = Int32Array.from({ length: N }, () => Math.floor(rng() * V));
      if (N > 2) {
        ids[1] = -1;
        ids[2] = V + (V > 3 ? 100 : 0);
      }
      for (const reduction of ['none', 'mean'] as const) {
        const dys = randomArray(reduction === 'mean' ? 1 : N, rng, 2);
        const [wasm, cpu] = await onBoth(() => {
          const x = tf.tensor2d(logits, [N, V]);
          const t = tf.tensor1d(ids, 'int32');
          const dy = reduction === 'mean' ? tf.scalar(dys[0]) : tf.tensor1d(dys);
          const f = (x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, t, reduction as 'none');
          return [f(x), tf.grad(f)(x, dy)];
        });
        expect(relError(wasm[0], cpu[0], 1e-3)).toBeLessThan(2e-6);
        expect(relError(wasm[1], cpu[1], 1e-6)).toBeLessThan(5e-6);
      }
    }
  });

  it('runs crossEntropy as one kernel forward and one backward', async () => {
    const x = tf.tensor2d(randomArray(21, makeRng(6), 2), [3, 7]);
    const t = tf.tensor1d([0, 6, 3], 'int32');
    const info = await tf.profile(() => tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, t, 'mean'))(x));
    tf.dispose([info.result as tf.Tensor, x, t]);
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain(CROSS_ENTROPY_FORWARD);
    expect(names).toContain(CROSS_ENTROPY_BACKWARD);
    expect(names).not.toContain('OneHot');
    expect(names).not.toContain('Exp');
  });

  it('leaks no tensors over repeated forward and backward passes', () => {
    const rng = makeRng(7);
    const x = tf.tensor2d(randomArray(5 * 9, rng, 3), [5, 9]);
    const t = tf.tensor1d([0, 8, 3, 3, 1], 'int32');
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => crossEntropy(geluTanh(v), t, 'mean'));
        return [value, ...Object.values(grads)];
      });
    const v = tf.variable(x);
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t, v]);
  });

  it('checks shapes and dtypes before running', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const good = tf.tensor1d([0, 2], 'int32');
      const floats = tf.tensor1d([0, 2]);
      const short = tf.tensor1d([0], 'int32');
      const stats = tf.zeros([2, 2]) as tf.Tensor2D;
      expect(() => crossEntropyForward(x, floats)).toThrow(TypeError);
      expect(() => crossEntropyForward(x, short)).toThrow(RangeError);
      expect(() => crossEntropyForward(tf.tensor1d([1, 2]) as unknown as tf.Tensor2D, good)).toThrow(RangeError);
      expect(() => crossEntropyBackward(x, good, stats, tf.ones([3]), 'none')).toThrow(RangeError);
      expect(() => crossEntropyBackward(x, good, stats, tf.ones([2]), 'mean')).toThrow(RangeError);
      expect(() => crossEntropyBackward(x, good, tf.zeros([2, 3]) as tf.Tensor2D, tf.ones([2]), 'none')).toThrow(
        RangeError,
      );
      expect(() => geluForward(tf.tensor1d([1, 2], 'int32'))).toThrow(TypeError);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
