import { describe, expect, it } from 'vitest';
import { attentionLogitStd, expectedAttentionLogitStd, residualStackStats, residualWeightStds } from './residualStack';

const L = 48;

// The depth-48, seed-0 runs are shared by several tests (each takes ~0.1-0.3 s).
const memo = new Map<string, ReturnType<typeof residualStackStats>>();
function deep(scheme: 'xavier' | 'normal' | 'gpt2'): ReturnType<typeof residualStackStats> {
  let r = memo.get(scheme);
  if (r === undefined) {
    r = residualStackStats({ scheme, depth: L, batch: 16, seed: 0 });
    memo.set(scheme, r);
  }
  return r;
}

describe('residualStackStats', () => {
  it('is deterministic for a fixed seed', () => {
    const a = residualStackStats({ scheme: 'xavier', depth: 4, batch: 8, seed: 7 });
    const b = residualStackStats({ scheme: 'xavier', depth: 4, batch: 8, seed: 7 });
    const c = residualStackStats({ scheme: 'xavier', depth: 4, batch: 8, seed: 8 });
    expect(Array.from(a.actRms)).toEqual(Array.from(b.actRms));
    expect(Array.from(a.gradNorm)).toEqual(Array.from(b.gradNorm));
    expect(a.loss).toBe(b.loss);
    expect(a.actRms[4]).not.toBe(c.actRms[4]);
    expect(a.actRms.length).toBe(5);
    expect(a.gradNorm.length).toBe(5);
  });

  it('uses the documented weight stds', () => {
    expect(residualWeightStds('xavier', 64, 256, 48)).toEqual([1 / 8, 1 / 16]);
    expect(residualWeightStds('normal', 64, 256, 48)).toEqual([0.02, 0.02]);
    const [s1, s2] = residualWeightStds('gpt2', 64, 256, 48);
    expect(s1).toBe(0.02);
    expect(s2).toBeCloseTo(0.02 / Math.sqrt(96), 15);
  });

  it('backprop matches central finite differences of the loss', () => {
    const opts = { scheme: 'normal' as const, std: 0.3, depth: 3, width: 6, hidden: 10, batch: 2, seed: 3 };
    const base = residualStackStats(opts);
    const x0 = new Float64Array(12);
    for (let i = 0; i < 12; i++) x0[i] = Math.sin(1.3 * i + 0.2); // fixed, non-degenerate inputs
    const at = residualStackStats({ ...opts, inputs: x0 });
    expect(at.loss).not.toBe(base.loss);
    const eps = 1e-6;
    for (let k = 0; k < 12; k++) {
      const plus = Float64Array.from(x0);
      const minus = Float64Array.from(x0);
      plus[k] += eps;
      minus[k] -= eps;
      const fd =
        (residualStackStats({ ...opts, inputs: plus }).loss - residualStackStats({ ...opts, inputs: minus }).loss) /
        (2 * eps);
      expect(Math.abs(fd - at.inputGrad[k])).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it('L = 1: the mean-square growth matches 1 + s1^2 s2^2 d hidden / 2', () => {
    // d = 256 and hidden = 1024 make the per-seed fluctuation a few percent.
    const x = residualStackStats({ scheme: 'xavier', depth: 1, width: 256, batch: 16, seed: 0 });
    expect(x.expectedGrowth).toBe(1.5);
    expect(Math.abs(x.actRms[1] ** 2 / x.actRms[0] ** 2 - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(x.gradNorm[0] ** 2 / x.gradNorm[1] ** 2 - 1.5)).toBeLessThan(0.15);
    const n = residualStackStats({ scheme: 'normal', std: 0.05, depth: 1, width: 256, batch: 16, seed: 0 });
    // 1 + 0.05^4 * 256 * 1024 / 2 = 1.8192
    expect(n.expectedGrowth).toBeCloseTo(1.8192, 12);
    expect(Math.abs(n.actRms[1] ** 2 / n.actRms[0] ** 2 - 1.8192)).toBeLessThan(0.12);
  });

  it('xavier: RMS grows geometrically, about 1.5^(l/2)', () => {
    const r = deep('xavier');
    const expected = 1.5 ** (L / 2); // 1.68e4
    const ratio = r.actRms[L] / r.actRms[0];
    expect(ratio).toBeGreaterThan(expected / 3);
    expect(ratio).toBeLessThan(expected * 3);
    // geometric: the mean log growth per layer is log(1.5)/2 = 0.203
    const perLayer = Math.log(ratio) / L;
    expect(Math.abs(perLayer - Math.log(1.5) / 2)).toBeLessThan(0.03);
    // the backward pass blows up by the same factor
    const gRatio = r.gradNorm[0] / r.gradNorm[L];
    expect(gRatio).toBeGreaterThan(expected / 3);
    expect(gRatio).toBeLessThan(expected * 3);
  });

  it('normal (std 0.02): RMS barely grows at d = 64', () => {
    const r = deep('normal');
    // g = 0.02^4 * 64 * 256 / 2 = 1.31e-3 per layer; sqrt(1.00131^48) = 1.032
    const expected = Math.sqrt(r.expectedGrowth ** L);
    expect(expected).toBeCloseTo(1.032, 3);
    expect(Math.abs(r.actRms[L] / r.actRms[0] - expected)).toBeLessThan(0.02);
    expect(Math.abs(r.gradNorm[0] / r.gradNorm[L] - expected)).toBeLessThan(0.05);
  });

  it('gpt2: residual scaling tempers growth compared to xavier and normal at depth 48', () => {
    const x = deep('xavier');
    const n = deep('normal');
    const g = deep('gpt2');
    const gr = g.actRms[L] / g.actRms[0];
    expect(Math.abs(gr - 1)).toBeLessThan(0.005);
    expect(gr * 1000).toBeLessThan(x.actRms[L] / x.actRms[0]);
    expect(gr).toBeLessThan(n.actRms[L] / n.actRms[0] - 0.01);
    expect(Math.abs(g.gradNorm[0] / g.gradNorm[L] - 1)).toBeLessThan(0.01);
  });

  it('gpt2 vs normal with a larger std (0.06), depth 24: 1/sqrt(2L) removes most of the growth', () => {
    // g = 0.06^4 * 64 * 256 / 2 = 0.106 per layer: normal RMS ~ 1.106^12 = 3.4,
    // gpt2 (g / 48 per layer) ~ exp(0.106 / 4) = 1.027
    const D = 24;
    const n = residualStackStats({ scheme: 'normal', std: 0.06, depth: D, batch: 16, seed: 1 });
    const g = residualStackStats({ scheme: 'gpt2', std: 0.06, depth: D, batch: 16, seed: 1 });
    const nr = n.actRms[D] / n.actRms[0];
    const gr = g.actRms[D] / g.actRms[0];
    expect(nr).toBeGreaterThan(2);
    expect(nr).toBeLessThan(6);
    expect(gr).toBeGreaterThan(0.99);
    expect(gr).toBeLessThan(1.07);
  });

  it('validates its options', () => {
    expect(() => residualStackStats({ scheme: 'xavier', depth: 0 })).toThrow(/depth/);
    expect(() => residualStackStats({ scheme: 'xavier', depth: 2, width: 3.5 })).toThrow(/width/);
    expect(() => residualStackStats({ scheme: 'normal', depth: 2, std: 0 })).toThrow(/std/);
    expect(() =>
      residualStackStats({ scheme: 'normal', depth: 2, batch: 2, width: 4, inputs: new Float64Array(7) }),
    ).toThrow(/inputs/);
    expect(() => residualStackStats({ scheme: 'bogus' as never, depth: 2 })).toThrow(/scheme/);
  });
});

describe('attentionLogitStd', () => {
  const d = 64;

  it('standard attention: unit-variance q, k and 1/sqrt(d) scaling give std ~ 1', () => {
    const opts = { qStd: 1 / Math.sqrt(d), scaleBy: 1 / Math.sqrt(d), samples: 2000 };
    expect(expectedAttentionLogitStd(d, opts)).toBeCloseTo(1, 12);
    for (const seed of [0, 1]) {
      expect(Math.abs(attentionLogitStd(d, { ...opts, seed }) - 1)).toBeLessThan(0.1);
    }
  });

  it('without the 1/sqrt(d) the logits are sqrt(d) = 8 times larger', () => {
    const opts = { qStd: 1 / Math.sqrt(d), scaleBy: 1, samples: 2000, seed: 0 };
    expect(expectedAttentionLogitStd(d, opts)).toBeCloseTo(8, 12);
    expect(Math.abs(attentionLogitStd(d, opts) / 8 - 1)).toBeLessThan(0.1);
  });

  it("T5's folded init (W_q ~ N(0, 1/(d d_kv)), W_k ~ N(0, 1/d), no scaling) gives the same logit scale", () => {
    const t5 = { qStd: 1 / Math.sqrt(d * d), kStd: 1 / Math.sqrt(d), scaleBy: 1, samples: 2000 };
    const std = { qStd: 1 / Math.sqrt(d), scaleBy: 1 / Math.sqrt(d), samples: 2000 };
    expect(expectedAttentionLogitStd(d, t5)).toBeCloseTo(1, 12);
    expect(Math.abs(attentionLogitStd(d, { ...t5, seed: 5 }) - 1)).toBeLessThan(0.1);
    // Same seed: the same Gaussian draws, rescaled, so the two are equal up to rounding.
    expect(attentionLogitStd(d, { ...t5, seed: 2 })).toBeCloseTo(attentionLogitStd(d, { ...std, seed: 2 }), 10);
  });

  it('handles d_kv != d (per-head size)', () => {
    const dKv = 16;
    const opts = { qStd: 1 / Math.sqrt(d), scaleBy: 1 / Math.sqrt(dKv), dKv, samples: 2000, seed: 4 };
    expect(expectedAttentionLogitStd(d, opts)).toBeCloseTo(1, 12);
    expect(Math.abs(attentionLogitStd(d, opts) - 1)).toBeLessThan(0.12);
  });

  it('validates its options', () => {
    expect(() => attentionLogitStd(0, { qStd: 1, scaleBy: 1 })).toThrow(/d must/);
    expect(() => attentionLogitStd(4, { qStd: 1, scaleBy: 1, samples: 1 })).toThrow(/samples/);
    expect(() => attentionLogitStd(4, { qStd: -1, scaleBy: 1 })).toThrow(/qStd/);
    expect(() => attentionLogitStd(4, { qStd: 1, scaleBy: 1, dKv: 0 })).toThrow(/dKv/);
  });
});
