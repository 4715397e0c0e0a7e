// TensorAdafactor against the pure float64 core adafactorStep (itself checked
// against an independent numpy version) and against that numpy golden directly.
//
// Tolerance: the tensor side is float32, the references float64, on
// float32-representable inputs. Arrays: scaledError (max |diff| / max |expected|)
// < 1e-5; scalars (alpha, RMS(U), clip divisor): relative error < 1e-5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  ADAFACTOR_DEFAULTS,
  adafactorInit,
  adafactorStep,
  secondMomentEstimate,
  type AdafactorConfig,
  type AdafactorState,
} from '../../core/optim/adafactor';
import { loadFixture } from '../../core/testing';
import { relativeError, scaledError, testRng } from '../../models/fixtures/golden';
import { TensorAdafactor } from './adafactor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-5;
const worst = { arrays: 0, scalars: 0 };
function check(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const e = scaledError(actual, expected);
  worst.arrays = Math.max(worst.arrays, e);
  expect(e, what).toBeLessThan(TOL);
}
function checkScalar(actual: number, expected: number, what: string): void {
  const e = relativeError(actual, expected);
  worst.scalars = Math.max(worst.scalars, e);
  expect(e, what).toBeLessThan(TOL);
}
afterAll(() =>
  console.log(
    `TensorAdafactor: max scaled error vs float64 ${worst.arrays.toExponential(2)} (arrays), ` +
      `${worst.scalars.toExponential(2)} (step info), tolerance ${TOL}`,
  ),
);

const SHAPES: Record<string, [number] | [number, number]> = { w: [3, 4], b: [5] };
// A jump in gradient scale (step 4) against a slow-to-adapt V is what update clipping is for.
const GRAD_SCALES = [1, 0.5, 1, 20, 0.1, 1, 1];

function randomArrays(rng: () => number, scale: number, zero = false): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const n = shape.reduce((a, b) => a * b, 1);
    out[name] = Float32Array.from({ length: n }, (_, i) => (zero || i === 1 ? 0 : scale * (2 * rng() - 1)));
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

/** Compares the tensor optimiser's state, V_hat and step info for one parameter with the core state. */
async function compareState(
  opt: TensorAdafactor,
  name: string,
  core: AdafactorState,
  info: ReturnType<typeof adafactorStep>,
  at: string,
) {
  const slot = opt.state().slots[name];
  expect(slot.kind).toBe(core.kind);
  if (slot.kind === 'factored' && core.kind === 'factored') {
    check(slot.R.dataSync(), core.R, `R ${name} ${at}`);
    check(slot.C.dataSync(), core.C, `C ${name} ${at}`);
  } else if (slot.kind === 'vector' && core.kind === 'vector') {
    check(slot.v.dataSync(), core.v, `v ${name} ${at}`);
  }
  if (core.m) check(slot.m!.dataSync(), core.m, `m ${name} ${at}`);
  else expect(slot.m).toBeNull();
  const V = opt.secondMoment(name);
  expect(V.shape).toEqual(SHAPES[name]);
  check(V.dataSync(), secondMomentEstimate(core), `V_hat ${name} ${at}`);
  V.dispose();
  const got = (await opt.stepInfo(name))!;
  expect(got.beta2).toBe(info.beta2);
  checkScalar(got.alpha, info.alpha, `alpha ${name} ${at}`);
  checkScalar(got.updateRms, info.updateRms, `RMS(U) ${name} ${at}`);
  checkScalar(got.clipDivisor, info.clipDivisor, `clip divisor ${name} ${at}`);
}

const CASES: { name: string; cfg: Partial<AdafactorConfig>; gradScale?: number; zeroInit?: boolean }[] = [
  { name: 'paper defaults (relative step)', cfg: {} },
  { name: 'fixed, scheduled lr', cfg: { relativeStep: false, lr: 0.05 } },
  { name: 'momentum 0.9', cfg: { beta1: 0.9 } },
  { name: 'momentum, fixed lr', cfg: { beta1: 0.5, relativeStep: false, lr: 0.02 } },
  { name: 'tight clipping, other decay rate', cfg: { clipThreshold: 0.5, decayRate: -0.5 } },
  { name: 'zero-initialised parameters (eps2 floor)', cfg: {}, zeroInit: true },
  { name: 'with a grad scale (clipping factor)', cfg: {}, gradScale: 0.3 },
  {
    name: 'momentum, fixed lr, grad scale',
    cfg: { beta1: 0.9, relativeStep: false, lr: 0.01, eps1: 1e-20 },
    gradScale: 0.7,
  },
];

