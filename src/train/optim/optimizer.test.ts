// The shared optimiser interface and factory: every kind builds, resolves its
// defaults, trains through a makeStepper-style step without leaking, and is readable by a UI.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ADAFACTOR_DEFAULTS, type OptimizerSpec } from '../../core/optim';
import { testRng } from '../../models/fixtures/golden';
import { TensorAdafactor } from './adafactor';
import { TensorAdam } from './adam';
import { describeOptimizer, makeOptimizer, resolveSpec } from './optimizer';
import type { TensorOptimizer } from './tensorOptimizer';
import { TensorSgd } from './sgd';
import { clipScale, globalNorm } from './clip';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Each spec with the rate its steps run at (AdaFactor's relative step ignores it). */
const SPECS: { spec: OptimizerSpec; lr: number }[] = [
  { spec: { kind: 'sgd' }, lr: 0.1 },
  { spec: { kind: 'momentum', momentum: 0.9, weightDecay: 1e-3 }, lr: 0.05 },
  { spec: { kind: 'adam' }, lr: 0.05 },
  { spec: { kind: 'adamw', weightDecay: 0.1 }, lr: 0.05 },
  { spec: { kind: 'adafactor' }, lr: 0 },
];

/**
 * What makeStepper (src/train/step.ts) does, written against TensorOptimizer:
 * gradients, global norm, the clip factor handed to the optimiser, all in one
 * tidy. The gradients are analytic: tf.variableGrads needs
 * register_all_gradients, whose transform alone costs ~5 s.
 */
function stepper(optimizer: TensorOptimizer, problem: Problem) {
  return (lr: number, clipNorm: number) =>
    tf.tidy(() => {
      const grads = problem.grads();
      const gradNorm = globalNorm(grads);
      optimizer.step(grads, lr, clipScale(gradNorm, clipNorm));
      return { loss: problem.loss(), gradNorm };
    });
}

interface Problem {
  params: { w: tf.Variable; b: tf.Variable };
  loss: () => tf.Scalar;
  grads: () => Record<string, tf.Tensor>;
  dispose: () => void;
}

/** A [3, 4] matrix and a [5] vector pulled towards fixed targets: loss = mean((w - A)^2) + mean((b - c)^2). */
function problem(): Problem {
  const rng = testRng(5);
  const rand = (n: number) => Float32Array.from({ length: n }, () => 2 * rng() - 1);
  const variable = (x: Float32Array, shape: number[]) => {
    const t = tf.tensor(x, shape);
    const v = tf.variable(t);
    t.dispose(); // the variable keeps its own reference
    return v;
  };
  const params = { w: variable(rand(12), [3, 4]), b: variable(rand(5), [5]) };
  const A = tf.tensor(rand(12), [3, 4]);
  const c = tf.tensor(rand(5), [5]);
  return {
    params,
    loss: () => tf.tidy(() => tf.add(tf.mean(tf.square(tf.sub(params.w, A))), tf.mean(tf.square(tf.sub(params.b, c))))),
    // d/dx mean((x - t)^2) = 2 (x - t) / size
    grads: () => tf.tidy(() => ({ w: tf.mul(tf.sub(params.w, A), 2 / 12), b: tf.mul(tf.sub(params.b, c), 2 / 5) })),
    dispose: () => tf.dispose([params.w, params.b, A, c]),
  };
}

describe('makeOptimizer', () => {
  it('builds each kind with its defaults filled in, and no rate (the schedule gives it)', () => {
    const p = { w: tf.variable(tf.zeros([3, 4])) };
    const sgd = makeOptimizer(p, { kind: 'sgd' });
    expect(sgd).toBeInstanceOf(TensorSgd);
    expect(sgd.config).toEqual({ momentum: 0, weightDecay: 0, nesterov: false });
    const mom = makeOptimizer(p, { kind: 'momentum', nesterov: true });
    expect(mom).toBeInstanceOf(TensorSgd);
    expect(mom.config).toEqual({ momentum: 0.9, weightDecay: 0, nesterov: true });
    const adam = makeOptimizer(p, { kind: 'adam', beta2: 0.95 });
    expect(adam).toBeInstanceOf(TensorAdam);
    expect(adam.config).toEqual({
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0,
      decoupledWeightDecay: false,
      biasCorrection: true,
    });
    const adamw = makeOptimizer(p, { kind: 'adamw' });
    expect(adamw).toBeInstanceOf(TensorAdam);
    expect(adamw.config).toMatchObject({ weightDecay: 0.01, decoupledWeightDecay: true });
    const af = makeOptimizer(p, { kind: 'adafactor', relativeStep: false, beta1: undefined });
    expect(af).toBeInstanceOf(TensorAdafactor);
    const { lr: _lr, ...afDefaults } = ADAFACTOR_DEFAULTS;
    expect(af.config).toEqual({ ...afDefaults, relativeStep: false });
    // A stale link's lr is not a setting any more: dropped.
    expect(resolveSpec({ kind: 'adafactor', lr: 0.02 } as unknown as OptimizerSpec)).toEqual(afDefaults);
    for (const o of [sgd, mom, adam, adamw, af]) o.dispose();
    p.w.dispose();
  });

  it('resolves a spec without building anything, and rejects an unknown kind', () => {
    const { lr: _lr, ...afDefaults } = ADAFACTOR_DEFAULTS;
    expect(resolveSpec({ kind: 'adafactor' })).toEqual(afDefaults);
    const p = { w: tf.variable(tf.zeros([2])) };
    expect(() => makeOptimizer(p, { kind: 'lion' } as unknown as OptimizerSpec)).toThrow(/unknown kind 'lion'/);
    expect(() => makeOptimizer(p, { kind: 'momentum', momentum: 1 })).toThrow(/momentum/);
    p.w.dispose();
  });

  it("'adam' and 'adamw' are TensorAdam with the same config (identical updates)", () => {
    for (const kind of ['adam', 'adamw'] as const) {
      const a = problem();
      const b = problem();
      const viaFactory = makeOptimizer(a.params, { kind, weightDecay: 0.1 });
      const direct = new TensorAdam(b.params, { ...viaFactory.config });
      for (let i = 0; i < 3; i++) {
        const [ga, gb] = [a.grads(), b.grads()];
        viaFactory.step(ga, 0.01);
        direct.step(gb, 0.01);
        tf.dispose([...Object.values(ga), ...Object.values(gb)]);
      }
      expect(Array.from(a.params.w.dataSync())).toEqual(Array.from(b.params.w.dataSync()));
      viaFactory.dispose();
      direct.dispose();
      a.dispose();
      b.dispose();
    }
  });

  it('passes the weight-decay filter on (decay only w)', () => {
    const a = problem();
    const opt = makeOptimizer(a.params, { kind: 'sgd', weightDecay: 0.5 }, (name) => name === 'w');
    const b0 = Array.from(a.params.b.dataSync());
    const w0 = Array.from(a.params.w.dataSync());
    const zw = tf.zeros([3, 4]);
    const zb = tf.zeros([5]);
    opt.step({ w: zw, b: zb }, 0.1);
    expect(Array.from(a.params.b.dataSync())).toEqual(b0);
    Array.from(a.params.w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(w0[i] * 0.95, 6));
    tf.dispose([zw, zb]);
    opt.dispose();
    a.dispose();
  });
});

describe('every kind through a makeStepper-style step (clipping on), interchangeably', () => {
  for (const { spec, lr } of SPECS) {
    it(spec.kind, async () => {
      const before = tf.memory().numTensors;
      const prob = problem();
      const { params, dispose } = prob;
      const opt: TensorOptimizer = makeOptimizer(params, spec);
      const step = stepper(opt, prob);
      let first = NaN;
      let last = NaN;
      let steady = -1;
      for (let i = 0; i < 30; i++) {
        const out = step(lr, 0.5);
        const loss = (await out.loss.data())[0];
        tf.dispose([out.loss, out.gradNorm]);
        if (i === 0) first = loss;
        last = loss;
        if (i === 0) steady = tf.memory().numTensors;
        if (i > 0) expect(tf.memory().numTensors, `tensors after step ${i + 1}`).toBe(steady);
      }
      expect(last).toBeLessThan(first);
      expect(opt.state().step).toBe(30);

      // A UI reads the state without knowing the optimiser.
      const d = describeOptimizer(opt);
      expect(d.kind).toBe(spec.kind === 'momentum' ? 'sgd' : spec.kind === 'adamw' ? 'adam' : spec.kind);
      if (d.kind === 'sgd') expect(d.state.buffer === null).toBe(spec.kind === 'sgd');
      if (d.kind === 'adam') expect(d.state.m.w.shape).toEqual([3, 4]);
      if (d.kind === 'adafactor') {
        const w = d.state.slots.w;
        expect(w.kind === 'factored' && [w.R.shape, w.C.shape]).toEqual([[3], [4]]);
        expect(d.state.lastStep!.w.alpha.shape).toEqual([]);
      }
      opt.dispose();
      dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
