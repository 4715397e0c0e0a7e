// TensorAdam and clipping on tensors against the pure float64 core versions
// (src/core), which are themselves checked against PyTorch.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { adamInit, adamStep, type AdamConfig } from '../../core/adam';
import { clipByGlobalNorm as coreClip } from '../../core/clip';
import { scaledError, testRng } from '../../models/fixtures/golden';
import { TensorAdam } from './adam';
import { clipByGlobalNorm } from './clip';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPES: Record<string, number[]> = { w: [5, 7], b: [7], e: [3, 2, 4] };

/** Float32-representable random values, so both sides start from the same numbers. */
function randomArrays(rng: () => number, scale: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const n = shape.reduce((a, b) => a * b, 1);
    out[name] = Float32Array.from({ length: n }, () => scale * (2 * rng() - 1));
  }
  return out;
}

const CASES: { name: string; cfg: AdamConfig; gradScale?: number }[] = [
  {
    name: 'AdamW',
    cfg: {
      lr: 1e-2,
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0.1,
      decoupledWeightDecay: true,
      biasCorrection: true,
    },
  },
  {
    name: 'Adam + L2',
    cfg: {
      lr: 3e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.05,
      decoupledWeightDecay: false,
      biasCorrection: true,
    },
  },
  {
    name: 'no bias correction',
    cfg: {
      lr: 1e-2,
      beta1: 0.8,
      beta2: 0.99,
      eps: 1e-6,
      weightDecay: 0,
      decoupledWeightDecay: true,
      biasCorrection: false,
    },
  },
  {
    name: 'AdamW, no bias correction, big eps',
    cfg: {
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.9,
      eps: 0.1,
      weightDecay: 0.2,
      decoupledWeightDecay: true,
      biasCorrection: false,
    },
  },
  {
    name: 'AdamW with a folded grad scale',
    cfg: {
      lr: 1e-2,
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0.1,
      decoupledWeightDecay: true,
      biasCorrection: true,
    },
    gradScale: 0.3,
  },
  {
    name: 'Adam + L2 with a grad scale',
    cfg: {
      lr: 1e-2,
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0.1,
      decoupledWeightDecay: false,
      biasCorrection: true,
    },
    gradScale: 0.3,
  },
];