describe('TensorAdafactor against core adafactorStep', () => {
  const divisors: number[] = [];
  for (const { name, cfg: overrides, gradScale, zeroInit } of CASES) {
    it(name, async () => {
      const cfg: AdafactorConfig = { ...ADAFACTOR_DEFAULTS, ...overrides };
      const rng = testRng(31);
      const init = randomArrays(rng, 1, zeroInit);
      const before = tf.memory().numTensors;
      const params = toVariables(init);
      const core: Record<string, { p: Float64Array; state: AdafactorState }> = {};
      for (const [k, x] of Object.entries(init)) core[k] = { p: Float64Array.from(x), state: adafactorInit(SHAPES[k]) };
      const opt = new TensorAdafactor(params, cfg);
      expect(opt.state().lastStep).toBeNull();
      expect(await opt.stepInfo('w')).toBeNull();
      const afterInit = tf.memory().numTensors;
      for (let step = 1; step <= GRAD_SCALES.length; step++) {
        const lr = cfg.lr * (1 - 0.1 * step); // used only with relativeStep off
        const grads = randomArrays(rng, GRAD_SCALES[step - 1]);
        const scale = gradScale === undefined ? undefined : tf.scalar(gradScale);
        const g = toTensors(grads);
        opt.step(g, lr, scale);
        tf.dispose([...Object.values(g), ...(scale ? [scale] : [])]);
        expect(tf.memory().numTensors, 'no tensor leaks per step').toBe(afterInit);
        const s = gradScale === undefined ? 1 : Math.fround(gradScale);
        expect(opt.state().step).toBe(step);
        for (const [k, x] of Object.entries(grads)) {
          const info = adafactorStep(
            core[k].p,
            Float64Array.from(x, (v) => v * s),
            core[k].state,
            { ...cfg, lr },
          );
          divisors.push(info.clipDivisor);
          check(params[k].dataSync(), core[k].p, `${k} after step ${step}`);
          await compareState(opt, k, core[k].state, info, `after step ${step}`);
        }
      }
      opt.dispose();
      tf.dispose(Object.values(params));
      expect(tf.memory().numTensors, 'dispose frees everything').toBe(before);
    });
  }
  it('exercised update clipping on some steps and not on others', () => {
    expect(divisors.some((d) => d > 1.5)).toBe(true);
    expect(divisors.some((d) => d === 1)).toBe(true);
  });
});

interface AdafactorGolden {
  adafactor: {
    name: string;
    shape: [number] | [number, number];
    config: AdafactorConfig;
    params0: number[];
    grads: number[][];
    steps: {
      params: number[];
      alpha: number;
      updateRms: number;
      clipDivisor: number;
      secondMoment: number[];
      R?: number[];
      C?: number[];
      v?: number[];
      m?: number[];
    }[];
  }[];
}

describe('TensorAdafactor against the numpy golden (src/core/fixtures/optim_golden.json)', () => {
  const golden = loadFixture<AdafactorGolden>('optim_golden.json');
  it('has the cases', () => expect(golden.adafactor.length).toBeGreaterThanOrEqual(8));
  for (const c of golden.adafactor) {
    it(c.name, async () => {
      const x0 = tf.tensor(c.params0, c.shape);
      const params = { x: tf.variable(x0) };
      x0.dispose();
      const opt = new TensorAdafactor(params, c.config);
      for (let i = 0; i < c.grads.length; i++) {
        const g = tf.tensor(c.grads[i], c.shape);
        opt.step({ x: g }, c.config.lr);
        g.dispose();
        const want = c.steps[i];
        const at = `after step ${i + 1}`;
        check(params.x.dataSync(), want.params, `params ${at}`);
        const slot = opt.state().slots.x;
        if (slot.kind === 'factored') {
          check(slot.R.dataSync(), want.R!, `R ${at}`);
          check(slot.C.dataSync(), want.C!, `C ${at}`);
        } else {
          check(slot.v.dataSync(), want.v!, `v ${at}`);
        }
        if (want.m) check(slot.m!.dataSync(), want.m, `m ${at}`);
        const V = opt.secondMoment('x');
        check(V.dataSync(), want.secondMoment, `V_hat ${at}`);
        V.dispose();
        const info = (await opt.stepInfo('x'))!;
        checkScalar(info.alpha, want.alpha, `alpha ${at}`);
        checkScalar(info.updateRms, want.updateRms, `RMS(U) ${at}`);
        checkScalar(info.clipDivisor, want.clipDivisor, `clip ${at}`);
      }
      opt.dispose();
      params.x.dispose();
    });
  }
});

