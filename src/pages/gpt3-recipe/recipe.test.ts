import { describe, expect, it } from 'vitest';
import { batchSizeAt, lrAt } from '../../core';
import {
  formatTokens,
  gpt3Curves,
  gpt3Steps,
  rampLengthSteps,
  rampRows,
  rampTokensForSteps,
  sampleSteps,
  scheduleCurve,
  stepsForTokens,
  toyRecipe,
} from './recipe';

describe('stepsForTokens', () => {
  it('matches a step-by-step count when one batch is small against the ramp', () => {
    const ramp = { start: 100, end: 1000, rampTokens: 1e6 };
    // Discrete count: add the current batch size until `tokens` are seen.
    const count = (tokens: number) => {
      let t = 0;
      let k = 0;
      while (t < tokens) {
        t += 100 + (900 * Math.min(t, 1e6)) / 1e6;
        k++;
      }
      return k;
    };
    for (const tokens of [5e4, 5e5, 1e6, 3e6]) expect(stepsForTokens(tokens, ramp)).toBeCloseTo(count(tokens), -1);
  });

  it('is closed-form exact: ln(10) * R / (end - start) for the whole ramp, then tokens / end', () => {
    const ramp = { start: 100, end: 1000, rampTokens: 9e5 };
    expect(stepsForTokens(9e5, ramp)).toBeCloseTo(1000 * Math.log(10), 9);
    expect(stepsForTokens(9e5 + 5000, ramp)).toBeCloseTo(1000 * Math.log(10) + 5, 9);
    expect(stepsForTokens(500, { start: 10, end: 10, rampTokens: 100 })).toBe(50);
    expect(stepsForTokens(500, { start: 10, end: 50, rampTokens: 0 })).toBe(10);
    expect(() => stepsForTokens(-1, ramp)).toThrow(RangeError);
  });
});

describe('gpt3Steps', () => {
  it('puts GPT-3 warmup at ~5% and the ramp at ~16% of its optimiser steps', () => {
    const s = gpt3Steps();
    // 12e9 / 3.168e6 * ln(131k / 32k) with b(375M) = 32k + 3.168M * 375M / 12B = 131k.
    expect(s.warmup).toBeCloseTo((12e9 / 3.168e6) * Math.log(131_000 / 32_000), 6);
    expect(s.ramp).toBeCloseTo((12e9 / 3.168e6) * Math.log(100), 6);
    expect(s.total - s.ramp).toBeCloseTo(288e9 / 3.2e6, 6);
    expect(s.decay - s.ramp).toBeCloseTo(248e9 / 3.2e6, 6);
    expect(s.share.warmup).toBeCloseTo(0.04969, 4);
    expect(s.share.ramp).toBeCloseTo(0.16235, 4);
    expect(s.share.decay).toBeCloseTo(0.88366, 4);
  });
});

describe('toy batch ramp', () => {
  const ramp = { start: 1, end: 8, rampTokens: 4065 };
  it('feeds each step the rows batchSizeAt gives for the tokens seen so far', () => {
    const rows = rampRows(ramp, 32, 60);
    // Step 19 has seen 19 * 32 = 608 tokens: 1 + 7 * 608 / 4065 = 2.05 rows; step 18: 1 + 7 * 576 / 4065 = 1.99.
    expect(rows.slice(0, 19)).toEqual(Array(19).fill(1));
    expect(rows[19]).toBe(2);
    expect(rows[48]).toBe(7);
    expect(rows[49]).toBe(8);
    let tokens = 0;
    for (const r of rows) {
      expect(r).toBe(batchSizeAt(tokens, ramp));
      tokens += r * 32;
    }
  });

  it('counts the ramp in steps and inverts that count', () => {
    expect(rampLengthSteps(ramp, 32)).toBe(49);
    expect(rampLengthSteps({ ...ramp, rampTokens: 0 }, 32)).toBe(0);
    const r = rampTokensForSteps(1, 8, 32, 49);
    expect(rampLengthSteps({ start: 1, end: 8, rampTokens: r }, 32)).toBe(49);
    expect(rampLengthSteps({ start: 1, end: 8, rampTokens: r - 1 }, 32)).toBe(48);
    expect(rampTokensForSteps(8, 8, 32, 49)).toBe(0);
  });
});

describe('toyRecipe', () => {
  it('gives the toy the same shares of its steps as GPT-3', () => {
    const t = toyRecipe({ lr: 0.02, steps: 300, batch: 8, contextLength: 32 });
    expect(t.warmupSteps).toBe(15); // 300 * 0.0497
    expect(t.decaySteps).toBe(265); // 300 * 0.8837
    expect(t.rampSteps).toBe(49); // 300 * 0.1624 = 48.7
    expect(t.ramp).toEqual({ start: 1, end: 8, rampTokens: 4065 });
    expect(t.tokensPerStep).toBe(256);
    expect(t.schedule).toEqual({ kind: 'cosine', lr: 0.02, warmupSteps: 15, totalSteps: 265, minLrRatio: 0.1 });
  });

  it('starts the ramp at 1% of a large batch and keeps warmup and decay apart on short runs', () => {
    expect(toyRecipe({ lr: 0.01, steps: 1000, batch: 300, contextLength: 32 }).ramp.start).toBe(3);
    const short = toyRecipe({ lr: 0.01, steps: 20, batch: 2, contextLength: 32 });
    expect(short.warmupSteps).toBe(1);
    expect(short.decaySteps).toBe(18);
    expect(short.decaySteps).toBeGreaterThan(short.warmupSteps);
  });
});

describe('curves', () => {
  it('samples at most 150 steps, first and last included', () => {
    const s = sampleSteps(20000);
    expect(s.length).toBeLessThanOrEqual(150);
    expect(s[0]).toBe(0);
    expect(s.at(-1)).toBe(19999);
    expect(sampleSteps(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('draws the toy schedule with lrAt', () => {
    const t = toyRecipe({ lr: 0.02, steps: 300, batch: 8, contextLength: 32 });
    const c = scheduleCurve(t.schedule, 300);
    expect(c.find((p) => p.step === 15)!.value).toBeCloseTo(0.02, 12); // every 3rd step is drawn; 15 is the first after warmup
    expect(c.at(-1)!.value).toBeCloseTo(0.002, 12);
    expect(c[0].value).toBe(lrAt(0, t.schedule));
  });

  it('draws GPT-3 over billions of tokens: ramp to 3.2M by 12B, peak at 375M, 10% from 260B', () => {
    const { batch, lr } = gpt3Curves();
    const at = (pts: { step: number; value: number }[], x: number) => pts.find((p) => p.step === x)!.value;
    expect(at(batch, 0)).toBeCloseTo(0.032, 9);
    expect(at(batch, 6)).toBeCloseTo(1.616, 9);
    expect(at(batch, 12)).toBeCloseTo(3.2, 9);
    expect(at(lr, 0)).toBeLessThan(1e-8);
    expect(at(lr, 0.375)).toBeCloseTo(1, 9);
    expect(at(lr, 260)).toBeCloseTo(0.1, 9);
    expect(at(lr, 300)).toBeCloseTo(0.1, 9);
    expect(batch.length).toBeLessThanOrEqual(150);
  });
});

describe('formatTokens', () => {
  it('writes the paper numbers the way the paper does', () => {
    expect([3.2e6, 375e6, 12e9, 32_000, 260e9, 300e9, 256, 1_562_500].map(formatTokens)).toEqual([
      '3.2M',
      '375M',
      '12B',
      '32k',
      '260B',
      '300B',
      '256',
      '1.56M',
    ]);
  });
});
