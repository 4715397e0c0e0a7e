// TensorSgd against the pure float64 core sgdStep (itself checked against
// torch.optim.SGD) and against the torch golden directly.
//
// Tolerance: the tensor side is float32, the references float64. Inputs are
// float32-representable, so the differences are float32 rounding only:
// scaledError (max |diff| / max |expected|) < 1e-6 against the core version,
// and < 1e-6 against the golden, whose float64 inputs are rounded to float32 first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { sgdInit, sgdStep, type SgdConfig, type SgdState } from '../../core/optim/sgd';
import { loadFixture } from '../../core/testing';
import { scaledError, testRng } from '../../models/fixtures/golden';
import { TensorSgd, type TensorSgdConfig } from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-6;
let worst = 0;
function check(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const e = scaledError(actual, expected);
  worst = Math.max(worst, e);
  expect(e, what).toBeLessThan(TOL);
}
afterAll(() => console.log(`TensorSgd: max scaled error vs float64 ${worst.toExponential(2)} (tolerance ${TOL})`));

const SHAPES: Record<string, number[]> = { w: [3, 4], b: [5] };

function randomArrays(rng: () => number, scale: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const n = shape.reduce((a, b) => a * b, 1);
    out[name] = Float32Array.from({ length: n }, () => scale * (2 * rng() - 1));
  }
  return out;
}

function toTensors(arrays: Record<string, Float32Array>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(arrays).map(([k, x]) => [k, tf.tensor(x, SHAPES[k])]));
}

function toVariables(arrays: Record<string, Float32Array>): Record<string, tf.Variable> {
  return Object.fromEntries(
    Object.entries(arrays).map(([k, x]) => {
      const t = tf.tensor(x, SHAPES[k]);
      const v = tf.variable(t);
      t.dispose();
      return [k, v];
    }),
  );
}

const CASES: { name: string; cfg: SgdConfig; gradScale?: number }[] = [
  { name: 'plain SGD', cfg: { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false } },
  { name: 'plain SGD + weight decay', cfg: { lr: 0.05, momentum: 0, weightDecay: 0.1, nesterov: false } },
  { name: 'momentum 0.9', cfg: { lr: 0.01, momentum: 0.9, weightDecay: 0, nesterov: false } },
  { name: 'momentum + weight decay', cfg: { lr: 0.02, momentum: 0.5, weightDecay: 0.01, nesterov: false } },
  { name: 'Nesterov + weight decay', cfg: { lr: 0.01, momentum: 0.9, weightDecay: 0.001, nesterov: true } },
  { name: 'plain SGD, clipped', cfg: { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false }, gradScale: 0.3 },
  {
    name: 'momentum + weight decay, clipped',
    cfg: { lr: 0.02, momentum: 0.9, weightDecay: 0.1, nesterov: false },
    gradScale: 0.3,
  },
  { name: 'Nesterov, clipped', cfg: { lr: 0.01, momentum: 0.9, weightDecay: 0, nesterov: true }, gradScale: 0.25 },
];

describe('TensorSgd against core sgdStep', () => {
  for (const { name, cfg, gradScale } of CASES) {
    it(name, () => {
      const rng = testRng(21);
      const init = randomArrays(rng, 1);
      const before = tf.memory().numTensors;
      const params = toVariables(init);
      const core: Record<string, { p: Float64Array; state: SgdState }> = {};
      for (const [k, x] of Object.entries(init)) core[k] = { p: Float64Array.from(x), state: sgdInit() };
      const opt = new TensorSgd(params, cfg);
      const afterInit = tf.memory().numTensors;
      for (let step = 1; step <= 6; step++) {
        const lr = cfg.lr * (1 - 0.1 * step); // a schedule: lr changes every step
        const grads = randomArrays(rng, step === 3 ? 1e-3 : 2);
        const scale = gradScale === undefined ? undefined : tf.scalar(gradScale);
        const g = toTensors(grads);
        opt.step(g, lr, scale);
        tf.dispose([...Object.values(g), ...(scale ? [scale] : [])]);
        expect(tf.memory().numTensors, 'no tensor leaks per step').toBe(afterInit);
        const s = gradScale === undefined ? 1 : Math.fround(gradScale);
        for (const [k, x] of Object.entries(grads)) {
          sgdStep(
            core[k].p,
            Float64Array.from(x, (v) => v * s),
            core[k].state,
            { ...cfg, lr },
          );
        }
        const state = opt.state();
        expect(state.step).toBe(step);
        for (const k of Object.keys(SHAPES)) {
          check(params[k].dataSync(), core[k].p, `${k} after step ${step}`);
          if (cfg.momentum === 0) expect(state.buffer).toBeNull();
          else check(state.buffer![k].dataSync(), core[k].state.buffer!, `buffer ${k} after step ${step}`);
        }
      }
      opt.dispose();
      tf.dispose(Object.values(params));
      expect(tf.memory().numTensors, 'dispose frees everything').toBe(before);
    });
  }
});

interface SgdGolden {
  sgd: {
    name: string;
    config: Omit<SgdConfig, 'lr'>;
    lrs: number[];
    params0: number[];
    grads: number[][];
    steps: { params: number[]; buffer: number[] | null }[];
  }[];
}

