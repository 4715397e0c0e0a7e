// The bias-correction panel's numbers: what its charts draw and what its text quotes.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BiasCorrection, chartSteps, correctionCurve, summariseUncorrected, uncorrectedStep } from './BiasCorrection';

describe('bias correction panel', () => {
  it('draws t = 1 itself: at most 150 points (no averaging in the chart), every step up to 100', () => {
    for (const beta2 of [0, 0.95, 0.99, 0.999, 0.99999]) {
      const steps = chartSteps(beta2);
      expect(steps.length).toBeLessThanOrEqual(150);
      expect(steps.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(new Set(steps).size).toBe(steps.length);
    }
    expect(correctionCurve(0.99, chartSteps(0.99))[0]).toEqual({ step: 1, value: expect.closeTo(100, 9) });
  });

  it('the uncorrected step for a constant gradient at beta 0.9 / 0.99: 1 at t = 1, about 2.13 at t = 13, within 1% from t = 391', () => {
    expect(uncorrectedStep(0.9, 0.99, 1)).toBeCloseTo(1, 12);
    const s = summariseUncorrected(0.9, 0.99);
    expect(s.first).toBeCloseTo(1, 12);
    expect(s.peakStep).toBe(13);
    expect(s.peak).toBeCloseTo(2.1311, 4);
    expect(s.settled).toBe(391);
    expect(uncorrectedStep(0.9, 0.99, 390)).toBeGreaterThan(1.01);
    expect(uncorrectedStep(0.9, 0.99, 391)).toBeLessThan(1.01);
  });

  it('the text quotes those numbers', () => {
    const html = renderToStaticMarkup(createElement(BiasCorrection, { beta1: 0.9, beta2: 0.99 }));
    expect(html).toContain('1.00 η at t = 1, rising to 2.13 η at t = 13');
    expect(html).toContain('within 1% of η from t = 391 on');
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });
});
