// fp16.wat through fp16.ts's kernel on wasm, against core's toFloat16 (the
// reference, itself checked against numpy): hand-picked values at every rule's
// edge and 100,000 random float32 bit patterns (every exponent, both signs,
// NaNs, subnormals), compared exactly, the sign of zero included. Also: one
// kernel call for many tensors of sizes that are not multiples of the 4-lane
// vectors, the identity gradient, no leaked tensors, and nothing on cpu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { toFloat16 } from '../../core';
import { testRng } from '../fixtures/golden';
import { fp16Available, ROUND_FP16, roundFp16Wasm } from './fp16';
import { FP16_WASM } from './fp16Binary';
import { kernelLevel } from './runtime';

const f32 = (bits: number) => new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0];

/** Values at each rule's edge, as float32 bit patterns and numbers. */
function edgeCases(): Float32Array {
  const v: number[] = [0, -0, Infinity, -Infinity, NaN, 65504, 65519.996, 65520, -65520, 65536, 3.4e38];
  // around every power of two from 2^-149 (float32's smallest) to 2^127
  for (let e = -149; e <= 127; e++) {
    const p = 2 ** e;
    for (const m of [1, 1 + 2 ** -23, 1 - 2 ** -24, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -10 + 2 ** -11, 1.5])
      v.push(p * m, -p * m);
  }
  // ties and their neighbours in the subnormal range (multiples of 2^-25)
  for (let k = 0; k < 2048; k++) v.push(k * 2 ** -25, -k * 2 ** -25, (k + 0.25) * 2 ** -25);
  // float32 patterns next to the thresholds the kernel tests: 2^-14, 65520, Infinity
  for (const bits of [0x38800000, 0x477ff000, 0x7f800000])
    for (let d = -3; d <= 3; d++) v.push(f32(bits + d), -f32(bits + d));
  // NaNs with payloads, quiet and signalling, both signs
  for (const bits of [0x7fc00000, 0x7f800001, 0x7fffffff, 0xffc00000, 0xff800001, 0x7fa12345]) v.push(f32(bits));
  return Float32Array.from(v);
}

/** n random float32 bit patterns: every exponent, both signs, NaNs and subnormals included. */
function randomBits(n: number, seed: number): Float32Array {
  const rng = testRng(seed);
  const bits = Uint32Array.from({ length: n }, () => Math.floor(rng() * 2 ** 32) >>> 0);
  return new Float32Array(bits.buffer);
}

/** The positions where `got` differs from toFloat16 of `x`: NaN for NaN, -0 and +0 told apart. */
function mismatches(x: Float32Array, got: Float32Array): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < x.length; i++) {
    const want = toFloat16(x[i]);
    const ok = Number.isNaN(want) ? Number.isNaN(got[i]) : Object.is(got[i], want);
    if (!ok) wrong.push(`${x[i]} -> ${got[i]}, want ${want}`);
  }
  return wrong;
}

function round(x: Float32Array, shape: number[] = [x.length]): Float32Array {
  return tf.tidy(() => roundFp16Wasm([tf.tensor(x, shape)])[0].dataSync() as Float32Array);
}

describe('the fp16 kernel on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads', () => {
    expect(fp16Available()).toBe(true);
    expect(kernelLevel(FP16_WASM)).toBe('simd');
  });

  it('matches toFloat16 exactly on every edge case', () => {
    const x = edgeCases();
    expect(mismatches(x, round(x)).slice(0, 10)).toEqual([]);
    // and through the scalar tail: the same values one at a time
    const one = x.slice(0, 400).map((xi) => round(Float32Array.of(xi))[0]);
    expect(mismatches(x.slice(0, 400), one).slice(0, 10)).toEqual([]);
  });

  it('matches toFloat16 exactly on 100,000 random bit patterns', () => {
    const x = randomBits(100_003, 7);
    const nans = x.filter(Number.isNaN).length;
    expect(nans).toBeGreaterThan(100); // about 1 in 256 patterns is a NaN
    expect(mismatches(x, round(x)).slice(0, 10)).toEqual([]);
  });

  it('keeps a NaN bit for bit', () => {
    const bits = Uint32Array.of(0x7fc00000, 0x7f800001, 0xffc00000, 0x7fa12345, 0xff812345);
    const got = new Uint32Array(round(new Float32Array(bits.buffer)).buffer);
    expect(Array.from(got)).toEqual(Array.from(bits));
  });

  it('rounds many tensors in one kernel call, shapes kept', async () => {
    const shapes = [[1], [3, 5], [2, 3, 7], [4], [0], [1, 1], [131]];
    const rng = testRng(3);
    const data = shapes.map((s) =>
      Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (rng() - 0.5) * 2 ** (40 * rng() - 30)),
    );
    const before = tf.memory().numTensors;
    let got: Float32Array[] = [];
    let outShapes: number[][] = [];
    const profile = await tf.profile(() => {
      const inputs = shapes.map((s, i) => tf.tensor(data[i], s));
      const out = roundFp16Wasm(inputs);
      got = out.map((t) => t.dataSync() as Float32Array);
      outShapes = out.map((t) => t.shape);
      tf.dispose([...inputs, ...out]);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(profile.kernels.map((k) => k.name)).toEqual([ROUND_FP16]);
    expect(outShapes).toEqual(shapes);
    data.forEach((x, i) => expect(mismatches(x, got[i]), `tensor ${i}`).toEqual([]));
  });

  it('passes the gradient of every output straight through', () => {
    const a = tf.tensor2d([0.3, -2.7, 1e-9, 7e4], [2, 2]);
    const b = tf.tensor1d([1 + 2 ** -11, 5]);
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const [ra, rb] = roundFp16Wasm([a, b]);
      return tf.add(tf.sum(tf.mul(ra, tf.tensor2d([1, 2, 3, 4], [2, 2]))), tf.sum(tf.mul(rb, tf.tensor1d([-1, 0.5]))));
    })([a, b]);
    expect(Array.from(ga.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(gb.dataSync())).toEqual([-1, 0.5]);
    // an output left out of the loss gives its input a zero gradient
    const [ga2, gb2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(roundFp16Wasm([a, b])[1]))([a, b]);
    expect(Array.from(ga2.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(gb2.dataSync())).toEqual([1, 1]);
    tf.dispose([a, b, ga, gb, ga2, gb2]);
  });

  it('leaks no tensors over repeated calls', () => {
    const x = [tf.tensor1d(randomBits(1001, 5)), tf.tensor2d(randomBits(6, 6), [2, 3])];
    const counts: number[] = [];
    for (let r = 0; r < 4; r++) {
      tf.dispose(roundFp16Wasm(x));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    tf.dispose(x);
  });

  it('refuses non-float32 tensors', () => {
    const x = tf.tensor1d([1, 2], 'int32');
    expect(() => roundFp16Wasm([x])).toThrow(TypeError);
    x.dispose();
  });

  it('is not available on cpu', async () => {
    await tf.setBackend('cpu');
    expect(fp16Available()).toBe(false);
    expect(kernelLevel(FP16_WASM)).toBe('off');
    await tf.setBackend('wasm');
  });
});