describe('TensorSgd against torch.optim.SGD (src/core/fixtures/optim_golden.json)', () => {
  const golden = loadFixture<SgdGolden>('optim_golden.json');
  it('has the cases', () => expect(golden.sgd.length).toBeGreaterThanOrEqual(6));
  for (const c of golden.sgd) {
    it(c.name, () => {
      const n = c.params0.length;
      const params = { x: tf.variable(tf.tensor1d(c.params0)) };
      const opt = new TensorSgd(params, c.config);
      c.grads.forEach((g, i) => {
        const grad = tf.tensor1d(g);
        opt.step({ x: grad }, c.lrs[i]);
        grad.dispose();
        const want = c.steps[i];
        expect(params.x.shape).toEqual([n]);
        check(params.x.dataSync(), want.params, `params after step ${i + 1}`);
        const buf = opt.state().buffer;
        if (want.buffer === null) expect(buf).toBeNull();
        else check(buf!.x.dataSync(), want.buffer, `buffer after step ${i + 1}`);
      });
      opt.dispose();
      params.x.dispose();
    });
  }
});

describe('TensorSgd', () => {
  for (const cfg of CASES.map((c) => c.cfg)) {
    it(`gradScale s equals gradients pre-multiplied by s (momentum ${cfg.momentum}, wd ${cfg.weightDecay}, nesterov ${cfg.nesterov})`, () => {
      const rng = testRng(8);
      const init = randomArrays(rng, 1);
      const gradSeq = [randomArrays(rng, 2), randomArrays(rng, 2), randomArrays(rng, 2)];
      const [pa, pb] = [toVariables(init), toVariables(init)];
      const [a, b] = [new TensorSgd(pa, cfg), new TensorSgd(pb, cfg)];
      const s = tf.scalar(0.37);
      for (const grads of gradSeq) {
        const g = toTensors(grads);
        a.step(g, cfg.lr, s);
        const scaled = Object.fromEntries(Object.entries(g).map(([k, x]) => [k, tf.mul(x, s)]));
        b.step(scaled, cfg.lr);
        tf.dispose([...Object.values(g), ...Object.values(scaled)]);
      }
      // Folding the scale into the step size (plain SGD) rounds differently: equal to float32 rounding.
      for (const k of Object.keys(SHAPES)) expect(scaledError(pa[k].dataSync(), pb[k].dataSync())).toBeLessThan(1e-6);
      tf.dispose([s, ...Object.values(pa), ...Object.values(pb)]);
      a.dispose();
      b.dispose();
    });
  }

  it('decays only the parameters picked by the filter', () => {
    const cfg: SgdConfig = { lr: 0.1, momentum: 0.9, weightDecay: 0.2, nesterov: false };
    const rng = testRng(3);
    const [init, grads] = [randomArrays(rng, 1), randomArrays(rng, 1)];
    const params = toVariables(init);
    const opt = new TensorSgd(params, cfg, (name) => name !== 'b');
    const g = toTensors(grads);
    const scale = tf.scalar(0.5);
    opt.step(g, cfg.lr, scale);
    for (const k of Object.keys(SHAPES)) {
      const p64 = Float64Array.from(init[k]);
      sgdStep(
        p64,
        Float64Array.from(grads[k], (x) => 0.5 * x),
        sgdInit(),
        { ...cfg, weightDecay: k === 'b' ? 0 : cfg.weightDecay },
      );
      check(params[k].dataSync(), p64, k);
    }
    tf.dispose([...Object.values(g), ...Object.values(params), scale]);
    opt.dispose();
  });

  it('plain SGD keeps no state; momentum keeps one buffer per parameter', () => {
    const p = { a: tf.variable(tf.zeros([2, 3])), b: tf.variable(tf.zeros([4])) };
    const before = tf.memory().numTensors;
    const plain = new TensorSgd(p, { momentum: 0, weightDecay: 0, nesterov: false });
    expect(tf.memory().numTensors - before).toBe(2); // the momentum and weight-decay scalars
    const heavy = new TensorSgd(p, { momentum: 0.9, weightDecay: 0, nesterov: false });
    expect(Object.keys(heavy.state().buffer!)).toEqual(['a', 'b']);
    expect(heavy.state().buffer!.a.shape).toEqual([2, 3]);
    plain.dispose();
    heavy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p.a, p.b]);
  });

  it('works inside an outer tf.tidy, as makeStepper calls it', () => {
    const p = { a: tf.variable(tf.tensor1d([1, 2])) };
    const opt = new TensorSgd(p, { momentum: 0.5, weightDecay: 0, nesterov: false });
    tf.tidy(() => opt.step({ a: tf.tensor1d([2, -2]) }, 0.5, tf.scalar(0.5)));
    tf.tidy(() => opt.step({ a: tf.tensor1d([2, -2]) }, 0.5, tf.scalar(0.5)));
    // g = [1, -1]; buf_1 = g, p_1 = p - 0.5 g; buf_2 = 1.5 g, p_2 = p_1 - 0.75 g
    expect(Array.from(p.a.dataSync())).toEqual([1 - 1.25, 2 + 1.25]);
    expect(Array.from(opt.state().buffer!.a.dataSync())).toEqual([1.5, -1.5]);
    opt.dispose();
    p.a.dispose();
  });

  it('rejects bad configs, a bad lr and unknown parameters', () => {
    const p = { a: tf.variable(tf.zeros([2])) };
    const ok: TensorSgdConfig = { momentum: 0, weightDecay: 0, nesterov: false };
    expect(() => new TensorSgd(p, { ...ok, momentum: 1 })).toThrow(/momentum/);
    expect(() => new TensorSgd(p, { ...ok, nesterov: true })).toThrow(/nesterov/);
    expect(() => new TensorSgd(p, { ...ok, weightDecay: -1 })).toThrow(/weightDecay/);
    const opt = new TensorSgd(p, ok);
    const g = tf.ones([2]);
    expect(() => opt.step({ b: g }, 0.1)).toThrow(/unknown parameter 'b'/);
    expect(() => opt.step({ a: g }, NaN)).toThrow(/lr/);
    expect(opt.state().step).toBe(0);
    tf.dispose([g, p.a]);
    opt.dispose();
  });
});
