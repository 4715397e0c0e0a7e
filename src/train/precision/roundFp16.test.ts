// The tensor FP16 rounding against core's toFloat16 (itself checked against
// numpy's float16), on cpu and wasm, over values chosen to hit every rule:
// ties in normal and subnormal ranges, the powers of two where log2 may be one
// off, the underflow and overflow edges, zeros, infinities and NaN.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng, toFloat16 } from '../../core';
import { fp16EdgeCases, fp16RoundingMismatches, roundFp16, roundFp16All } from './roundFp16';

function cases(): Float32Array {
  const v = Array.from(fp16EdgeCases());
  const rng = makeRng(11);
  for (let i = 0; i < 4000; i++) {
    const mag = 2 ** (-30 + 47 * rng());
    v.push((rng() < 0.5 ? -1 : 1) * mag);
  }
  return Float32Array.from(v);
}

const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

for (const backend of ['cpu', 'wasm']) {
  describe(`roundFp16 on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    it('matches toFloat16 on every case, signed zeros and NaN included', () => {
      const x = cases();
      const before = tf.memory().numTensors;
      const input = tf.tensor1d(x);
      const out = roundFp16(input);
      const got = out.dataSync();
      tf.dispose([input, out]);
      expect(tf.memory().numTensors).toBe(before);
      const wrong: string[] = [];
      for (let i = 0; i < x.length; i++) {
        const want = toFloat16(x[i]);
        if (!same(got[i], want)) wrong.push(`${x[i]} -> ${got[i]}, want ${want}`);
      }
      expect(wrong.slice(0, 10)).toEqual([]);
    });

    it('passes its own backend self-check', async () => {
      expect(await fp16RoundingMismatches()).toEqual([]);
    });

    it('rounds named tensors in one pass, shapes kept', () => {
      const a = tf.tensor2d([
        [1 + 2 ** -11, 2 ** -26],
        [70000, -3.0001],
      ]);
      const b = tf.tensor1d([0.1]);
      const out = roundFp16All({ a, b });
      expect(out.a.shape).toEqual([2, 2]);
      expect(Array.from(out.a.dataSync())).toEqual([1, 0, Infinity, toFloat16(-3.0001)]);
      expect(out.b.dataSync()[0]).toBe(toFloat16(0.1));
      tf.dispose([a, b, out.a, out.b]);
    });

    it('passes the gradient straight through', () => {
      const x = tf.tensor1d([0.3, -2.7, 1e-9]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(roundFp16(t), tf.tensor1d([1, 2, 3]))))(x);
      expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
      tf.dispose([x, g]);
    });
  });
}
