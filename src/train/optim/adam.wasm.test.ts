// adamw.wat through TensorAdam on wasm against TensorAdam's tfjs ops on cpu:
// several steps of every variant (AdamW and Adam + L2, bias correction on and
// off, a gradient scale folded or not, parameters left out of decay), on
// parameters of odd sizes and of one element. Both sides do the same float32
// operations in the same order, so they agree to the bit. Also: one kernel
// per step, no leaked tensors, and the input checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { AdamConfig } from '../../core/adam';
import { TensorAdam } from './adam';
import { testRng } from '../../models/fixtures/golden';
import { ADAMW_UPDATE, adamwAvailable, adamwUpdate } from '../../models/kernels/adamw';
import { ADAMW_WASM } from '../../models/kernels/adamwBinary';
import { kernelLevel } from '../../models/kernels/runtime';

const SHAPES: Record<string, number[]> = { w: [5, 7], b: [7], e: [3, 2, 4], one: [1], big: [37, 13], four: [4] };

const BASE = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, decoupledWeightDecay: true, biasCorrection: true };

interface Case {
  name: string;
  cfg: Omit<AdamConfig, 'lr'>;
  gradScale?: number;
  /** Parameters that decay (default all). */
  decays?: (name: string) => boolean;
}

const CASES: Case[] = [
  { name: 'AdamW', cfg: BASE },
  { name: 'AdamW, biases not decayed', cfg: BASE, decays: (n) => n !== 'b' && n !== 'one' },
  { name: 'Adam + L2', cfg: { ...BASE, beta2: 0.999, weightDecay: 0.05, decoupledWeightDecay: false } },
  { name: 'Adam + L2, some not decayed', cfg: { ...BASE, decoupledWeightDecay: false }, decays: (n) => n !== 'w' },
  {
    name: 'no decay, no bias correction',
    cfg: { ...BASE, beta1: 0.8, eps: 1e-6, weightDecay: 0, biasCorrection: false },
  },
  {
    name: 'AdamW, no bias correction, big eps',
    cfg: { ...BASE, beta2: 0.9, eps: 0.1, weightDecay: 0.2, biasCorrection: false },
  },
  { name: 'AdamW, folded grad scale', cfg: BASE, gradScale: 0.3 },
  { name: 'Adam + L2, grad scale', cfg: { ...BASE, decoupledWeightDecay: false }, gradScale: 0.3 },
  {
    name: 'Adam without decay, folded grad scale',
    cfg: { ...BASE, weightDecay: 0, decoupledWeightDecay: false },
    gradScale: 0.7,
  },
];

/** Parameters, moments and an optimiser on `backend`, run `steps` seeded steps; returns every p, m, v. */
async function train(backend: string, c: Case, steps: number): Promise<Record<string, Float32Array>> {
  expect(await tf.setBackend(backend)).toBe(true);
  const rng = testRng(42);
  const values = (shape: number[], scale: number) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * (2 * rng() - 1));
  const params: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(SHAPES)) params[name] = tf.variable(tf.tensor(values(shape, 1), shape));
  const opt = new TensorAdam(params, c.cfg, c.decays);
  for (let t = 0; t < steps; t++) {
    const lr = 0.02 / (1 + t); // a schedule: a new rate every step
    tf.tidy(() => {
      const grads: Record<string, tf.Tensor> = {};
      // Gradients of varied scale; every other step leaves one parameter out.
      for (const [name, shape] of Object.entries(SHAPES))
        if (!(t % 2 === 1 && name === 'e')) grads[name] = tf.tensor(values(shape, 10 ** (2 * rng() - 1)), shape);
      const scale = c.gradScale === undefined ? undefined : tf.scalar(c.gradScale * (1 + t / 10));
      opt.step(grads, lr, scale);
    });
  }
  const out: Record<string, Float32Array> = {};
  const { m, v } = opt.state();
  for (const name of Object.keys(SHAPES)) {
    out[`p.${name}`] = params[name].dataSync() as Float32Array;
    out[`m.${name}`] = m[name].dataSync() as Float32Array;
    out[`v.${name}`] = v[name].dataSync() as Float32Array;
  }
  opt.dispose();
  for (const p of Object.values(params)) p.dispose();
  return out;
}

