// Attention's fused masked softmax (pointwise.wat's softmaxForward and
// softmaxBackward) on wasm against tfjs's softmax of scores + mask and its
// autodiff gradient on cpu: the mask shapes the models use ([Tq, Tk] causal,
// [B, 1, 1, Tk] padding) and a full [B, H, Tq, Tk] one, odd row lengths,
// fully masked rows, large scores, accuracy against a float64 softmax; the
// mask-shape rule and the wrappers' input checks; and attendHeads on wasm
// with the kernels against cpu ops, including a mask shape the kernel does
// not take (tfjs ops then).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { attendHeads, type AttentionShape } from '../attention';
import { MASKED } from '../transformer';
import {
  SOFTMAX_BACKWARD,
  SOFTMAX_FORWARD,
  maskedSoftmax,
  pointwiseAvailable,
  softmaxBackward,
  softmaxMaskStrides,
} from './pointwise';

function randomArray(n: number, rng: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
}

function causal(Tq: number, Tk: number): Float32Array {
  return Float32Array.from({ length: Tq * Tk }, (_, i) => (i % Tk > Math.floor(i / Tk) ? MASKED : 0));
}

function padding(lengths: number[], Tk: number): Float32Array {
  return Float32Array.from({ length: lengths.length * Tk }, (_, i) =>
    i % Tk >= lengths[Math.floor(i / Tk)] ? MASKED : 0,
  );
}

function maxAbsError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

function maxRelError(got: Float32Array, want: Float32Array): number {
  let scale = 1e-6;
  for (const x of want) scale = Math.max(scale, Math.abs(x));
  return maxAbsError(got, want) / scale;
}

interface SoftmaxCase {
  name: string;
  shape: [number, number, number, number];
  mask: { values: Float32Array; shape: number[] };
  /** Half-width of the uniform scores. */
  spread: number;
}

const B = 3;
const H = 2;
const CASES: SoftmaxCase[] = [
  ...[1, 3, 17, 64].map((T) => ({
    name: `causal [${T}, ${T}]`,
    shape: [B, H, T, T] as SoftmaxCase['shape'],
    mask: { values: causal(T, T), shape: [T, T] },
    spread: 4,
  })),
  ...[1, 3, 17].map((Tk) => ({
    name: `padding [${B}, 1, 1, ${Tk}] with a fully masked row`,
    shape: [B, H, 5, Tk] as SoftmaxCase['shape'],
    mask: { values: padding([Tk, 0, Math.ceil(Tk / 2)], Tk), shape: [B, 1, 1, Tk] },
    spread: 4,
  })),
  {
    name: 'large scores (±80), causal [17, 17]',
    shape: [B, H, 17, 17],
    mask: { values: causal(17, 17), shape: [17, 17] },
    spread: 80,
  },
  {
    name: 'large scores (±80), padding with a fully masked row',
    shape: [B, H, 4, 9],
    mask: { values: padding([9, 0, 2], 9), shape: [B, 1, 1, 9] },
    spread: 80,
  },
  {
    name: 'full [B, H, Tq, Tk] mask',
    shape: [B, H, 6, 7],
    mask: {
      values: Float32Array.from({ length: B * H * 6 * 7 }, (_, i) => (i % 5 === 0 ? MASKED : (i % 3) - 1)),
      shape: [B, H, 6, 7],
    },
    spread: 3,
  },
  {
    name: 'rank-3 [H, 1, Tk] mask',
    shape: [B, H, 3, 5],
    mask: { values: Float32Array.from({ length: H * 5 }, (_, i) => (i % 4 === 1 ? MASKED : i / 3)), shape: [H, 1, 5] },
    spread: 3,
  },
];

/** Probabilities and dScores for upstream gradient `w`, with the kernels on wasm. */
function kernelRun(scores: tf.Tensor4D, mask: tf.Tensor, w: tf.Tensor4D): Float32Array[] {
  return tf
    .tidy(() => {
      const p = maskedSoftmax(scores, mask);
      return [p, softmaxBackward(p, w)];
    })
    .map((t) => {
      const data = t.dataSync() as Float32Array;
      t.dispose();
      return data;
    });
}

/** The same from tfjs's softmax and autodiff (grad of sum(softmax(s + mask) * w) wrt s). */
function opsRun(scores: tf.Tensor4D, mask: tf.Tensor, w: tf.Tensor4D): Float32Array[] {
  return tf
    .tidy(() => {
      const p = tf.softmax(tf.add(scores, mask));
      const g = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.add(s, mask)), w)))(scores);
      return [p, g];
    })
    .map((t) => {
      const data = t.dataSync() as Float32Array;
      t.dispose();
      return data;
    });
}

