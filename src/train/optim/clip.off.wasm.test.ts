// With the kernels forced off, the global norm on wasm is tfjs's float32 ops.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { globalNorm } from './clip';
import { GLOBAL_NORM, globalNormAvailable } from '../../models/kernels/norm';
import { expectKernelsOff, onWasmWithKernelsOff } from '../../models/kernels/kernelsOff.testing';
import { NORM_WASM } from '../../models/kernels/normBinary';

describe('global norm on wasm with the kernels forced off', () => {
  onWasmWithKernelsOff();

  it("uses tfjs's Square and Sum and gives the same norm", async () => {
    expectKernelsOff(NORM_WASM, globalNormAvailable, [GLOBAL_NORM]);
    const grads = {
      a: tf.tensor2d([
        [3, 0],
        [0, 4],
      ]),
      b: tf.tensor1d([12]),
    };
    const profile = await tf.profile(() => {
      const n = globalNorm(grads);
      expect(n.dataSync()[0]).toBe(13);
      n.dispose();
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Square');
    expect(names).not.toContain(GLOBAL_NORM);
    tf.dispose(Object.values(grads));
  });
});