describe('TensorAdam against core adamStep', () => {
  for (const { name, cfg, gradScale } of CASES) {
    it(name, () => {
      const rng = testRng(11);
      const init = randomArrays(rng, 1);
      const params: Record<string, tf.Variable> = {};
      const core: Record<string, { p: Float64Array; state: ReturnType<typeof adamInit> }> = {};
      for (const [k, values] of Object.entries(init)) {
        params[k] = tf.variable(tf.tensor(values, SHAPES[k]));
        core[k] = { p: Float64Array.from(values), state: adamInit(values.length) };
      }
      const opt = new TensorAdam(params, cfg);
      const before = tf.memory().numTensors;
      for (let step = 1; step <= 6; step++) {
        const lr = cfg.lr * (1 - 0.1 * step); // a schedule: lr changes every step
        const grads = randomArrays(rng, step === 3 ? 1e-3 : 2);
        const scale = gradScale === undefined ? undefined : tf.scalar(gradScale);
        const gradTensors = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.tensor(g, SHAPES[k])]));
        opt.step(gradTensors, lr, scale);
        tf.dispose([...Object.values(gradTensors), ...(scale ? [scale] : [])]);
        expect(tf.memory().numTensors).toBe(before);
        for (const [k, g] of Object.entries(grads)) {
          const g64 = Float64Array.from(g, (x) => x * (gradScale ?? 1));
          adamStep(core[k].p, g64, core[k].state, { ...cfg, lr });
        }
        const state = opt.state();
        expect(state.step).toBe(step);
        for (const k of Object.keys(SHAPES)) {
          expect(scaledError(params[k].dataSync(), core[k].p), `${k} step ${step}`).toBeLessThan(1e-6);
          expect(scaledError(state.m[k].dataSync(), core[k].state.m), `m ${k}`).toBeLessThan(1e-6);
          expect(scaledError(state.v[k].dataSync(), core[k].state.v), `v ${k}`).toBeLessThan(1e-6);
        }
      }
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before - 2 * Object.keys(SHAPES).length - 5);
      for (const v of Object.values(params)) v.dispose();
    });
  }

  for (const decoupledWeightDecay of [true, false]) {
    it(`decays only the parameters picked by the filter (decoupled ${decoupledWeightDecay})`, () => {
      const cfg = { ...CASES[0].cfg, decoupledWeightDecay, weightDecay: 0.2 };
      const rng = testRng(3);
      const [init, grads] = [randomArrays(rng, 1), randomArrays(rng, 1)];
      const params = Object.fromEntries(
        Object.entries(init).map(([k, x]) => [k, tf.variable(tf.tensor(x, SHAPES[k]))]),
      );
      const opt = new TensorAdam(params, cfg, (name) => name !== 'b');
      const g = Object.fromEntries(Object.entries(grads).map(([k, x]) => [k, tf.tensor(x, SHAPES[k])]));
      const scale = tf.scalar(0.7);
      opt.step(g, cfg.lr, scale);
      for (const k of Object.keys(SHAPES)) {
        const p64 = Float64Array.from(init[k]);
        const g64 = Float64Array.from(grads[k], (x) => 0.7 * x);
        adamStep(p64, g64, adamInit(p64.length), { ...cfg, weightDecay: k === 'b' ? 0 : cfg.weightDecay });
        expect(scaledError(params[k].dataSync(), p64), k).toBeLessThan(1e-6);
      }
      tf.dispose([...Object.values(g), ...Object.values(params), scale]);
      opt.dispose();
    });
  }

  it('rejects a gradient for an unknown parameter', () => {
    const p = { a: tf.variable(tf.zeros([2])) };
    const opt = new TensorAdam(p, CASES[0].cfg);
    const g = tf.ones([2]);
    expect(() => opt.step({ b: g }, 1e-3)).toThrow(/unknown parameter 'b'/);
    tf.dispose([g, p.a]);
    opt.dispose();
  });
});

describe('clipByGlobalNorm against core', () => {
  for (const [name, maxNorm, scale] of [
    ['clips', 1.0, 3],
    ['leaves small gradients alone', 100, 3],
  ] as const) {
    it(name, () => {
      const grads = randomArrays(testRng(5), scale);
      const t = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.tensor(g, SHAPES[k])]));
      const before = tf.memory().numTensors;
      const out = clipByGlobalNorm(t, maxNorm);
      const g64 = Object.values(grads).map((g) => Float64Array.from(g));
      const norm = coreClip(g64, maxNorm);
      expect(Math.abs(out.norm.dataSync()[0] - norm) / norm).toBeLessThan(1e-6);
      Object.keys(grads).forEach((k, i) => expect(scaledError(out.grads[k].dataSync(), g64[i])).toBeLessThan(1e-6));
      tf.dispose([out.norm, ...Object.values(out.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(t));
    });
  }

  it('zero gradients stay zero; a non-finite norm leaves gradients untouched', () => {
    const zeros = { a: tf.zeros([3]) };
    const z = clipByGlobalNorm(zeros, 1);
    expect(z.norm.dataSync()[0]).toBe(0);
    expect(Array.from(z.grads.a.dataSync())).toEqual([0, 0, 0]);
    const bad = { a: tf.tensor1d([1, Infinity, 2]), b: tf.tensor1d([3]) };
    const c = clipByGlobalNorm(bad, 1);
    expect(c.norm.dataSync()[0]).toBe(Infinity);
    expect(Array.from(c.grads.a.dataSync())).toEqual([1, Infinity, 2]);
    expect(Array.from(c.grads.b.dataSync())).toEqual([3]);
    tf.dispose([zeros.a, z.norm, z.grads.a, bad.a, bad.b, c.norm, c.grads.a, c.grads.b]);
  });
});