describe('masked softmax kernels against tfjs softmax and autodiff on cpu', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(pointwiseAvailable()).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name', async (c) => {
    const rng = makeRng(c.shape[2] * 97 + c.shape[3]);
    const n = c.shape.reduce((a, b) => a * b, 1);
    const scoresValues = randomArray(n, rng, c.spread);
    const wValues = randomArray(n, rng, 1);
    const inputs = () => ({
      scores: tf.tensor4d(scoresValues, c.shape),
      mask: tf.tensor(c.mask.values, c.mask.shape),
      w: tf.tensor4d(wValues, c.shape),
    });

    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    let t = inputs();
    const [p, dS] = kernelRun(t.scores, t.mask, t.w);
    tf.dispose([t.scores, t.mask, t.w]);
    expect(tf.memory().numTensors).toBe(before);

    await tf.setBackend('cpu');
    t = inputs();
    const [wantP, wantDS] = opsRun(t.scores, t.mask, t.w);
    tf.dispose([t.scores, t.mask, t.w]);
    await tf.setBackend('wasm');

    expect(p.every(Number.isFinite)).toBe(true);
    expect(maxAbsError(p, wantP)).toBeLessThan(3e-7);
    expect(maxAbsError(dS, wantDS)).toBeLessThan(1e-6);
    // Each row sums to 1.
    const Tk = c.shape[3];
    for (let r = 0; r < n / Tk; r++) {
      const sum = p.subarray(r * Tk, (r + 1) * Tk).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
  });

  it('gives a fully masked row the uniform distribution, as tfjs does', () => {
    const Tk = 5;
    const [p] = tf.tidy(() => [
      maskedSoftmax(tf.tensor4d([0.5, -3, 7, 1, 2], [1, 1, 1, Tk]), tf.fill([1, 1, 1, Tk], MASKED)),
    ]);
    expect(Array.from(p.dataSync())).toEqual(Array(Tk).fill(Math.fround(1 / Tk)));
    p.dispose();
  });

  it('gives every probability within 4e-7 relative of the float64 softmax (a few float32 ulps)', () => {
    const rng = makeRng(11);
    const [rows, Tk] = [256, 37];
    const values = randomArray(rows * Tk, rng, 20);
    const got = tf.tidy(() => maskedSoftmax(tf.tensor4d(values, [1, 1, rows, Tk]), tf.zeros([rows, Tk])).dataSync());
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(values.subarray(r * Tk, (r + 1) * Tk));
      const m = Math.max(...row);
      const e = row.map((x) => Math.exp(Math.fround(x - m)));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((x, j) => {
        const want = x / sum;
        if (want > 1e-37) worst = Math.max(worst, Math.abs(got[r * Tk + j] - want) / want);
      });
    }
    expect(worst).toBeLessThan(4e-7);
  });

  it('takes broadcasts along batch, head and query with whole rows, and nothing else', () => {
    const s = [2, 3, 4, 5];
    expect(softmaxMaskStrides([4, 5], s)).toEqual([0, 0, 5]);
    expect(softmaxMaskStrides([2, 1, 1, 5], s)).toEqual([5, 0, 0]);
    expect(softmaxMaskStrides([2, 3, 4, 5], s)).toEqual([60, 20, 5]);
    expect(softmaxMaskStrides([3, 1, 5], s)).toEqual([0, 5, 0]);
    expect(softmaxMaskStrides([5], s)).toEqual([0, 0, 0]);
    expect(softmaxMaskStrides([1, 1, 4, 5], s)).toEqual([0, 0, 5]);
    expect(softmaxMaskStrides([4, 1], s)).toBeNull(); // broadcast along keys
    expect(softmaxMaskStrides([], s)).toBeNull(); // scalar
    expect(softmaxMaskStrides([3, 4, 5], [3, 1, 4, 5])).toBeNull(); // 3 heads against 1
    expect(softmaxMaskStrides([2, 1, 1, 4], s)).toBeNull(); // wrong Tk
    expect(softmaxMaskStrides([1, 2, 1, 1, 5], s)).toBeNull(); // rank 5
    expect(softmaxMaskStrides([4, 5], [4, 5])).toBeNull(); // scores not rank 4
  });

  it('checks its inputs', () => {
    tf.tidy(() => {
      const scores = tf.zeros([1, 2, 3, 4]) as tf.Tensor4D;
      expect(() => maskedSoftmax(scores, tf.zeros([3, 1]))).toThrow(/does not fit/);
      expect(() => maskedSoftmax(scores, tf.zeros([3, 4], 'int32'))).toThrow(/int32/);
      expect(() => softmaxBackward(scores, tf.zeros([1, 2, 3, 5]))).toThrow(/shape/);
      expect(() => softmaxBackward(scores, tf.zeros([1, 2, 3, 4], 'int32'))).toThrow(/int32/);
    });
    expect(tf.getKernel(SOFTMAX_FORWARD, 'wasm')).toBeDefined();
    expect(tf.getKernel(SOFTMAX_BACKWARD, 'wasm')).toBeDefined();
  });

  it('handles empty tensors', () => {
    tf.tidy(() => {
      const p = maskedSoftmax(tf.zeros([0, 2, 3, 4]) as tf.Tensor4D, tf.zeros([3, 4]));
      expect(p.shape).toEqual([0, 2, 3, 4]);
      expect(softmaxBackward(p, p).shape).toEqual([0, 2, 3, 4]);
    });
  });
});

