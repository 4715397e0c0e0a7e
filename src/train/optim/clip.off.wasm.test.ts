// With the kernels forced off, the global norm on wasm is tfjs's float32 ops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { globalNorm } from './clip';
import { GLOBAL_NORM, globalNormAvailable } from '../../models/kernels/norm';
import { forceKernelLevel } from '../../models/kernels/runtime';

forceKernelLevel('off');

describe('global norm on wasm with the kernels forced off', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it("uses tfjs's Square and Sum and gives the same norm", async () => {
    expect(globalNormAvailable()).toBe(false);
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
