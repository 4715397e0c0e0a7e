// With the kernels forced off (the `?kernels=off` flag, or an engine that
// cannot load them), roundFp16.ts on wasm must use its tfjs ops and still
// round exactly as core's toFloat16. The cap takes effect for modules not yet
// loaded, so this runs in its own file (its own module graph).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng, toFloat16 } from '../../core';
import { fp16Available, ROUND_FP16 } from '../../models/kernels/fp16';
import { FP16_WASM } from '../../models/kernels/fp16Binary';
import { fp16EdgeCases, fp16RoundingMismatches, roundFp16All, roundFp16AllStraightThrough } from './roundFp16';
import { expectKernelsOff, onWasmWithKernelsOff } from '../../models/kernels/kernelsOff.testing';

const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

describe('roundFp16 on wasm with the kernels forced off', () => {
  onWasmWithKernelsOff();

  it('reports the kernel off and registers nothing', () => {
    expectKernelsOff(FP16_WASM, fp16Available, [ROUND_FP16]);
  });

  it('passes its own backend self-check', async () => {
    expect(await fp16RoundingMismatches()).toEqual([]);
  });

  it('rounds with the tfjs ops, as toFloat16 does', async () => {
    const rng = makeRng(2);
    const edge = fp16EdgeCases();
    const a = Float32Array.from({ length: 35 }, () => (rng() < 0.5 ? -1 : 1) * 2 ** (-30 + 48 * rng()));
    const shapes: Record<string, number[]> = { edge: [edge.length], a: [5, 7], one: [1] };
    const data: Record<string, Float32Array> = { edge, a, one: Float32Array.of(-(2 ** -26)) };
    for (const fn of [roundFp16All, roundFp16AllStraightThrough]) {
      let got: Record<string, { shape: number[]; values: Float32Array }> = {};
      const profile = await tf.profile(() => {
        got = tf.tidy(() => {
          const out = fn(Object.fromEntries(Object.entries(data).map(([n, v]) => [n, tf.tensor(v, shapes[n])])));
          return Object.fromEntries(
            Object.entries(out).map(([n, t]) => [n, { shape: t.shape, values: t.dataSync() as Float32Array }]),
          );
        });
      });
      const kernels = profile.kernels.map((k) => k.name);
      expect(kernels).toContain('GatherV2');
      expect(kernels).not.toContain(ROUND_FP16);
      for (const [n, x] of Object.entries(data)) {
        expect(got[n].shape).toEqual(shapes[n]);
        const bad = Array.from(x).filter((xi, i) => !same(got[n].values[i], toFloat16(xi)));
        expect(bad, n).toEqual([]);
      }
    }
  });

  it('keeps tensor counts stable over repeated calls', () => {
    const inputs = { a: tf.tensor2d([0.1, 2, 3, 4, 5, 6], [2, 3]), b: tf.tensor1d([7]) };
    const counts: number[] = [];
    for (let r = 0; r < 3; r++) {
      tf.dispose(Object.values(roundFp16All(inputs)));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    tf.dispose(Object.values(inputs));
  });
});
