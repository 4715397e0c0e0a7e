import { describe, expect, it } from 'vitest';
import { residualStackStats } from '../../core/init';
import {
  answer,
  attentionRows,
  equivalentSigma,
  growthPerLayer,
  predictedRatio,
  requestKey,
  stackStats,
  summarize,
} from './stats';

describe('stackStats', () => {
  const input = { depth: 12, width: 32, std: 0.02, batch: 8, seed: 3 };
  const stats = stackStats(input);

  it('returns the three schemes, L + 1 layers each, equal to core’s numbers', () => {
    expect(stats.map((s) => s.scheme)).toEqual(['xavier', 'normal', 'gpt2']);
    const core = residualStackStats({ scheme: 'gpt2', ...input });
    expect(stats[2].actRms).toEqual(Array.from(core.actRms));
    expect(stats[2].gradNorm).toEqual(Array.from(core.gradNorm));
    expect(stats[2].actRms).toHaveLength(13);
    // same inputs for every scheme: layer 0 agrees
    expect(stats[0].actRms[0]).toBe(stats[1].actRms[0]);
  });

  it('summarize: Xavier grows about 1.5^(L/2) = 11.3 over 12 layers, GPT-2 stays near 1', () => {
    const x = summarize(stats[0]);
    expect(x.predicted).toBeCloseTo(1.5 ** 6, 9);
    expect(x.actRatio).toBeGreaterThan(11.39 / 2);
    expect(x.actRatio).toBeLessThan(11.39 * 2);
    expect(x.gradRatio).toBeGreaterThan(11.39 / 2);
    const g = summarize(stats[2]);
    expect(Math.abs(g.actRatio - 1)).toBeLessThan(0.01);
  });
});

describe('growthPerLayer', () => {
  it('matches core’s expectedGrowth for every scheme', () => {
    for (const scheme of ['xavier', 'normal', 'gpt2'] as const) {
      const core = residualStackStats({ scheme, depth: 5, width: 16, std: 0.07, batch: 1, seed: 0 });
      expect(growthPerLayer(scheme, 16, 5, 0.07)).toBeCloseTo(core.expectedGrowth, 14);
    }
  });

  it('GPT-2 width: N(0, 0.02²) has g = 2 σ⁴ d² = 0.189 per layer; GPT-2’s scaling divides g by 2L', () => {
    const normal = growthPerLayer('normal', 768, 48, 0.02);
    expect(normal - 1).toBeCloseTo(2 * 0.02 ** 4 * 768 ** 2, 12);
    expect(normal - 1).toBeCloseTo(0.1887, 4);
    expect(growthPerLayer('gpt2', 768, 48, 0.02) - 1).toBeCloseTo((normal - 1) / 96, 12);
    expect(predictedRatio(normal, 48)).toBeCloseTo(normal ** 24, 6);
    expect(predictedRatio(normal, 48)).toBeGreaterThan(60);
  });
});

describe('equivalentSigma', () => {
  it('gives the same per-layer growth at the smaller width', () => {
    const s = equivalentSigma(0.02, 768, 64);
    expect(s).toBeCloseTo(0.0693, 4);
    expect(growthPerLayer('normal', 64, 48, s)).toBeCloseTo(growthPerLayer('normal', 768, 48, 0.02), 12);
    expect(growthPerLayer('gpt2', 64, 48, s)).toBeCloseTo(growthPerLayer('gpt2', 768, 48, 0.02), 12);
  });
});

describe('attentionRows', () => {
  it('unscaled logits grow like sqrt(d); scaled and T5 stay at 1 and agree with each other', () => {
    const rows = attentionRows(0, [16, 64], 400);
    for (const r of rows) {
      expect(r.expected.unscaled).toBeCloseTo(Math.sqrt(r.d), 9);
      expect(r.expected.scaled).toBeCloseTo(1, 9);
      expect(r.expected.t5).toBeCloseTo(1, 9);
      expect(Math.abs(r.sampled.unscaled / Math.sqrt(r.d) - 1)).toBeLessThan(0.2);
      expect(Math.abs(r.sampled.scaled - 1)).toBeLessThan(0.2);
      expect(r.sampled.t5).toBeCloseTo(r.sampled.scaled, 9);
    }
  });
});

describe('answer', () => {
  it('dispatches on kind, and equal requests have equal keys', () => {
    const a = answer({ kind: 'stack', input: { depth: 2, width: 8, std: 0.02, batch: 2, seed: 0 } });
    expect(a.kind).toBe('stack');
    expect(requestKey({ kind: 'attention', seed: 1 })).toBe(requestKey({ kind: 'attention', seed: 1 }));
    expect(requestKey({ kind: 'attention', seed: 1 })).not.toBe(requestKey({ kind: 'attention', seed: 2 }));
    expect(() => answer({ kind: 'stack', input: { depth: 0, width: 8, std: 0.02, batch: 2, seed: 0 } })).toThrow(
      /depth/,
    );
  });
});
