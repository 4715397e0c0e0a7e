// The 2-D products of a training step, XNNPACK (tfjs's plain wasm product,
// operands transposed first where needed) against the notebook's own kernel
// (products.ts), in Node on wasm: median ms of 40 calls with the result read
// back, and GFLOP/s.   MEASURE=1 npx vitest run --silent=false scripts/measure/products
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { stridedGemmLevel } from '../../src/models/kernels/stridedGemm';
import { matMul, matMulNT, matMulTN } from '../../src/models/products';

function median(f: () => tf.Tensor, reps = 40): number {
  for (let i = 0; i < 5; i++) f().dispose();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const y = f();
    y.dataSync();
    times.push(performance.now() - t0);
    y.dispose();
  }
  return times.sort((a, b) => a - b)[reps >> 1];
}

it('times the products of a training step', { timeout: 600_000 }, async () => {
  await tf.setBackend('wasm');
  console.log(`own kernel build: ${stridedGemmLevel()}`);
  // [N, K, M] of the default GPT (width 64, MLP 256, qkv 192, vocabulary 83, 1024 tokens a step).
  for (const [N, K, M] of [
    [1024, 64, 256],
    [1024, 256, 64],
    [1024, 64, 192],
    [1024, 64, 83],
  ]) {
    const x = tf.randomNormal([N, K]) as tf.Tensor2D;
    const w = tf.randomNormal([K, M]) as tf.Tensor2D;
    const dy = tf.randomNormal([N, M]) as tf.Tensor2D;
    const gflop = (2 * N * K * M) / 1e6;
    const row = (what: string, xnn: number, own: number) =>
      console.log(
        `${what.padEnd(26)} XNNPACK ${xnn.toFixed(3)} ms (${(gflop / xnn).toFixed(1)} GFLOP/s)` +
          `   own ${own.toFixed(3)} ms (${(gflop / own).toFixed(1)} GFLOP/s)`,
      );
    row(
      `[${N},${K}] [${K},${M}]`,
      median(() => tf.matMul(x, w)),
      median(() => matMul(x, w)),
    );
    row(
      `[${N},${M}] [${K},${M}]^T`,
      median(() => tf.matMul(dy, tf.transpose(w))),
      median(() => matMulNT(dy, w)),
    );
    row(
      `[${N},${K}]^T [${N},${M}]`,
      median(() => tf.matMul(tf.transpose(x), dy)),
      median(() => matMulTN(x, dy)),
    );
    tf.dispose([x, w, dy]);
  }
});