interface AttentionCase {
  name: string;
  s: AttentionShape;
  mask: { values: Float32Array; shape: number[] };
  /** Half-width of the uniform inputs (large: saturated softmax rows). */
  spread: number;
  /** Whether the fused kernels should run for this mask. */
  fused: boolean;
}

const ATTENTION_CASES: AttentionCase[] = [
  {
    name: 'causal T=17, dh=5',
    s: { B: 2, H: 3, Tq: 17, Tk: 17, dh: 5 },
    mask: { values: causal(17, 17), shape: [17, 17] },
    spread: 1,
    fused: true,
  },
  {
    name: 'padding Tq=3 Tk=1',
    s: { B: 2, H: 2, Tq: 3, Tk: 1, dh: 4 },
    mask: { values: padding([1, 1], 1), shape: [2, 1, 1, 1] },
    spread: 1,
    fused: true,
  },
  {
    name: 'padding with a fully masked row, large scores',
    s: { B: 3, H: 2, Tq: 4, Tk: 9, dh: 3 },
    mask: { values: padding([9, 0, 3], 9), shape: [3, 1, 1, 9] },
    spread: 6,
    fused: true,
  },
  {
    name: 'a [Tq, 1] mask (not the kernel: tfjs ops)',
    s: { B: 2, H: 2, Tq: 5, Tk: 6, dh: 3 },
    mask: { values: Float32Array.from([0, 1, -2, 0.5, 3]), shape: [5, 1] },
    spread: 1,
    fused: false,
  },
];

describe('attendHeads with the fused softmax on wasm against tfjs ops on cpu', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(ATTENTION_CASES)('$name', async (c) => {
    const { B, H, Tq, Tk, dh } = c.s;
    const d = H * dh;
    const rng = makeRng(Tq * 13 + Tk);
    const qValues = randomArray(B * Tq * d, rng, c.spread);
    const kvValues = randomArray(B * Tk * 2 * d, rng, c.spread);
    const wValues = randomArray(B * Tq * d, rng, 1);
    const run = () => {
      const before = tf.memory().numTensors;
      const q = tf.tensor2d(qValues, [B * Tq, d]);
      const kv = tf.tensor2d(kvValues, [B * Tk, 2 * d]);
      const mask = tf.tensor(c.mask.values, c.mask.shape);
      const w = tf.tensor2d(wValues, [B * Tq, d]);
      const attend = (qt: tf.Tensor2D, kvt: tf.Tensor2D) =>
        attendHeads({ x: qt, offset: 0 }, { x: kvt, offset: 0 }, { x: kvt, offset: d }, c.s, mask, 1 / Math.sqrt(dh));
      const out = tf.tidy(() => attend(q, kv));
      const grads = tf.grads((qt: tf.Tensor, kvt: tf.Tensor) =>
        tf.sum(tf.mul(attend(qt as tf.Tensor2D, kvt as tf.Tensor2D), w)),
      )([q, kv]);
      const result = [out, ...grads].map((t) => t.dataSync() as Float32Array);
      tf.dispose([q, kv, mask, w, out, ...grads]);
      expect(tf.memory().numTensors).toBe(before);
      return result;
    };

    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    const got = run();
    ['out', 'dq', 'dkv'].forEach((what, i) => {
      expect(got[i].every(Number.isFinite), what).toBe(true);
      expect(maxRelError(got[i], want[i]), what).toBeLessThan(1e-5);
    });

    // Which softmax ran, forward and backward.
    const profile = await tf.profile(() => {
      const q = tf.tensor2d(qValues, [B * Tq, d]);
      const kv = tf.tensor2d(kvValues, [B * Tk, 2 * d]);
      const mask = tf.tensor(c.mask.values, c.mask.shape);
      const grads = tf.grads((qt: tf.Tensor, kvt: tf.Tensor) =>
        tf.sum(
          attendHeads(
            { x: qt as tf.Tensor2D, offset: 0 },
            { x: kvt as tf.Tensor2D, offset: 0 },
            { x: kvt as tf.Tensor2D, offset: d },
            c.s,
            mask,
            1,
          ),
        ),
      )([q, kv]);
      tf.dispose([q, kv, mask, ...grads]);
      return [];
    });
    const ran = new Set(profile.kernelNames);
    expect(ran.has(SOFTMAX_FORWARD)).toBe(c.fused);
    expect(ran.has(SOFTMAX_BACKWARD)).toBe(c.fused);
    expect(ran.has('Softmax')).toBe(!c.fused);
  });
});
