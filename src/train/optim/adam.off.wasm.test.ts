// With the kernels forced off (the `?kernels=off` flag, or an engine that
// cannot load them), TensorAdam on wasm must use its tfjs ops and give the
// cpu backend's results. The cap takes effect for modules not yet loaded, so
// this runs in its own file (its own module graph).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { TensorAdam } from './adam';
import { scaledError, testRng } from '../../models/fixtures/golden';
import { ADAMW_UPDATE, adamwAvailable } from '../../models/kernels/adamw';
import { ADAMW_WASM } from '../../models/kernels/adamwBinary';
import { expectKernelsOff, onWasmWithKernelsOff } from '../../models/kernels/kernelsOff.testing';

const SHAPES: Record<string, number[]> = { w: [5, 7], b: [7], one: [1] };

/** Three steps of AdamW with a grad scale on the active backend: final p, m, v and the kernels of the last step. */
async function train(): Promise<{ values: Float32Array[]; kernels: string[] }> {
  const rng = testRng(3);
  const values = (shape: number[]) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng() - 1);
  const params: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(SHAPES)) params[name] = tf.variable(tf.tensor(values(shape), shape));
  const cfg = {
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    weightDecay: 0.1,
    decoupledWeightDecay: true,
    biasCorrection: true,
  };
  const opt = new TensorAdam(params, cfg, (name) => name !== 'b');
  let kernels: string[] = [];
  for (let t = 0; t < 3; t++) {
    const profile = await tf.profile(() =>
      tf.tidy(() => {
        const grads: Record<string, tf.Tensor> = {};
        for (const [name, shape] of Object.entries(SHAPES)) grads[name] = tf.tensor(values(shape), shape);
        opt.step(grads, 0.01, tf.scalar(0.5));
      }),
    );
    kernels = profile.kernels.map((k) => k.name);
  }
  const { m, v } = opt.state();
  const out = Object.keys(SHAPES).flatMap((name) =>
    [params[name], m[name], v[name]].map((t) => t.dataSync() as Float32Array),
  );
  opt.dispose();
  for (const p of Object.values(params)) p.dispose();
  return { values: out, kernels };
}

describe('TensorAdam on wasm with the kernels forced off', () => {
  onWasmWithKernelsOff();

  it('reports the kernel off and registers nothing', () => {
    expectKernelsOff(ADAMW_WASM, adamwAvailable, [ADAMW_UPDATE]);
  });

  it('runs the tfjs ops and matches cpu', async () => {
    await tf.setBackend('cpu');
    const cpu = await train();
    await tf.setBackend('wasm');
    const wasm = await train();
    expect(wasm.kernels).not.toContain(ADAMW_UPDATE);
    expect(wasm.kernels).toContain('Sqrt');
    cpu.values.forEach((want, i) => expect(scaledError(wasm.values[i], want), `output ${i}`).toBeLessThan(1e-6));
  });
});
