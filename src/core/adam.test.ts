import { describe, expect, it } from 'vitest';
import { adamElementView, adamInit, adamStep, type AdamConfig } from './adam';
import { loadFixture, maxRelErr } from './testing';

interface AdamGolden {
  cases: {
    name: string;
    reference: string;
    config: Omit<AdamConfig, 'lr'>;
    lrs: number[];
    params0: number[];
    grads: number[][];
    steps: { params: number[]; m: number[]; v: number[] }[];
  }[];
}

const golden = loadFixture<AdamGolden>('adam_golden.json');

describe('adamStep against PyTorch / numpy goldens (scripts/golden/make_golden.py)', () => {
  it.each(golden.cases.map((c) => [`${c.name} (${c.reference})`, c] as const))('%s', (_name, c) => {
    const params = Float64Array.from(c.params0);
    const state = adamInit(params.length);
    c.grads.forEach((g, i) => {
      const grads = Float64Array.from(g);
      adamStep(params, grads, state, { ...c.config, lr: c.lrs[i] });
      expect(state.step).toBe(i + 1);
      expect(Array.from(grads)).toEqual(g); // gradients are read-only, even with coupled decay
      const want = c.steps[i];
      // Floor 1e-300: relative everywhere except exact zeros (m of the zero-gradient entry).
      expect(maxRelErr(params, want.params), `params after step ${i + 1}`).toBeLessThan(1e-12);
      expect(maxRelErr(state.m, want.m), `m after step ${i + 1}`).toBeLessThan(1e-12);
      expect(maxRelErr(state.v, want.v), `v after step ${i + 1}`).toBeLessThan(1e-12);
    });
  });

  it('covers Adam, AdamW, GPT-3 settings and no bias correction', () => {
    const kinds = golden.cases.map((c) => `${c.config.decoupledWeightDecay}/${c.config.biasCorrection}`);
    expect(new Set(kinds)).toEqual(new Set(['false/true', 'true/true', 'false/false', 'true/false']));
    expect(golden.cases.some((c) => c.config.beta2 === 0.95 && c.config.weightDecay === 0.1)).toBe(true);
  });
});

describe('adamStep behaviour', () => {
  const base: AdamConfig = {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    decoupledWeightDecay: true,
    biasCorrection: true,
  };

  it('moves each parameter by about lr on the first step, whatever the gradient scale', () => {
    // Bias-corrected m/sqrt(v) = g/|g| on step 1: the step size is set by lr, not by |g|.
    const params = new Float64Array([0, 0, 0]);
    adamStep(params, new Float64Array([1e-3, -5, 1e3]), adamInit(3), base);
    expect(params[0]).toBeCloseTo(-0.01, 6);
    expect(params[1]).toBeCloseTo(0.01, 9);
    expect(params[2]).toBeCloseTo(-0.01, 9);
  });

  it('without bias correction, scales the first step by (1 - beta1) / sqrt(1 - beta2)', () => {
    const params = new Float64Array([0]);
    adamStep(params, new Float64Array([1]), adamInit(1), { ...base, biasCorrection: false });
    // m = 0.1, sqrt(v) = sqrt(0.001): about 3.16 lr instead of lr.
    expect(params[0]).toBeCloseTo(-0.01 * (0.1 / (Math.sqrt(0.001) + 1e-8)), 15);
  });

  it('AdamW shrinks a parameter with zero gradient; Adam+L2 normalises the decay away', () => {
    const w = new Float64Array([2]);
    adamStep(w, new Float64Array([0]), adamInit(1), { ...base, weightDecay: 0.1 });
    expect(w[0]).toBeCloseTo(2 * (1 - 0.01 * 0.1), 15);
    const l2 = new Float64Array([2]);
    adamStep(l2, new Float64Array([0]), adamInit(1), { ...base, weightDecay: 0.1, decoupledWeightDecay: false });
    // The decay gradient 0.2 is normalised like any gradient: a full lr-sized step.
    expect(l2[0]).toBeCloseTo(2 - 0.01, 6);
  });

  it('rejects mismatched sizes', () => {
    expect(() => adamStep(new Float64Array(3), new Float64Array(2), adamInit(3), base)).toThrow(/size mismatch/);
  });
});

describe('adamElementView', () => {
  it('gives the same move as adamStep for every element, with and without bias correction', () => {
    for (const biasCorrection of [true, false]) {
      const cfg = {
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.95,
        eps: 1e-8,
        weightDecay: 0,
        decoupledWeightDecay: true,
        biasCorrection,
      };
      const params = Float64Array.from([0.5, -1, 2]);
      const state = adamInit(3);
      const grads = [
        Float64Array.from([0.3, -0.2, 1e-3]),
        Float64Array.from([-0.1, 0.4, 2e-3]),
        Float64Array.from([0.2, 0.1, -1e-3]),
      ];
      for (const g of grads) {
        const before = Float64Array.from(params);
        adamStep(params, g, state, cfg);
        for (let i = 0; i < 3; i++) {
          const view = adamElementView(state.m[i], state.v[i], state.step, cfg);
          expect(before[i] - view.step).toBeCloseTo(params[i], 12);
        }
      }
    }
  });

  it('corrects the first step to the full gradient’s sign-like size, and not without correction', () => {
    // After one step m = (1 - b1) g, v = (1 - b2) g^2: corrected, the step is lr * g / |g| = lr.
    const g = 0.3;
    const cfg = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 0, biasCorrection: true };
    expect(adamElementView(0.1 * g, 0.001 * g * g, 1, cfg).step).toBeCloseTo(0.01, 12);
    // Without it the step is lr * 0.1 / sqrt(0.001) = 3.16 lr.
    expect(adamElementView(0.1 * g, 0.001 * g * g, 1, { ...cfg, biasCorrection: false }).step).toBeCloseTo(
      (0.01 * 0.1) / Math.sqrt(0.001),
      12,
    );
    expect(() => adamElementView(0, 0, 0, cfg)).toThrow(/t must be/);
  });
});