describe('TensorAdafactor', () => {
  for (const overrides of [
    {},
    { beta1: 0.9, relativeStep: false, lr: 0.03 },
    { clipThreshold: 0.5 },
  ] as Partial<AdafactorConfig>[]) {
    it(`gradScale s equals gradients pre-multiplied by s (${JSON.stringify(overrides)})`, () => {
      const cfg = { ...ADAFACTOR_DEFAULTS, ...overrides };
      const rng = testRng(8);
      const init = randomArrays(rng, 1);
      const gradSeq = GRAD_SCALES.slice(0, 5).map((s) => randomArrays(rng, s));
      const [pa, pb] = [toVariables(init), toVariables(init)];
      const [a, b] = [new TensorAdafactor(pa, cfg), new TensorAdafactor(pb, cfg)];
      const s = tf.scalar(0.37);
      for (const grads of gradSeq) {
        const g = toTensors(grads);
        a.step(g, cfg.lr, s);
        const scaled = Object.fromEntries(Object.entries(g).map(([k, x]) => [k, tf.mul(x, s)]));
        b.step(scaled, cfg.lr);
        tf.dispose([...Object.values(g), ...Object.values(scaled)]);
      }
      // The scale is applied to the gradient itself (same kernel), so the results are identical.
      for (const k of Object.keys(SHAPES)) expect(Array.from(pa[k].dataSync())).toEqual(Array.from(pb[k].dataSync()));
      tf.dispose([s, ...Object.values(pa), ...Object.values(pb)]);
      a.dispose();
      b.dispose();
    });
  }

  it('an all-zero gradient leaves the parameters unchanged (no 0/0 in float32), as in the core version', () => {
    const init = randomArrays(testRng(2), 1);
    const params = toVariables(init);
    const opt = new TensorAdafactor(params, ADAFACTOR_DEFAULTS);
    const zeros = toTensors(randomArrays(testRng(2), 1, true));
    opt.step(zeros, 0);
    for (const k of Object.keys(SHAPES)) {
      const p64 = Float64Array.from(init[k]);
      adafactorStep(p64, new Float64Array(p64.length), adafactorInit(SHAPES[k]), ADAFACTOR_DEFAULTS);
      expect(Array.from(params[k].dataSync())).toEqual(Array.from(p64, Math.fround));
      expect(params[k].dataSync().every(Number.isFinite)).toBe(true);
    }
    tf.dispose([...Object.values(zeros), ...Object.values(params)]);
    opt.dispose();
  });

  it('keeps n + m numbers for an [n, m] matrix, n for a vector, and zeros V_hat before the first step', () => {
    const p = { w: tf.variable(tf.ones([3, 4])), b: tf.variable(tf.ones([5])) };
    const opt = new TensorAdafactor(p, ADAFACTOR_DEFAULTS);
    const { slots } = opt.state();
    expect(slots.w.kind === 'factored' && [slots.w.rows, slots.w.cols, slots.w.R.size, slots.w.C.size]).toEqual([
      3, 4, 3, 4,
    ]);
    expect(slots.b.kind === 'vector' && slots.b.v.shape).toEqual([5]);
    expect(slots.w.m).toBeNull();
    const V = opt.secondMoment('w');
    expect(V.shape).toEqual([3, 4]);
    expect(Array.from(V.dataSync()).every((x) => x === 0)).toBe(true);
    V.dispose();
    const withMomentum = new TensorAdafactor(p, { ...ADAFACTOR_DEFAULTS, beta1: 0.9 });
    expect(withMomentum.state().slots.w.m?.shape).toEqual([3, 4]);
    withMomentum.dispose();
    opt.dispose();
    tf.dispose([p.w, p.b]);
  });

  it('works inside an outer tf.tidy, as makeStepper calls it', () => {
    const p = { w: tf.variable(tf.ones([2, 2])) };
    const opt = new TensorAdafactor(p, { ...ADAFACTOR_DEFAULTS, relativeStep: false });
    tf.tidy(() => opt.step({ w: tf.ones([2, 2]) }, 0.1, tf.scalar(2)));
    // Step 1: beta2 = 0, V = (g^2 + eps1) exactly (rank 1), U = sign(g), RMS(U) = 1, no clipping.
    for (const x of p.w.dataSync()) expect(x).toBeCloseTo(0.9, 6);
    expect(opt.state().lastStep!.w.clipDivisor.dataSync()[0]).toBe(1);
    opt.dispose();
    p.w.dispose();
  });

  it('rejects other ranks, bad configs, a bad lr and unknown parameters', () => {
    const cube = { e: tf.variable(tf.zeros([2, 2, 2])) };
    expect(() => new TensorAdafactor(cube, ADAFACTOR_DEFAULTS)).toThrow(/\[n\] or \[n, m\]/);
    const p = { a: tf.variable(tf.zeros([2])) };
    expect(() => new TensorAdafactor(p, { ...ADAFACTOR_DEFAULTS, decayRate: 0.5 })).toThrow(/decayRate/);
    expect(() => new TensorAdafactor(p, { ...ADAFACTOR_DEFAULTS, beta1: 1 })).toThrow(/beta1/);
    const opt = new TensorAdafactor(p, { ...ADAFACTOR_DEFAULTS, relativeStep: false });
    const g = tf.ones([2]);
    expect(() => opt.step({ b: g }, 0.1)).toThrow(/unknown parameter 'b'/);
    expect(() => opt.step({ a: g }, -1)).toThrow(/lr/);
    expect(() => opt.secondMoment('b')).toThrow(/unknown parameter/);
    expect(opt.state().step).toBe(0);
    tf.dispose([g, p.a, cube.e]);
    opt.dispose();
  });
});
