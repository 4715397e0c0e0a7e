import { describe, expect, it } from 'vitest';
import { loadFixture, maxRelErr } from '../testing';
import { SGD_DEFAULTS, sgdInit, sgdStep, type SgdConfig } from './sgd';

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

const golden = loadFixture<SgdGolden>('optim_golden.json');

describe('sgdStep against torch.optim.SGD (scripts/golden/optim_golden.py)', () => {
  it.each(golden.sgd.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const params = Float64Array.from(c.params0);
    const state = sgdInit();
    c.grads.forEach((g, i) => {
      const grads = Float64Array.from(g);
      sgdStep(params, grads, state, { ...c.config, lr: c.lrs[i] });
      expect(state.step).toBe(i + 1);
      expect(Array.from(grads)).toEqual(g); // read-only, even with weight decay
      const want = c.steps[i];
      // Same operations in the same order as ATen: agreement to rounding, not "closely".
      expect(maxRelErr(params, want.params), `params after step ${i + 1}`).toBeLessThan(1e-14);
      if (want.buffer === null) expect(state.buffer).toBeNull();
      else expect(maxRelErr(state.buffer!, want.buffer, 1e-300), `buffer after step ${i + 1}`).toBeLessThan(1e-14);
    });
  });

  it('covers plain SGD, momentum, Nesterov and weight decay', () => {
    const c = golden.sgd.map((x) => x.config);
    expect(c.some((x) => x.momentum === 0 && x.weightDecay === 0)).toBe(true);
    expect(c.some((x) => x.momentum === 0 && x.weightDecay > 0)).toBe(true);
    expect(c.some((x) => x.momentum > 0 && x.weightDecay > 0 && !x.nesterov)).toBe(true);
    expect(c.some((x) => x.nesterov)).toBe(true);
  });
});

describe('sgdStep behaviour', () => {
  it('plain SGD is p - lr * g and keeps no state', () => {
    const p = new Float64Array([1, -2]);
    const state = sgdInit();
    sgdStep(p, new Float64Array([0.5, 4]), state, { ...SGD_DEFAULTS, lr: 0.25 });
    expect(Array.from(p)).toEqual([1 - 0.125, -2 - 1]);
    expect(state.buffer).toBeNull();
  });

  it('momentum under a constant gradient approaches a step of lr * g / (1 - momentum)', () => {
    // buf_t = g (1 + mu + ... + mu^(t-1)) = g (1 - mu^t) / (1 - mu): the "heavy ball" speeds up 10x at mu = 0.9.
    const p = new Float64Array([0]);
    const state = sgdInit();
    const cfg = { ...SGD_DEFAULTS, lr: 0.1, momentum: 0.9 };
    let before = 0;
    for (let t = 1; t <= 60; t++) {
      before = p[0];
      sgdStep(p, new Float64Array([1]), state, cfg);
      expect(before - p[0]).toBeCloseTo((0.1 * (1 - 0.9 ** t)) / (1 - 0.9), 12);
    }
    expect(before - p[0]).toBeGreaterThan(0.99);
  });

  it('weight decay alone shrinks a parameter by (1 - lr * wd) a step', () => {
    const p = new Float64Array([3]);
    const state = sgdInit();
    for (let t = 0; t < 5; t++)
      sgdStep(p, new Float64Array([0]), state, { ...SGD_DEFAULTS, lr: 0.1, weightDecay: 0.5 });
    expect(p[0]).toBeCloseTo(3 * 0.95 ** 5, 14);
  });

  it('rejects bad hyperparameters and sizes with RangeError', () => {
    const p = new Float64Array(2);
    const g = new Float64Array(2);
    expect(() => sgdStep(p, g, sgdInit(), { ...SGD_DEFAULTS, lr: -1 })).toThrow(RangeError);
    expect(() => sgdStep(p, g, sgdInit(), { ...SGD_DEFAULTS, lr: NaN })).toThrow(/lr/);
    expect(() => sgdStep(p, g, sgdInit(), { ...SGD_DEFAULTS, momentum: 1 })).toThrow(/momentum/);
    expect(() => sgdStep(p, g, sgdInit(), { ...SGD_DEFAULTS, weightDecay: -0.1 })).toThrow(/weightDecay/);
    expect(() => sgdStep(p, g, sgdInit(), { ...SGD_DEFAULTS, nesterov: true })).toThrow(/nesterov/);
    expect(() => sgdStep(p, new Float64Array(3), sgdInit(), SGD_DEFAULTS)).toThrow(/size mismatch/);
  });
});
