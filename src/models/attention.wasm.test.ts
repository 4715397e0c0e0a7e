// attendHeads on wasm (the strided kernel and its hand-written backward
// pass) against the same function on cpu (tfjs ops and tfjs autodiff), for
// self-attention out of one fused qkv and cross-attention out of two
// tensors, with shapes off the kernel's tile sizes and both mask kinds.
// The PyTorch goldens (gpt/bert/encdec .wasm tests) cover the models end to end.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../core';
import { attendHeads, type AttentionShape } from './attention';
import { stridedGemmAvailable } from './kernels/stridedGemm';
import { MASKED } from './transformer';

function randomArray(n: number, rng: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

function causal(T: number): Float32Array {
  return Float32Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? MASKED : 0));
}

function padding(lengths: number[], Tk: number): Float32Array {
  return Float32Array.from({ length: lengths.length * Tk }, (_, i) =>
    i % Tk >= lengths[Math.floor(i / Tk)] ? MASKED : 0,
  );
}

interface Case {
  name: string;
  s: AttentionShape;
  /** Widths of the distinct input tensors and where q, k, v sit: [input, offset]. */
  widths: number[];
  at: { q: [number, number]; k: [number, number]; v: [number, number] };
  mask: { values: Float32Array; shape: number[] };
  scale: number;
}

const selfCase = (B: number, T: number, H: number, dh: number): Case => ({
  name: `self-attention B=${B} T=${T} H=${H} dh=${dh}, causal`,
  s: { B, H, Tq: T, Tk: T, dh },
  widths: [3 * H * dh],
  at: { q: [0, 0], k: [0, H * dh], v: [0, 2 * H * dh] },
  mask: { values: causal(T), shape: [T, T] },
  scale: 1 / Math.sqrt(dh),
});

const CASES: Case[] = [
  selfCase(2, 64, 4, 16),
  selfCase(3, 7, 3, 5),
  {
    name: 'cross-attention B=3 Tq=6 Tk=9 H=2 dh=3, padding, folded scale',
    s: { B: 3, H: 2, Tq: 6, Tk: 9, dh: 3 },
    widths: [6, 12],
    at: { q: [0, 0], k: [1, 0], v: [1, 6] },
    mask: { values: padding([9, 4, 1], 9), shape: [3, 1, 1, 9] },
    scale: 1,
  },
];

/** Output and gradients of sum(out * weights) with respect to every input, on the active backend. */
function run(
  c: Case,
  inputs: Float32Array[],
  weights: Float32Array,
): { out: Float32Array; grads: Float32Array[]; leaked: number } {
  const before = tf.memory().numTensors;
  const rows = [c.s.B * c.s.Tq, c.s.B * c.s.Tk];
  // Input 0 holds q, so it has B*Tq rows; a second input holds k and v (B*Tk rows).
  const xs = inputs.map((v, i) => tf.tensor2d(v, [i === 0 ? rows[0] : rows[1], c.widths[i]]));
  const mask = tf.tensor(c.mask.values, c.mask.shape);
  const w = tf.tensor2d(weights, [rows[0], c.s.H * c.s.dh]);
  const src = ([i, offset]: [number, number], ts: tf.Tensor2D[]) => ({ x: ts[i], offset });
  const f = (...ts: tf.Tensor2D[]) =>
    tf.sum(tf.mul(attendHeads(src(c.at.q, ts), src(c.at.k, ts), src(c.at.v, ts), c.s, mask, c.scale), w));
  const out = tf.tidy(() => attendHeads(src(c.at.q, xs), src(c.at.k, xs), src(c.at.v, xs), c.s, mask, c.scale));
  const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)(xs);
  const result = { out: out.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([...xs, mask, w, out, ...grads]);
  return { ...result, leaked: tf.memory().numTensors - before };
}

function maxRelError(got: Float32Array, want: Float32Array): number {
  let scale = 1e-6;
  for (const x of want) scale = Math.max(scale, Math.abs(x));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst / scale;
}

describe('attendHeads: the wasm kernel path against tfjs ops on cpu', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name', async (c) => {
    const rng = makeRng(c.s.Tq * 31 + c.s.dh);
    const inputs = c.widths.map((wd, i) => randomArray((i === 0 ? c.s.B * c.s.Tq : c.s.B * c.s.Tk) * wd, rng));
    const weights = randomArray(c.s.B * c.s.Tq * c.s.H * c.s.dh, rng);

    await tf.setBackend('cpu');
    const want = run(c, inputs, weights);
    await tf.setBackend('wasm');
    expect(stridedGemmAvailable()).toBe(true);
    const got = run(c, inputs, weights);

    expect(maxRelError(got.out, want.out)).toBeLessThan(1e-5);
    got.grads.forEach((g, i) => expect(maxRelError(g, want.grads[i]), `gradient of input ${i}`).toBeLessThan(1e-5));
    expect(got.leaked).toBe(0);
    expect(want.leaked).toBe(0);
  });

  it('gives exactly zero gradient to columns outside the heads', async () => {
    await tf.setBackend('wasm');
    const s: AttentionShape = { B: 2, H: 2, Tq: 5, Tk: 5, dh: 3 };
    const x = tf.tensor2d(randomArray(10 * 20, makeRng(3)), [10, 20]); // q at 1..6, k at 8..13, v at 14..19
    const mask = tf.zeros([5, 5]);
    const [g] = tf.grads((t: tf.Tensor) =>
      tf.sum(
        attendHeads(
          { x: t as tf.Tensor2D, offset: 1 },
          { x: t as tf.Tensor2D, offset: 8 },
          { x: t as tf.Tensor2D, offset: 14 },
          s,
          mask,
          0.5,
        ),
      ),
    )([x]);
    const rows = g.arraySync() as number[][];
    expect(rows.every((r) => r[0] === 0 && r[7] === 0)).toBe(true);
    expect(rows.some((r) => r[10] !== 0)).toBe(true);
    tf.dispose([x, mask, g]);
  });
});
