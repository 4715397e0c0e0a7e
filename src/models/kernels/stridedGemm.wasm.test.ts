// The strided SIMD kernel against a plain float64 loop over the same
// strides: sizes that are not multiples of the 4 x 8 tile, transposed and
// interleaved operands, several products into one output, and the bounds
// check that keeps it from writing outside its tensor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { stridedGemm, stridedGemmAvailable, type Product, type Strides } from './stridedGemm';

function randomArray(n: number, rng: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

const at = (offset: number, s: Strides, b: number, h: number, i: number, j: number) =>
  offset + b * s[0] + h * s[1] + i * s[2] + j * s[3];

/** out (float64) after the products, from a zeroed or `base` start. */
function reference(inputs: Float32Array[], size: number, products: Product[]): Float64Array {
  const out = new Float64Array(size);
  for (const p of products) {
    for (let b = 0; b < p.nb; b++)
      for (let h = 0; h < p.nh; h++)
        for (let i = 0; i < p.m; i++)
          for (let j = 0; j < p.n; j++) {
            let sum = 0;
            for (let l = 0; l < p.k; l++) {
              sum +=
                inputs[p.a.input][at(p.a.offset, p.a.strides, b, h, i, l)] *
                inputs[p.b.input][at(p.b.offset, p.b.strides, b, h, l, j)];
            }
            out[at(p.c.offset, p.c.strides, b, h, i, j)] = p.alpha * sum;
          }
  }
  return out;
}

function maxError(got: Float32Array, want: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst;
}

describe('strided gemm on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is available on wasm in Node (SIMD) and not on cpu', async () => {
    expect(stridedGemmAvailable()).toBe(true);
    await tf.setBackend('cpu');
    expect(stridedGemmAvailable()).toBe(false);
    await tf.setBackend('wasm');
  });

  // [nb, nh, m, n, k]: whole tiles, ragged rows, ragged columns, a single element.
  const SIZES: [number, number, number, number, number][] = [
    [2, 3, 8, 16, 5],
    [3, 2, 5, 13, 7],
    [1, 1, 1, 1, 1],
    [2, 4, 17, 9, 33],
  ];

  it.each(SIZES)('plain row-major batches %i x %i of [%i x %i] = [m x k][k x n] (k = last)', (nb, nh, m, n, k) => {
    const rng = makeRng(m * 100 + n);
    const a = randomArray(nb * nh * m * k, rng);
    const b = randomArray(nb * nh * k * n, rng);
    const p: Product = {
      a: { input: 0, offset: 0, strides: [nh * m * k, m * k, k, 1] },
      b: { input: 1, offset: 0, strides: [nh * k * n, k * n, n, 1] },
      c: { offset: 0, strides: [nh * m * n, m * n, n, 1] },
      nb,
      nh,
      m,
      n,
      k,
      alpha: 0.5,
    };
    const ta = tf.tensor(a, [nb * nh * m * k]);
    const tb = tf.tensor(b, [nb * nh * k * n]);
    const out = stridedGemm([ta, tb], [nb, nh, m, n], [p]);
    expect(out.shape).toEqual([nb, nh, m, n]);
    expect(maxError(out.dataSync() as Float32Array, reference([a, b], out.size, [p]))).toBeLessThan(1e-5);
    tf.dispose([ta, tb, out]);
  });

  it('reads transposed, interleaved heads and writes several products into one zeroed output', () => {
    // x: [B*T, 3d] with q | k | v column blocks, heads of width dh inside each,
    // as in a fused qkv projection. Products: q k^T into a [B, H, T, T] block
    // and, into a second region, k^T-as-rows times v, with a transposed A.
    const [B, T, H, dh] = [3, 7, 2, 5];
    const d = H * dh;
    const w = 3 * d;
    const rng = makeRng(11);
    const x = randomArray(B * T * w, rng);
    const heads = (offset: number, transposed: boolean) => ({
      input: 0,
      offset,
      strides: (transposed ? [T * w, dh, 1, w] : [T * w, dh, w, 1]) as Strides,
    });
    const products: Product[] = [
      {
        a: heads(0, false),
        b: heads(d, true),
        c: { offset: 0, strides: [H * T * T, T * T, T, 1] },
        nb: B,
        nh: H,
        m: T,
        n: T,
        k: dh,
        alpha: 1 / Math.sqrt(dh),
      },
      // (k^T v) per head: [dh, T] x [T, dh] -> [dh, dh], stored transposed after the scores.
      {
        a: heads(d, true),
        b: heads(2 * d, false),
        c: { offset: B * H * T * T, strides: [H * dh * dh, dh * dh, 1, dh] },
        nb: B,
        nh: H,
        m: dh,
        n: dh,
        k: T,
        alpha: 1,
      },
    ];
    const size = B * H * T * T + B * H * dh * dh + 3; // 3 trailing elements no product writes
    const tx = tf.tensor2d(x, [B * T, w]);
    const out = stridedGemm([tx], [size], products, true);
    const got = out.dataSync() as Float32Array;
    expect(maxError(got, reference([x], size, products))).toBeLessThan(1e-5);
    expect(Array.from(got.slice(-3))).toEqual([0, 0, 0]);
    tf.dispose([tx, out]);
  });

  it('refuses an operand that reaches outside its tensor, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const a = tf.ones([4, 4]);
    const p: Product = {
      a: { input: 0, offset: 1, strides: [0, 0, 4, 1] }, // the last row runs one element past the end
      b: { input: 0, offset: 0, strides: [0, 0, 4, 1] },
      c: { offset: 0, strides: [0, 0, 4, 1] },
      nb: 1,
      nh: 1,
      m: 4,
      n: 4,
      k: 4,
      alpha: 1,
    };
    expect(() => stridedGemm([a], [4, 4], [p])).toThrow(/outside its tensor/);
    expect(() => stridedGemm([a], [4, 4], [{ ...p, a: { ...p.a, offset: 0 }, m: 0 }])).toThrow(/positive integers/);
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
