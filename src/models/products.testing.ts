// The 2-D products and column sums of products.ts on wasm against tfjs's own
// ops on the cpu backend, at whichever kernel level the calling test file
// forced (relaxed SIMD, SIMD, or no kernel: XNNPACK and tfjs ops). Shared by
// products.wasm.test.ts and its forced-fallback siblings, each its own module
// graph, so each instantiates the kernels at its own level.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../core';
import { GEMM_WASM } from './kernels/gemmBinary';
import { kernelLevel, type KernelLevel } from './kernels/runtime';
import { colSum, matMul, matMulBias, matMulNT, matMulTN } from './products';

type Op = 'matMul' | 'matMulBias' | 'matMulNT' | 'matMulTN' | 'colSum';

/** [N, K, M]: whole tiles, ragged rows and columns, size 1 everywhere, a long inner size, the default GPT's shapes. */
export const PRODUCT_SIZES: [number, number, number][] = [
  [8, 16, 8],
  [5, 7, 13],
  [1, 1, 1],
  [1, 9, 3],
  [6, 1, 2],
  [17, 33, 9],
  [3, 1024, 5],
  [1024, 64, 83],
];

/** The operands each op takes for an [N, K] x [K, M] product, as arrays with shapes. */
function operands(op: Op, [N, K, M]: [number, number, number], seed: number) {
  const rng = makeRng(seed);
  const rand = (...shape: number[]) => ({
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1),
    shape,
  });
  switch (op) {
    case 'matMul':
      return [rand(N, K), rand(K, M)];
    case 'matMulBias':
      return [rand(N, K), rand(K, M), rand(M)];
    case 'matMulNT':
      return [rand(N, K), rand(M, K)];
    case 'matMulTN':
      return [rand(K, N), rand(K, M)];
    case 'colSum':
      return [rand(N, M)];
  }
}

function run(op: Op, inputs: ReturnType<typeof operands>): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const t = inputs.map(({ values, shape }) => tf.tensor(values, shape));
    const [a, b, c] = t as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const out =
      op === 'matMul'
        ? matMul(a, b)
        : op === 'matMulBias'
          ? matMulBias(a, b, c)
          : op === 'matMulNT'
            ? matMulNT(a, b)
            : op === 'matMulTN'
              ? matMulTN(a, b)
              : colSum(a);
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

export function describeProducts(level: KernelLevel): void {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it(`runs the gemm kernel at level ${level}`, () => {
    expect(kernelLevel(GEMM_WASM)).toBe(level);
  });

  const OPS: Op[] = ['matMul', 'matMulBias', 'matMulNT', 'matMulTN', 'colSum'];
  const cases = OPS.flatMap((op) => PRODUCT_SIZES.map((size) => [op, ...size] as const));
  it.each(cases)('%s with N=%i K=%i M=%i equals tfjs on cpu', async (op, N, K, M) => {
    const inputs = operands(op, [N, K, M], N * 1000 + K * 10 + M);
    const got = run(op, inputs);
    await tf.setBackend('cpu');
    const want = run(op, inputs);
    await tf.setBackend('wasm');
    expect(got.shape).toEqual(want.shape);
    // float32 sums of up to 1024 terms of size <= 1, in different orders.
    const tol = 2e-6 * Math.max(K, op === 'colSum' ? N : 1) + 1e-6;
    let worst = 0;
    for (let i = 0; i < want.values.length; i++) worst = Math.max(worst, Math.abs(got.values[i] - want.values[i]));
    expect(worst).toBeLessThan(tol);
  });

  it('leaves no tensors behind', () => {
    const a = tf.randomNormal([33, 17]) as tf.Tensor2D;
    const b = tf.randomNormal([17, 9]) as tf.Tensor2D;
    const bias = tf.randomNormal([9]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++)
      tf.tidy(() => {
        [matMul(a, b), matMulBias(a, b, bias), matMulNT(a, tf.transpose(b)), matMulTN(a, a), colSum(a)].forEach((t) =>
          expect(t.size).toBeGreaterThan(0),
        );
      });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, bias]);
  });
}
