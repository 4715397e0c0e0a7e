// With the kernels forced off (the `?kernels=off` flag, or an engine that
// cannot load them), layers.ts's layerNorm on wasm must use its tfjs ops and
// give the cpu backend's results. The cap takes effect for modules not yet
// loaded, so this runs in its own file (its own module graph).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { scaledError, testRng } from '../fixtures/golden';
import { layerNorm } from '../layers';
import { LAYER_NORM_BACKWARD, LAYER_NORM_FORWARD, layerNormAvailable } from './layerNorm';
import { LAYERNORM_WASM } from './layerNormBinary';
import { expectKernelsOff, onWasmWithKernelsOff } from './kernelsOff.testing';

/** y and the gradients of sum(y * dy) w.r.t. x, g, b on the active backend, and the kernels that ran. */
async function run(n: number, c: number): Promise<{ values: Float32Array[]; kernels: string[] }> {
  const rng = testRng(n * 100 + c);
  const arr = (len: number) => Float32Array.from({ length: len }, () => 4 * rng() - 2);
  const [x0, g0, b0, dy0] = [arr(n * c), arr(c), arr(c), arr(n * c)];
  let values: Float32Array[] = [];
  const profile = await tf.profile(() => {
    values = tf.tidy(() => {
      const [x, dy] = [tf.tensor2d(x0, [n, c]), tf.tensor2d(dy0, [n, c])];
      const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D);
      const y = f(x, tf.tensor1d(g0), tf.tensor1d(b0));
      const grads = tf.grads((x, g, b) => tf.sum(tf.mul(f(x, g, b), dy)))([x, tf.tensor1d(g0), tf.tensor1d(b0)]);
      return [y, ...grads].map((r) => r.dataSync() as Float32Array);
    });
  });
  return { values, kernels: profile.kernels.map((k) => k.name) };
}

describe('layerNorm on wasm with the kernels forced off', () => {
  onWasmWithKernelsOff();

  it('reports the kernels off and registers nothing', () => {
    expectKernelsOff(LAYERNORM_WASM, layerNormAvailable, [LAYER_NORM_FORWARD, LAYER_NORM_BACKWARD]);
  });

  it('runs the tfjs ops and matches cpu', async () => {
    for (const [n, c] of [
      [1, 1],
      [7, 3],
      [9, 13],
      [16, 32],
    ]) {
      await tf.setBackend('cpu');
      const cpu = await run(n, c);
      await tf.setBackend('wasm');
      const wasm = await run(n, c);
      expect(wasm.kernels).toContain('Rsqrt');
      expect(wasm.kernels).not.toContain(LAYER_NORM_FORWARD);
      expect(wasm.kernels).not.toContain(LAYER_NORM_BACKWARD);
      cpu.values.forEach((want, i) =>
        expect(scaledError(wasm.values[i], want), `[${n}, ${c}] output ${i}`).toBeLessThan(1e-5),
      );
    }
  });
});
