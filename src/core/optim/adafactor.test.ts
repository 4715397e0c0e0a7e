import { describe, expect, it } from 'vitest';
import { loadFixture, maxRelErr, relErr } from '../testing';
import {
  ADAFACTOR_DEFAULTS,
  adafactorInit,
  adafactorStep,
  reconstructSecondMoment,
  secondMomentEstimate,
  type AdafactorConfig,
} from './adafactor';

interface AdafactorGolden {
  adafactor: {
    name: string;
    /** Which reference produced the case: the paper's algorithm, or transformers' formulation for options the paper lacks. */
    reference: string;
    shape: [number] | [number, number];
    config: AdafactorConfig;
    params0: number[];
    grads: number[][];
    steps: {
      params: number[];
      beta2: number;
      updateRms: number;
      clipDivisor: number;
      alpha: number;
      secondMoment: number[];
      R?: number[];
      C?: number[];
      v?: number[];
      m?: number[];
    }[];
  }[];
}

const golden = loadFixture<AdafactorGolden>('optim_golden.json');

// The references sum in a different order (matrix products, means): agreement to ~1e-14,
// bounded here at 1e-12 relative so that any change of formula (1e-3 and up) fails loudly.
const TOL = 1e-12;

describe('adafactorStep against the paper’s Algorithms 4/5 and transformers’ Adafactor (scripts/golden/optim_golden.py)', () => {
  it.each(golden.adafactor.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const params = Float64Array.from(c.params0);
    const state = adafactorInit(c.shape);
    c.grads.forEach((g, i) => {
      const grads = Float64Array.from(g);
      const info = adafactorStep(params, grads, state, c.config);
      const want = c.steps[i];
      const at = `after step ${i + 1}`;
      expect(Array.from(grads)).toEqual(g);
      expect(relErr(info.beta2, want.beta2, 1e-300), `beta2 ${at}`).toBeLessThan(TOL);
      expect(relErr(info.updateRms, want.updateRms), `RMS(U) ${at}`).toBeLessThan(TOL);
      expect(relErr(info.clipDivisor, want.clipDivisor), `clip ${at}`).toBeLessThan(TOL);
      expect(relErr(info.alpha, want.alpha), `alpha ${at}`).toBeLessThan(TOL);
      expect(maxRelErr(params, want.params), `params ${at}`).toBeLessThan(TOL);
      expect(maxRelErr(secondMomentEstimate(state), want.secondMoment), `V ${at}`).toBeLessThan(TOL);
      if (state.kind === 'factored') {
        expect(maxRelErr(state.R, want.R!), `R ${at}`).toBeLessThan(TOL);
        expect(maxRelErr(state.C, want.C!), `C ${at}`).toBeLessThan(TOL);
      } else {
        expect(maxRelErr(state.v, want.v!), `v ${at}`).toBeLessThan(TOL);
      }
      if (want.m) expect(maxRelErr(state.m!, want.m), `m ${at}`).toBeLessThan(TOL);
      else expect(state.m).toBeNull();
    });
  });

  it('covers matrices and vectors, momentum, fixed lr, zero init, and steps with and without clipping', () => {
    const cases = golden.adafactor;
    expect(cases.some((c) => c.shape.length === 2 && c.shape[0] === 3 && c.shape[1] === 4)).toBe(true);
    expect(cases.some((c) => c.shape.length === 1 && c.shape[0] === 5)).toBe(true);
    expect(cases.some((c) => c.config.beta1 > 0)).toBe(true);
    expect(cases.some((c) => !c.config.relativeStep)).toBe(true);
    expect(cases.some((c) => c.params0.every((x) => x === 0))).toBe(true);
    const divisors = cases.flatMap((c) => c.steps.map((s) => s.clipDivisor));
    expect(divisors.some((d) => d > 1.5)).toBe(true);
    expect(divisors.some((d) => d === 1)).toBe(true);
  });

  it('checks the paper’s own settings against the paper, and momentum and a fixed lr against transformers', () => {
    for (const c of golden.adafactor) {
      const paperSettings = c.config.beta1 === 0 && c.config.relativeStep;
      expect(c.reference, c.name).toMatch(
        paperSettings ? /^Shazeer & Stern \(2018\) Algorithm 4\/5/ : /^transformers' \(fairseq's\) Adafactor/,
      );
    }
  });
});

