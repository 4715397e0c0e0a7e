// A browser whose WebAssembly lacks SIMD cannot load the strided kernel
// (tfjs itself then runs its non-SIMD wasm binary). attendHeads must notice
// and fall back to tfjs ops on wasm, with the same results.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../core';
import { attendHeads } from './attention';
import { STRIDED_GEMM, stridedGemmAvailable } from './kernels/stridedGemm';

describe('attendHeads on wasm without SIMD', () => {
  beforeAll(async () => {
    // This file runs in its own module graph, so the kernel has not been loaded for this backend yet.
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await tf.setBackend('cpu');
  });

  it('reports the kernel unavailable, registers nothing, and still attends correctly', async () => {
    expect(stridedGemmAvailable()).toBe(false);
    expect(tf.getKernel(STRIDED_GEMM, 'wasm')).toBeUndefined();
    const rng = makeRng(5);
    const [B, T, H, dh] = [2, 6, 2, 4];
    const values = Float32Array.from({ length: B * T * 3 * H * dh }, () => rng() * 2 - 1);
    const attend = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(values, [B * T, 3 * H * dh]);
        const mask = tf.zeros([T, T]);
        const d = H * dh;
        return attendHeads(
          { x, offset: 0 },
          { x, offset: d },
          { x, offset: 2 * d },
          { B, H, Tq: T, Tk: T, dh },
          mask,
          0.5,
        );
      });
    const onWasm = attend();
    const got = onWasm.dataSync().slice();
    onWasm.dispose();
    await tf.setBackend('cpu');
    const onCpu = attend();
    const want = onCpu.dataSync();
    onCpu.dispose();
    await tf.setBackend('wasm');
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-5);
  });
});
