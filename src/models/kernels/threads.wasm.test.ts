// Two threads against one: kernels split between the trainer and the helper
// thread (threads.ts), both on tfjs's heap made shared (sharedHeap.ts), must
// give bit-identical results to the same kernels on one thread: the 2-D
// products of a step (rows or columns split), batched products with
// interleaved strides (attention's), ragged sizes, outputs with gaps the
// products never write; GELU, the masked softmax, softmax cross-entropy
// (forward and backward) and layer norm's forward, split by elements, rows
// or batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { matMul, matMulBias, matMulNT, matMulTN } from '../products';
import { GEMM_WASM } from './gemmBinary';
import { layerNormAvailable, layerNormForward } from './layerNorm';
import {
  crossEntropyBackward,
  crossEntropyForward,
  geluBackward,
  geluForward,
  maskedSoftmax,
  pointwiseAvailable,
  softmaxBackward,
} from './pointwise';
import { heapIsShared, kernelLevel, wasmBackend } from './runtime';
import { stridedGemm, type Product } from './stridedGemm';
import {
  disposeKernelThreads,
  forceKernelThreads,
  helperJobs,
  helperReady,
  kernelThreads,
  setHelperSpawner,
  startKernelThreads,
} from './threads';
import { nodeHelper, sharedHeapInNode, until } from './nodeHelper.testing';

const rand = (rng: () => number, ...shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1),
    shape,
  );

/**
 * Attention's scores q k^T for every batch and head, q and k read out of a
 * fused [nb*t, 3d] projection; each [t, t] block written `pad` floats wider
 * than t (pad 0: dense).
 */
function scores(nb: number, heads: number, t: number, dh: number, pad: number): Product[] {
  const d = heads * dh;
  const row = t + pad;
  return [
    {
      a: { input: 0, offset: 0, strides: [t * 3 * d, dh, 3 * d, 1] },
      b: { input: 0, offset: d, strides: [t * 3 * d, dh, 1, 3 * d] },
      c: { offset: 0, strides: [heads * t * row, t * row, row, 1] },
      nb,
      nh: heads,
      m: t,
      n: t,
      k: dh,
      alpha: 0.25,
    },
  ];
}

type Case = [string, () => tf.Tensor];

function cases(): Case[] {
  const rng = makeRng(7);
  const x = rand(rng, 1024, 64);
  const w = rand(rng, 64, 256);
  const dy = rand(rng, 1024, 256);
  const bias = rand(rng, 256);
  const r1 = rand(rng, 77, 300);
  const r2 = rand(rng, 300, 45);
  const qkv = rand(rng, 5 * 64, 3 * 64);
  const few = rand(rng, 8, 512);
  const u = rand(rng, 1024, 257); // 263,168 elements: not a multiple of 8
  const du = rand(rng, 1024, 257);
  const scoresT = rand(rng, 5, 4, 96, 96) as tf.Tensor4D;
  const dProbs = rand(rng, 5, 4, 96, 96) as tf.Tensor4D;
  const causal = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([96, 96]), -1, 0)), -1e9));
  const padding = tf.tidy(() => tf.mul(tf.cast(tf.greater(rand(rng, 5, 1, 1, 96), 0.5), 'float32'), -1e9));
  const logits = rand(rng, 2047, 83) as tf.Tensor2D; // an odd number of rows
  const targets = tf.tensor1d(
    Array.from({ length: 2047 }, (_, i) => (i * 37) % 83),
    'int32',
  );
  const perRow = rand(rng, 2047);
  const rowsLn = rand(rng, 2049, 64) as tf.Tensor2D;
  const g = rand(rng, 64) as tf.Tensor1D;
  const beta = rand(rng, 64) as tf.Tensor1D;
  const wide = rand(rng, 1024, 520);
  // x^T dy, each row of C written 4 floats wider (columns split: B and C packed row by row).
  const tn: Product = {
    a: { input: 0, offset: 0, strides: [0, 0, 1, 64] },
    b: { input: 1, offset: 0, strides: [0, 0, 256, 1] },
    c: { offset: 0, strides: [0, 0, 260, 1] },
    ...{ nb: 1, nh: 1, m: 64, n: 256, k: 1024, alpha: 1 },
  };
  // few w^T with w's rows 520 floats apart, 512 used (columns split: B packed column by column).
  const nt: Product = {
    a: { input: 0, offset: 0, strides: [0, 0, 512, 1] },
    b: { input: 1, offset: 0, strides: [0, 0, 1, 520] },
    c: { offset: 0, strides: [0, 0, 1024, 1] },
    ...{ nb: 1, nh: 1, m: 8, n: 1024, k: 512, alpha: 1 },
  };
  return [
    ['x w [1024,64][64,256]', () => matMul(x as tf.Tensor2D, w as tf.Tensor2D)],
    ['x w + bias', () => matMulBias(x as tf.Tensor2D, w as tf.Tensor2D, bias as tf.Tensor1D)],
    ['dy w^T', () => matMulNT(dy as tf.Tensor2D, w as tf.Tensor2D)],
    ['x^T dy (A transposed)', () => matMulTN(x as tf.Tensor2D, dy as tf.Tensor2D)],
    ['x^T dy into padded rows', () => stridedGemm([x, dy], [64, 260], [tn], true)],
    ['8 rows times a spaced w^T', () => stridedGemm([few, wide], [8, 1024], [nt])],
    ['GELU forward, y', () => tf.tidy(() => geluForward(u)[0])],
    ['GELU forward, s', () => tf.tidy(() => geluForward(u)[1])],
    ['GELU backward', () => tf.tidy(() => geluBackward(du, u, geluForward(u)[1]))],
    ['masked softmax, causal mask', () => maskedSoftmax(scoresT, causal)],
    ['masked softmax, a mask per batch', () => maskedSoftmax(scoresT, padding)],
    ['softmax backward', () => tf.tidy(() => softmaxBackward(maskedSoftmax(scoresT, causal), dProbs))],
    ['cross-entropy forward, losses', () => tf.tidy(() => crossEntropyForward(logits, targets)[0])],
    ['cross-entropy forward, stats', () => tf.tidy(() => crossEntropyForward(logits, targets)[1])],
    [
      'cross-entropy backward, mean',
      () =>
        tf.tidy(() =>
          crossEntropyBackward(logits, targets, crossEntropyForward(logits, targets)[1], tf.scalar(0.7), 'mean'),
        ),
    ],
    [
      'cross-entropy backward, per row',
      () =>
        tf.tidy(() => crossEntropyBackward(logits, targets, crossEntropyForward(logits, targets)[1], perRow, 'none')),
    ],
    ['layer norm forward, y', () => tf.tidy(() => layerNormForward(rowsLn, g, beta, 1e-5)[0])],
    ['layer norm forward, rstd', () => tf.tidy(() => layerNormForward(rowsLn, g, beta, 1e-5)[2])],
    ['ragged [77,300][300,45]', () => matMul(r1 as tf.Tensor2D, r2 as tf.Tensor2D)],
    // 5 batches (odd) of 4 heads of 16.
    ['batched scores, dense output', () => stridedGemm([qkv], [5, 4, 64, 64], scores(5, 4, 64, 16, 0))],
    // Rows 3 floats wider than the scores: floats the products never write (kept zero).
    ['batched scores, gaps in output', () => stridedGemm([qkv], [5, 4, 64, 67], scores(5, 4, 64, 16, 3), true)],
  ];
}