describe('the AdamW kernel on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is available at a SIMD level', () => {
    expect(adamwAvailable()).toBe(true);
    expect(kernelLevel(ADAMW_WASM)).not.toBe('off');
  });

  for (const c of CASES) {
    it(`matches TensorAdam's tfjs ops on cpu to the bit: ${c.name}`, async () => {
      const cpu = await train('cpu', c, 5);
      const wasm = await train('wasm', c, 5);
      for (const [key, want] of Object.entries(cpu)) {
        const got = wasm[key];
        let diff = 0;
        for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) diff++;
        expect(diff, `${key}: ${diff} of ${want.length} differ, first ${got[0]} vs ${want[0]}`).toBe(0);
      }
      // and the update did something
      expect(wasm['m.w'].some((x) => x !== 0)).toBe(true);
    });
  }

  it('updates every parameter in one kernel and leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const params = { a: tf.variable(tf.ones([3, 5])), b: tf.variable(tf.ones([1])) };
    const opt = new TensorAdam(params, BASE);
    const scale = tf.scalar(0.5);
    const step = () => tf.tidy(() => opt.step({ a: tf.fill([3, 5], 0.1), b: tf.fill([1], -0.2) }, 1e-3, scale));
    step();
    const before = tf.memory().numTensors;
    const profile = await tf.profile(step);
    expect(profile.kernels.map((k) => k.name)).toEqual(['Fill', 'Fill', ADAMW_UPDATE]);
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(params.a.dataSync()[0]).toBeLessThan(1);
    expect(params.b.dataSync()[0]).toBeGreaterThan(1);
    opt.dispose();
    scale.dispose();
    params.a.dispose();
    params.b.dispose();
  });

  it('leaves its inputs as they were', () => {
    tf.tidy(() => {
      const [p, g, m, v] = [1, 2, 3, 4].map((x) => tf.fill([6], x));
      const step = {
        beta1: 0.9,
        beta2: 0.99,
        foldScale: true,
        weightDecay: 0.1,
        decay: 0.99,
        epsHat: 1e-8,
        stepSize: -0.1,
      };
      const [[p1, m1, v1]] = adamwUpdate([{ p, g, m, v, decay: 'decoupled' }], step);
      expect([p, g, m, v].map((t) => Array.from(t.dataSync()))).toEqual([1, 2, 3, 4].map((x) => Array(6).fill(x)));
      expect(p1.shape).toEqual([6]);
      // m' = 0.9 * 3 + 0.1 * 2, v' = 0.99 * 4 + 0.01 * 4, p' = 0.99 - 0.1 m' / (sqrt(v') + eps)
      expect(m1.dataSync()[5]).toBeCloseTo(2.9, 6);
      expect(v1.dataSync()[5]).toBeCloseTo(4, 6);
      expect(p1.dataSync()[5]).toBeCloseTo(0.99 - 0.1 * (2.9 / 2), 6);
    });
  });

  it('rejects mismatched sizes, dtypes and scales with clear errors', () => {
    tf.tidy(() => {
      const step = { beta1: 0.9, beta2: 0.99, foldScale: true, weightDecay: 0, decay: 1, epsHat: 1e-8, stepSize: -0.1 };
      const p = tf.zeros([4]);
      const none = 'none' as const;
      expect(() => adamwUpdate([{ p, g: tf.zeros([5]), m: p, v: p, decay: none }], step)).toThrow(
        /parameter 0's g has shape \[5\]/,
      );
      expect(() => adamwUpdate([{ p, g: p, m: tf.zeros([4], 'int32'), v: p, decay: none }], step)).toThrow(
        /parameter 0's m is int32/,
      );
      expect(() =>
        adamwUpdate([{ p, g: p, m: p, v: p, decay: none }], { ...step, gradScale: tf.ones([2]) as tf.Scalar }),
      ).toThrow(/gradScale must be a float32 scalar/);
    });
  });
});
