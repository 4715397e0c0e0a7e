// With the kernels forced off (a browser without WebAssembly SIMD, or the
// `?kernels=off` flag), geluTanh and crossEntropy on wasm must not use them
// and must still match cpu. This file has its own module graph, so the cap
// applies before the pointwise module is first loaded for this backend.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { crossEntropy, geluTanh } from '../layers';
import { CROSS_ENTROPY_FORWARD, GELU_FORWARD, pointwiseAvailable } from './pointwise';
import { POINTWISE_WASM } from './pointwiseBinary';
import { expectKernelsOff, onWasmWithKernelsOff } from './kernelsOff.testing';

describe('geluTanh and crossEntropy on wasm with the kernels off', () => {
  onWasmWithKernelsOff();

  it('reports the kernels unavailable and registers none', () => {
    expectKernelsOff(POINTWISE_WASM, pointwiseAvailable, [GELU_FORWARD, CROSS_ENTROPY_FORWARD]);
  });

  it('falls back to tfjs ops with the same values and gradients as cpu', async () => {
    const rng = makeRng(11);
    const [N, V] = [9, 13];
    const xs = Float32Array.from({ length: N * V }, () => (rng() * 2 - 1) * 4);
    xs[0] = 100;
    xs[1] = -100;
    const ids = Int32Array.from({ length: N }, () => Math.floor(rng() * V));
    const dys = Float32Array.from({ length: N * V }, () => rng() * 2 - 1);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(xs, [N, V]);
        const t = tf.tensor1d(ids, 'int32');
        const gelu = tf.grad((x: tf.Tensor) => geluTanh(x))(x, tf.tensor2d(dys, [N, V]));
        const ce = (reduction: 'none' | 'mean') => (x: tf.Tensor) =>
          crossEntropy(x as tf.Tensor2D, t, reduction as 'none');
        return [geluTanh(x), gelu, ce('none')(x), tf.grad(ce('mean'))(x), ce('mean')(x)].map((r) =>
          r.dataSync().slice(),
        );
      });
    const info = await tf.profile(() => {
      run();
    });
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain('Sigmoid');
    expect(names).toContain('OneHot');
    expect(names.some((n) => n.startsWith('Notebook'))).toBe(false);
    const wasm = run();
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    for (let k = 0; k < cpu.length; k++) {
      expect(wasm[k].length).toBe(cpu[k].length);
      for (let i = 0; i < cpu[k].length; i++) expect(wasm[k][i]).toBeCloseTo(cpu[k][i], 5);
    }
  });
});
