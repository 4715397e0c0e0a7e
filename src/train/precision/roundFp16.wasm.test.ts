// roundFp16.ts on wasm, where the fp16 kernel (src/models/kernels/fp16.ts)
// does the rounding: the same answers as core's toFloat16 and as the tfjs ops
// on cpu, names and shapes kept by roundFp16All, one kernel call for all
// tensors (no concat, split or gather), the straight-through gradient, and
// stable tensor counts over repeated steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng, toFloat16 } from '../../core';
import { ROUND_FP16 } from '../../models/kernels/fp16';
import { FP16_WASM } from '../../models/kernels/fp16Binary';
import { kernelLevel } from '../../models/kernels/runtime';
import {
  fp16EdgeCases,
  fp16RoundingMismatches,
  roundFp16,
  roundFp16All,
  roundFp16AllStraightThrough,
} from './roundFp16';

const SHAPES: Record<string, number[]> = { a: [1], b: [3, 7], c: [5], d: [2, 3, 3], e: [1, 1], f: [257] };

/** Named tensors of SHAPES with values over FP16's range and past it, and the edge cases in `f`. */
function named(seed: number): Record<string, Float32Array> {
  const rng = makeRng(seed);
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((x, y) => x * y, 1);
    out[name] = Float32Array.from({ length: size }, () => (rng() < 0.5 ? -1 : 1) * 2 ** (-30 + 48 * rng()));
  }
  out.f.set(fp16EdgeCases().subarray(0, 257));
  return out;
}

const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

function wrong(x: Float32Array, got: Float32Array | Int32Array | Uint8Array): string[] {
  const bad: string[] = [];
  x.forEach((xi, i) => {
    if (!same(got[i], toFloat16(xi))) bad.push(`${xi} -> ${got[i]}, want ${toFloat16(xi)}`);
  });
  return bad;
}

describe('roundFp16 on wasm with the fp16 kernel', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs the kernel', () => {
    expect(kernelLevel(FP16_WASM)).not.toBe('off');
  });

  it('passes its own backend self-check', async () => {
    expect(await fp16RoundingMismatches()).toEqual([]);
  });

  it('rounds every edge case as toFloat16 does, signed zeros included', () => {
    const x = fp16EdgeCases();
    const got = tf.tidy(() => roundFp16(tf.tensor1d(x)).dataSync());
    expect(wrong(x, got)).toEqual([]);
  });

  for (const [label, fn] of [
    ['roundFp16All', roundFp16All],
    ['roundFp16AllStraightThrough', roundFp16AllStraightThrough],
  ] as const) {
    it(`${label}: one kernel call, names and shapes kept, values of toFloat16 and of cpu`, async () => {
      const data = named(5);
      const run = () =>
        tf.tidy(() => {
          const inputs = Object.fromEntries(Object.entries(data).map(([n, v]) => [n, tf.tensor(v, SHAPES[n])]));
          const out = fn(inputs);
          return Object.fromEntries(
            Object.entries(out).map(([n, t]) => [n, { shape: t.shape, values: t.dataSync() as Float32Array }]),
          );
        });
      let got: ReturnType<typeof run> = {};
      const profile = await tf.profile(() => {
        got = run();
      });
      expect(profile.kernels.map((k) => k.name)).toEqual([ROUND_FP16]);
      expect(Object.keys(got)).toEqual(Object.keys(SHAPES));
      for (const [n, shape] of Object.entries(SHAPES)) {
        expect(got[n].shape, n).toEqual(shape);
        expect(wrong(data[n], got[n].values), n).toEqual([]);
      }
      await tf.setBackend('cpu');
      const cpu = run();
      await tf.setBackend('wasm');
      for (const n of Object.keys(SHAPES)) {
        got[n].values.forEach((v, i) => expect(same(v, cpu[n].values[i]), `${n}[${i}]`).toBe(true));
      }
    });
  }

  it('passes the gradient straight through roundFp16AllStraightThrough and roundFp16', () => {
    const w = {
      a: tf.tensor2d([0.3, -2.7, 1e-9, 7e4], [2, 2]),
      b: tf.tensor1d([1 + 2 ** -11]),
      c: tf.tensor1d([3, 4]),
    };
    const weights = { a: tf.tensor2d([1, 2, 3, 4], [2, 2]), b: tf.tensor1d([-0.5]), c: tf.tensor1d([0, 0]) };
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const r = roundFp16AllStraightThrough({ a, b, c });
      // c's output is left out of the loss: its gradient is zero
      return tf.add(tf.sum(tf.mul(r.a, weights.a)), tf.sum(tf.mul(r.b, weights.b)));
    })([w.a, w.b, w.c]);
    expect(Array.from(grads[0].dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(grads[1].dataSync())).toEqual([-0.5]);
    expect(Array.from(grads[2].dataSync())).toEqual([0, 0]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(roundFp16(t), tf.tensor1d([1, 2, 3]))))(
      tf.tensor1d([0.3, 1e-9, 7e4]),
    );
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([...Object.values(w), ...Object.values(weights), ...grads, g]);
  });

  it('keeps tensor counts stable over repeated steps', () => {
    const data = named(9);
    const inputs = Object.fromEntries(Object.entries(data).map(([n, v]) => [n, tf.tensor(v, SHAPES[n])]));
    const counts: number[] = [];
    for (let r = 0; r < 4; r++) {
      tf.dispose(Object.values(roundFp16All(inputs)));
      const g = tf.grads((...xs: tf.Tensor[]) => {
        const out = roundFp16AllStraightThrough(Object.fromEntries(Object.keys(inputs).map((n, i) => [n, xs[i]])));
        return tf.addN(Object.values(out).map((t) => tf.sum(t)));
      })(Object.values(inputs));
      tf.dispose(g);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    tf.dispose(Object.values(inputs));
  });
});
