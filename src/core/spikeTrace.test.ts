import { describe, expect, it } from 'vitest';
import { adamSpikeTrace, type SpikeTraceConfig } from './spikeTrace';

const cfg: SpikeTraceConfig = { steps: 60, spikeAt: 10, base: 0.5, spike: 100, clip: 1, beta1: 0.9, beta2: 0.95 };

/**
 * Adam's update / η for one parameter, written out as the sums the moments are
 * (m_t = (1-β₁) Σ β₁^(t-i) g_i, v_t likewise with g²), bias-corrected, with
 * ε = 0: a second derivation, not the step-by-step recursion adamStep uses.
 */
function closedForm(gs: number[], beta1: number, beta2: number): number[] {
  return gs.map((_, k) => {
    const t = k + 1;
    let m = 0;
    let v = 0;
    for (let i = 1; i <= t; i++) {
      m += (1 - beta1) * beta1 ** (t - i) * gs[i - 1];
      v += (1 - beta2) * beta2 ** (t - i) * gs[i - 1] ** 2;
    }
    return Math.abs(m / (1 - beta1 ** t) / Math.sqrt(v / (1 - beta2 ** t)));
  });
}

describe('adamSpikeTrace', () => {
  const trace = adamSpikeTrace(cfg);
  const gs = Array.from({ length: cfg.steps }, (_, k) => (k + 1 === cfg.spikeAt ? cfg.base * cfg.spike : cfg.base));

  it('agrees with the moments written as sums, without clipping and with the spike clipped to c', () => {
    const want = closedForm(gs, cfg.beta1, cfg.beta2);
    trace.unclipped.forEach((u, k) => expect(u).toBeCloseTo(want[k], 10));
    const clipped = closedForm(
      gs.map((g) => Math.min(g, cfg.clip)),
      cfg.beta1,
      cfg.beta2,
    );
    trace.clipped.forEach((u, k) => expect(u).toBeCloseTo(clipped[k], 10));
  });

  it('takes full steps (η) while the gradient is steady, in both runs', () => {
    for (let k = 0; k < cfg.spikeAt - 1; k++) {
      expect(trace.unclipped[k]).toBeCloseTo(1, 12);
      expect(trace.clipped[k]).toBeCloseTo(1, 12);
    }
  });

  it('without clipping, the steps after the spike shrink far below η for many steps; clipped, they barely do', () => {
    // 20 steps after the spike (1/(1 - β₂) = 20), the unclipped run still moves less than a fifth of η.
    expect(trace.unclipped[cfg.spikeAt + 19]).toBeLessThan(0.2);
    expect(Math.min(...trace.clipped.slice(cfg.spikeAt))).toBeGreaterThan(0.5);
  });

  it('rejects a spike outside the run', () => {
    expect(() => adamSpikeTrace({ ...cfg, spikeAt: 0 })).toThrow(RangeError);
    expect(() => adamSpikeTrace({ ...cfg, clip: 0 })).toThrow(RangeError);
  });
});