describe('reconstructSecondMoment', () => {
  it('is R C^T / sum(R), with row sums R and column sums C', () => {
    const R = [1, 2, 5]; // from a matrix whose total is 8
    const C = [4, 0.5, 3.5];
    const V = reconstructSecondMoment(R, C);
    expect(V[1 * 3 + 2]).toBeCloseTo((2 * 3.5) / 8, 15);
    for (let i = 0; i < 3; i++) expect(V[i * 3] + V[i * 3 + 1] + V[i * 3 + 2]).toBeCloseTo(R[i], 14);
    for (let j = 0; j < 3; j++) expect(V[j] + V[3 + j] + V[6 + j]).toBeCloseTo(C[j], 14);
  });

  it('rejects statistics that sum to zero', () => {
    expect(() => reconstructSecondMoment([0, 0], [0, 0, 0])).toThrow(RangeError);
  });
});

describe('AdaFactor cases known by hand', () => {
  const u = [1, -2, 0.5];
  const v = [3, 1, -1, 0.25];
  /** G = s u v^T [3, 4], row-major: G^2 = s^2 (u^2)(v^2)^T is rank 1. */
  const rankOne = (s: number) => Float64Array.from(u.flatMap((ui) => v.map((vj) => s * ui * vj)));

  it('on a rank-1 G^2 the factored estimate equals the full second moment, step after step', () => {
    // Averages of rank-1 matrices with the same u^2, v^2 stay rank 1, so R C^T / sum(R) loses nothing:
    // the factored optimiser and the unfactored (vector) one on the flattened matrix take identical steps.
    const factoredParams = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const fullParams = Float64Array.from(factoredParams);
    const factored = adafactorInit([3, 4]);
    const full = adafactorInit([12]);
    for (const s of [1, 3, 0.2, 10, 1]) {
      const infoF = adafactorStep(factoredParams, rankOne(s), factored, ADAFACTOR_DEFAULTS);
      const infoV = adafactorStep(fullParams, rankOne(s), full, ADAFACTOR_DEFAULTS);
      expect(maxRelErr(secondMomentEstimate(factored), secondMomentEstimate(full))).toBeLessThan(1e-14);
      expect(relErr(infoF.clipDivisor, infoV.clipDivisor)).toBeLessThan(1e-14);
      expect(maxRelErr(factoredParams, fullParams)).toBeLessThan(1e-14);
    }
  });

  it('the first step on a rank-1 gradient moves every entry by exactly alpha = 1e-2 RMS(X_0) against sign(G)', () => {
    // t = 1: beta2 = 1 - 1^-0.8 = 0, so V = G^2 (exactly, by the rank-1 case), U = G / |G| = sign(G),
    // RMS(U) = 1 so nothing is clipped, and rho_1 = min(1e-2, 1) = 1e-2.
    const x0 = Float64Array.from({ length: 12 }, (_, i) => (i % 3) - 1 + 0.5); // entries -0.5, 0.5, 1.5
    const rmsX0 = Math.sqrt((4 * 0.25 + 4 * 0.25 + 4 * 2.25) / 12);
    const g = rankOne(2);
    const x = Float64Array.from(x0);
    const info = adafactorStep(x, g, adafactorInit([3, 4]), ADAFACTOR_DEFAULTS);
    expect(info.beta2).toBe(0);
    expect(info.updateRms).toBeCloseTo(1, 14);
    expect(info.clipDivisor).toBe(1);
    expect(info.alpha).toBeCloseTo(1e-2 * rmsX0, 16);
    for (let i = 0; i < 12; i++) expect(x[i]).toBeCloseTo(x0[i] - 1e-2 * rmsX0 * Math.sign(g[i]), 14);
  });

  it('a gradient spike on a scalar is clipped to an RMS-1 update (hand-computed)', () => {
    // Step 1: g = 1, v = 1. Step 2: beta2 = 1 - 2^-0.8, g = 10:
    // v = beta2 * 1 + (1 - beta2) * 100, U = 10 / sqrt(v) ~ 1.31 > d = 1, so the step is alpha * 1 exactly.
    const cfg = { ...ADAFACTOR_DEFAULTS, relativeStep: false, lr: 0.1 };
    const x = new Float64Array([0]);
    const state = adafactorInit([1]);
    adafactorStep(x, new Float64Array([1]), state, cfg);
    expect(x[0]).toBeCloseTo(-0.1, 15);
    const info = adafactorStep(x, new Float64Array([10]), state, cfg);
    const beta2 = 1 - 2 ** -0.8;
    const vWant = beta2 + (1 - beta2) * 100;
    expect(state.kind === 'vector' && state.v[0]).toBeCloseTo(vWant + 1e-30, 12);
    expect(info.updateRms).toBeCloseTo(10 / Math.sqrt(vWant), 14);
    expect(info.clipDivisor).toBeCloseTo(10 / Math.sqrt(vWant), 14);
    expect(x[0]).toBeCloseTo(-0.2, 15);
  });

  it('the relative step is capped at 1e-2 until t = 10^4, then decays as 1 / sqrt(t)', () => {
    const x = Float64Array.from([3, -4]); // RMS = sqrt(12.5)
    const alphaAt = (t: number, over: Partial<AdafactorConfig> = {}) => {
      const state = adafactorInit([2]);
      state.step = t - 1; // resume as if t - 1 steps had been taken
      return adafactorStep(Float64Array.from(x), new Float64Array([1, 1]), state, { ...ADAFACTOR_DEFAULTS, ...over })
        .alpha;
    };
    const scale = Math.sqrt(12.5);
    expect(alphaAt(1)).toBeCloseTo(1e-2 * scale, 15);
    expect(alphaAt(9_999)).toBeCloseTo(1e-2 * scale, 15);
    expect(alphaAt(40_000)).toBeCloseTo(scale / 200, 15);
    expect(alphaAt(4, { maxRelativeStep: 1 })).toBeCloseTo(scale / 2, 14);
    expect(alphaAt(4, { relativeStep: false, lr: 0.3 })).toBe(0.3);
  });

  it('zero-initialised parameters move by eps2 * rho_t, not 0', () => {
    const x = new Float64Array(4);
    adafactorStep(x, new Float64Array([1, -1, 1, -1]), adafactorInit([2, 2]), ADAFACTOR_DEFAULTS);
    expect(Array.from(x).map((a) => Math.abs(a))).toEqual([1e-5, 1e-5, 1e-5, 1e-5].map((a) => expect.closeTo(a, 18)));
  });

  it('keeps n + m numbers of state for an [n, m] matrix, and no momentum by default', () => {
    const state = adafactorInit([300, 70]);
    expect(state.kind).toBe('factored');
    if (state.kind === 'factored') expect(state.R.length + state.C.length).toBe(370);
    adafactorStep(new Float64Array(21000), new Float64Array(21000).fill(1), state, ADAFACTOR_DEFAULTS);
    expect(state.m).toBeNull();
  });

  it('rejects bad shapes, sizes and hyperparameters with RangeError', () => {
    expect(() => adafactorInit([0] as [number])).toThrow(RangeError);
    expect(() => adafactorInit([2, 2.5])).toThrow(/shape/);
    const step = (over: Partial<AdafactorConfig>, size = 4) =>
      adafactorStep(new Float64Array(size), new Float64Array(size), adafactorInit([2, 2]), {
        ...ADAFACTOR_DEFAULTS,
        ...over,
      });
    expect(() => step({}, 3)).toThrow(/size mismatch/);
    expect(() => step({ decayRate: 0.8 })).toThrow(/decayRate/);
    expect(() => step({ decayRate: -1.5 })).toThrow(/decayRate/);
    expect(() => step({ beta1: 1 })).toThrow(/beta1/);
    expect(() => step({ clipThreshold: 0 })).toThrow(/clipThreshold/);
    expect(() => step({ eps1: -1 })).toThrow(/eps1/);
    expect(() => step({ eps2: NaN })).toThrow(/eps2/);
    expect(() => step({ maxRelativeStep: 0 })).toThrow(/maxRelativeStep/);
    expect(() => step({ relativeStep: false, lr: -0.1 })).toThrow(/lr/);
  });
});
