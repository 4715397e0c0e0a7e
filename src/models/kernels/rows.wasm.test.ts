// The row kernels against tfjs on the cpu backend: gather = tf.gather (zeros
// for ids outside the table, as the one-hot product gave), scatter-add =
// oneHot(ids)^T dy; repeated ids, out-of-range and negative ids, odd widths
// (the 4-wide loop's tail), size 1; and the embedding's gradient through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../core';
import { embed } from '../layers';
import { gatherRows, rowsKernelsAvailable, scatterAddRows } from './rows';

function random(n: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

/** What the kernels must equal, in float64 from the arrays. */
function gathered(table: Float32Array, C: number, V: number, ids: number[]): number[] {
  return ids.flatMap((id) => (id >= 0 && id < V ? [...table.subarray(id * C, id * C + C)] : new Array(C).fill(0)));
}
function scattered(dy: Float32Array, C: number, V: number, ids: number[]): number[] {
  const out = new Array(V * C).fill(0);
  ids.forEach((id, n) => {
    if (id >= 0 && id < V) for (let j = 0; j < C; j++) out[id * C + j] += dy[n * C + j];
  });
  return out;
}

describe('row kernels on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(rowsKernelsAvailable()).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  // [V, C, ids]
  const CASES: [number, number, number[]][] = [
    [5, 8, [0, 4, 2, 2, 1]],
    [7, 3, [6, 0, 0, 0]],
    [1, 1, [0]],
    [3, 5, [-1, 3, 7, 2, 2147483647, 1]],
    [83, 64, Array.from({ length: 1024 }, (_, i) => (i * 37) % 83)],
  ];

  it.each(CASES)('V=%i C=%i: gather and scatter-add equal the float64 loops', (V, C, ids) => {
    const table = random(V * C, V + C);
    const dy = random(ids.length * C, 3 * V + C);
    const [g, s] = tf.tidy(() => {
      const idsT = tf.tensor1d(ids, 'int32');
      return [
        gatherRows(tf.tensor2d(table, [V, C]), idsT).dataSync(),
        scatterAddRows(tf.tensor2d(dy, [ids.length, C]), idsT, V).dataSync(),
      ];
    });
    expect([...g]).toEqual(gathered(table, C, V, ids)); // copies: exact
    const want = scattered(dy, C, V, ids);
    let worst = 0;
    s.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - want[i]))));
    expect(worst).toBeLessThan(1e-5); // float32 sums of up to 13 terms in order
  });

  it('checks its inputs', () => {
    const t = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => gatherRows(t, tf.tensor1d([0, 1]) as tf.Tensor1D)).toThrow(/int32/);
    expect(() => scatterAddRows(t, tf.tensor1d([0, 1], 'int32'), 3)).toThrow(/2 ids for 3 rows/);
    expect(() => scatterAddRows(t, tf.tensor1d([0, 1, 2], 'int32'), -1)).toThrow(/rows must be a count/);
    t.dispose();
  });

  it("gives embed the same values and gradients as tfjs's ops on cpu, and leaks nothing", async () => {
    const [V, T, C, B] = [11, 6, 5, 3];
    const table = random(V * C, 1);
    const pos = random(T * C, 2);
    const rng = makeRng(9);
    const ids = Array.from({ length: B * T }, () => Math.floor(rng() * V));
    const weights = random(B * T * C, 4); // a loss that weighs every output differently
    const run = () =>
      tf.tidy(() => {
        const idsT = tf.tensor2d(ids, [B, T], 'int32');
        const w = tf.tensor2d(weights, [B * T, C]);
        const f = (tb: tf.Tensor, p: tf.Tensor) =>
          tf.sum(tf.mul(embed(tb as tf.Tensor2D, p as tf.Tensor2D, idsT), w)) as tf.Scalar;
        const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(table, [V, C]), tf.tensor2d(pos, [T, C])]);
        return [value.dataSync()[0], ...grads.map((g) => [...g.dataSync()])] as [number, number[], number[]];
      });
    const before = tf.memory().numTensors;
    const got = run();
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    expect(got[0]).toBeCloseTo(want[0], 4);
    for (const k of [1, 2] as const) got[k].forEach((x, i) => expect(Math.abs(x - want[k][i])).toBeLessThan(1e-5));
  });
});
