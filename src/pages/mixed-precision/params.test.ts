import { describe, expect, it } from 'vitest';
import { checkLossScaleConfig, defaultValues, parseParams } from '../../core';
import { ARM_DEFS, enabledArms, lossScaleOf, mixedCrossCheck, MP_PARAMS, PANEL_KEYS, toMixedRun } from './params';

const data = { kind: 'corpus' as const, name: 'brown' as const, url: 'http://127.0.0.1/corpus/brown.json' };
const values = (query = '') => parseParams(MP_PARAMS, new URLSearchParams(query)).values;

describe('toMixedRun', () => {
  it('by default races five arms: FP32 first (the trainer readout), then each ingredient added', () => {
    const run = toMixedRun(defaultValues(MP_PARAMS), data);
    expect(run.arms.map((a) => a.label)).toEqual([
      'FP32',
      'FP16 grads',
      'FP16 grads + scaling',
      'FP16 weights, no master',
      'Mixed precision',
    ]);
    expect(run.referenceArm).toBe(0);
    // The default shrink (2^-16) rides on every arm, FP32's too, with nothing else switched on there.
    const m = 2 ** -16;
    expect(run.arms[0].precision).toEqual({
      fp16Grads: false,
      fp16Weights: false,
      masterWeights: false,
      lossScale: null,
      lossMultiplier: m,
    });
    for (const a of run.arms) {
      expect(a.precision!.lossMultiplier).toBe(m);
      expect(a.clipNorm).toBe(m);
    }
    expect(
      run.arms
        .slice(1)
        .map(
          (a) =>
            a.precision && [
              a.precision.fp16Grads,
              a.precision.fp16Weights,
              a.precision.masterWeights,
              a.precision.lossScale !== null,
            ],
        ),
    ).toEqual([
      [true, false, false, false],
      [true, false, false, true],
      [true, true, false, true],
      [true, true, true, true],
    ]);
    // Same optimiser for all: only precision differs.
    expect(new Set(run.arms.map((a) => JSON.stringify(a.optimizer))).size).toBe(1);
    expect(run.arms[0].optimizer).toMatchObject({ kind: 'adam', eps: 1e-8 * m, weightDecay: 0 });
    expect(run.arms[0].schedule.lr).toBe(0.001);
    expect(run.model).toMatchObject({ nLayers: 2, dModel: 64, nHeads: 4 });
    expect(run.batchSize).toBe(8);
  });

  it('without the shrink, FP32 is a plain arm; SGD gets its rate divided by the shrink', () => {
    const plain = toMixedRun(values('shrink=0'), data);
    expect(plain.arms[0].precision).toBeUndefined();
    expect(plain.arms[0].optimizer).toMatchObject({ kind: 'adam', eps: 1e-8 });
    const sgd = toMixedRun(values('opt=sgd&lr=0.5&shrink=4'), data);
    expect(sgd.arms[0].optimizer).toEqual({ kind: 'sgd', weightDecay: 0 });
    expect(sgd.arms[0].schedule.lr).toBe(8);
  });

  it('gives every scaled arm the dynamic scaler from the form, which core accepts', () => {
    const v = values('ls0=10&grow=50');
    const ls = lossScaleOf(v);
    expect(ls).toEqual({
      kind: 'dynamic',
      initScale: 1024,
      growthFactor: 2,
      backoffFactor: 0.5,
      growthInterval: 50,
      minScale: 1,
      maxScale: 2 ** 24,
    });
    expect(() => checkLossScaleConfig(ls)).not.toThrow();
    expect(() => checkLossScaleConfig(lossScaleOf(values('ls0=24')))).not.toThrow();
    expect(() => checkLossScaleConfig(lossScaleOf(values('ls0=0')))).not.toThrow();
    const run = toMixedRun(v, data);
    expect(run.arms.filter((a) => a.precision?.lossScale).map((a) => a.precision!.lossScale!.initScale)).toEqual([
      1024, 1024, 1024,
    ]);
  });

  it('leaves out switched-off arms, keeping table order', () => {
    const v = values('fp32=off&g16=off&w16=off&lr=0.0003&layers=1&width=32&batch=4');
    expect(enabledArms(v).map((a) => a.key)).toEqual(['g16ls', 'mixed']);
    const run = toMixedRun(v, data);
    expect(run.arms.map((a) => a.label)).toEqual(['FP16 grads + scaling', 'Mixed precision']);
    expect(run.arms.map((a) => a.schedule.lr)).toEqual([0.0003, 0.0003]);
    expect(run.model).toMatchObject({ nLayers: 1, dModel: 32 });
  });
});

describe('mixedCrossCheck and the panel', () => {
  it('needs one arm and a width divisible by the 4 heads', () => {
    expect(mixedCrossCheck(defaultValues(MP_PARAMS))).toEqual({});
    const none = values(ARM_DEFS.map((a) => `${a.key}=off`).join('&'));
    expect(mixedCrossCheck(none)).toEqual({ fp32: 'Switch on at least one arm.' });
    expect(mixedCrossCheck(values('width=30')).width).toMatch(/multiple of 4/);
  });

  it('shows every field except the arm switches in the panel', () => {
    expect(PANEL_KEYS).toEqual(['opt', 'lr', 'ls0', 'grow', 'shrink', 'layers', 'width', 'batch', 'seed', 'backend']);
  });
});