describe('products on two threads', () => {
  beforeAll(async () => {
    sharedHeapInNode();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(heapIsShared(wasmBackend()!)).toBe(true);
    expect(pointwiseAvailable()).toBe(true);
    expect(layerNormAvailable()).toBe(true);
    setHelperSpawner(nodeHelper);
  });
  afterAll(() => {
    disposeKernelThreads();
    forceKernelThreads(null);
    setHelperSpawner(null);
  });

  it('gives bit-identical results to one thread, and the helper did part of each', async () => {
    const level = kernelLevel(GEMM_WASM);
    expect(level).not.toBe('off');
    const all = cases();
    forceKernelThreads(1);
    expect(startKernelThreads(wasmBackend()!)).toBe(1);
    const one = all.map(([, f]) => f());
    const oneValues = one.map((t) => t.dataSync().slice());

    forceKernelThreads(2);
    expect(startKernelThreads(wasmBackend()!)).toBe(2);
    await until(helperReady);
    expect(kernelThreads()).toBe(2);
    for (const [i, [name, f]] of all.entries()) {
      const before = helperJobs();
      const two = f();
      expect(helperJobs(), `${name}: the helper took no part`).toBeGreaterThan(before);
      const got = two.dataSync();
      const want = oneValues[i];
      let differ = 0;
      for (let j = 0; j < want.length; j++) if (!Object.is(got[j], want[j])) differ++;
      expect(differ, name).toBe(0);
      two.dispose();
    }
    tf.dispose(one);
  });

  it('keeps small products on one thread and leaks no tensors', async () => {
    forceKernelThreads(2);
    startKernelThreads(wasmBackend()!);
    await until(helperReady);
    const rng = makeRng(3);
    const a = rand(rng, 8, 16) as tf.Tensor2D;
    const b = rand(rng, 16, 8) as tf.Tensor2D;
    const before = helperJobs();
    matMul(a, b).dispose();
    expect(helperJobs()).toBe(before);
    const all = cases();
    all.forEach(([, f]) => f().dispose());
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) all.forEach(([, f]) => f().dispose());
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([a, b]);
  });

  it('runs on one thread when the helper never starts', () => {
    disposeKernelThreads();
    setHelperSpawner(() => ({ postMessage: () => {}, terminate: () => {} }));
    forceKernelThreads(2);
    expect(startKernelThreads(wasmBackend()!)).toBe(2);
    expect(helperReady()).toBe(false);
    const rng = makeRng(5);
    const a = rand(rng, 256, 64) as tf.Tensor2D;
    const b = rand(rng, 64, 128) as tf.Tensor2D;
    const y = matMul(a, b);
    const want = tf.tidy(() => tf.matMul(a, b));
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(y, want))).dataSync()[0]);
    expect(err).toBeLessThan(1e-4);
    expect(helperJobs()).toBe(0);
    tf.dispose([a, b, y, want]);
    disposeKernelThreads();
    setHelperSpawner(nodeHelper);
  });

  it('says why products stay on one thread', () => {
    forceKernelThreads(1);
    expect(startKernelThreads(wasmBackend()!)).toBe(1);
    expect(kernelThreads()).toBe(1);
    forceKernelThreads(null);
    // Node has no crossOriginIsolated: one thread unless a test forces two.
    expect(startKernelThreads(wasmBackend()!)).toBe(1);
  });
});
