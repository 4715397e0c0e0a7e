import { describe, expect, it } from 'vitest';
import { lrAt, lrCurve, type ScheduleConfig } from './schedule';
import { loadFixture, relErr } from './testing';

interface ScheduleGolden {
  /** `reference`: the torch.optim.lr_scheduler chain that produced `lrs`. */
  cases: { reference: string; config: ScheduleConfig; steps: number[]; lrs: number[] }[];
}

const golden = loadFixture<ScheduleGolden>('schedule_golden.json');

describe('lrAt against PyTorch 1.13’s schedulers (scripts/golden/make_golden.py)', () => {
  it.each(golden.cases.map((c) => [`${c.config.kind} w=${c.config.warmupSteps} T=${c.config.totalSteps}`, c] as const))(
    '%s',
    (_name, c) => {
      expect(c.reference).toMatch(/^torch\.optim\.lr_scheduler: /);
      c.steps.forEach((step, i) => {
        // torch's LinearLR and CosineAnnealingLR update recursively, so they drift from the closed
        // forms by rounding (at most 7e-15 here), and Math.cos/sqrt may differ from libm by an ulp: 1e-12.
        expect(relErr(lrAt(step, c.config), c.lrs[i]), `step ${step}`).toBeLessThan(1e-12);
      });
    },
  );
});

describe('lrAt shape', () => {
  const gpt3: ScheduleConfig = { kind: 'cosine', lr: 6e-4, warmupSteps: 10, totalSteps: 110, minLrRatio: 0.1 };

  it('warms up linearly so the first step is non-zero and step warmup-1 is the peak', () => {
    expect(lrAt(0, gpt3)).toBeCloseTo(6e-5, 15);
    expect(lrAt(9, gpt3)).toBe(6e-4);
    for (let s = 1; s < 10; s++) expect(lrAt(s, gpt3)).toBeGreaterThan(lrAt(s - 1, gpt3));
  });

  it('decays cosine and linear to peak * minLrRatio at totalSteps and stays there', () => {
    for (const kind of ['cosine', 'linear'] as const) {
      const cfg = { ...gpt3, kind };
      expect(lrAt(10, cfg)).toBeCloseTo(6e-4, 15);
      expect(lrAt(110, cfg)).toBeCloseTo(6e-5, 15);
      expect(lrAt(500, cfg)).toBeCloseTo(6e-5, 15);
      const curve = lrCurve(cfg, 111);
      for (let s = 11; s < curve.length; s++) expect(curve[s]).toBeLessThanOrEqual(curve[s - 1]);
    }
    // Cosine is at the midpoint halfway through the decay.
    expect(lrAt(60, gpt3)).toBeCloseTo((6e-4 + 6e-5) / 2, 15);
  });

  it('keeps constant at the peak and decays inverse-sqrt as 1/sqrt(step)', () => {
    expect(lrAt(1000, { ...gpt3, kind: 'constant' })).toBe(6e-4);
    const inv = { ...gpt3, kind: 'inverse-sqrt' as const };
    expect(lrAt(39, inv)).toBeCloseTo(6e-4 * Math.sqrt(10 / 40), 15);
    expect(lrAt(159, inv) / lrAt(39, inv)).toBeCloseTo(0.5, 12);
  });

  it('handles warmupSteps = 0 (starts at the peak) and totalSteps <= warmupSteps', () => {
    expect(lrAt(0, { ...gpt3, warmupSteps: 0 })).toBeCloseTo(6e-4, 15);
    // The decay then spans max(1, totalSteps - warmupSteps) = 1 step.
    const short = { ...gpt3, warmupSteps: 5, totalSteps: 5 };
    expect(lrAt(5, short)).toBeCloseTo(6e-4, 15);
    expect(lrAt(6, short)).toBeCloseTo(6e-5, 15);
  });

  it('lrCurve lists every step', () => {
    const curve = lrCurve(gpt3);
    expect(curve.length).toBe(110);
    expect(curve[42]).toBe(lrAt(42, gpt3));
  });
});
