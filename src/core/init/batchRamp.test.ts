import { describe, expect, it } from 'vitest';
import { lrAt } from '../schedule';
import {
  GPT3_BATCH_RAMP_RANGE_TOKENS,
  GPT3_RECIPE,
  batchSizeAt,
  gpt3BatchRamp,
  gpt3LrSchedule,
  scaledGpt3Recipe,
} from './batchRamp';

describe('batchSizeAt', () => {
  const cfg = { start: 100, end: 1100, rampTokens: 1000 };

  it('is exact at start, middle, end and beyond', () => {
    expect(batchSizeAt(0, cfg)).toBe(100);
    expect(batchSizeAt(250, cfg)).toBe(350);
    expect(batchSizeAt(500, cfg)).toBe(600);
    expect(batchSizeAt(999, cfg)).toBe(1099);
    expect(batchSizeAt(1000, cfg)).toBe(1100);
    expect(batchSizeAt(1e12, cfg)).toBe(1100);
  });

  it('floors fractional sizes when multipleOf is 1', () => {
    // 100 + 1000 * 1 / 3 = 433.33...
    expect(batchSizeAt(1, { start: 100, end: 1100, rampTokens: 3 })).toBe(433);
  });

  it('rounds down to multipleOf but never below start', () => {
    const m = { start: 100, end: 1100, rampTokens: 1000, multipleOf: 64 };
    expect(batchSizeAt(0, m)).toBe(100); // floor(100/64)*64 = 64 < start
    expect(batchSizeAt(100, m)).toBe(192); // raw 200
    expect(batchSizeAt(500, m)).toBe(576); // raw 600
    expect(batchSizeAt(1000, m)).toBe(1088); // end 1100 rounded down
    expect(batchSizeAt(5000, m)).toBe(1088);
  });

  it('is non-decreasing in tokensSeen', () => {
    const m = { start: 32, end: 3200, rampTokens: 12345, multipleOf: 8 };
    let prev = 0;
    for (let t = 0; t <= 13000; t += 7) {
      const b = batchSizeAt(t, m);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
    }
  });

  it('jumps straight to end when rampTokens is 0', () => {
    expect(batchSizeAt(0, { start: 4, end: 40, rampTokens: 0 })).toBe(40);
  });

  it('validates its arguments', () => {
    expect(() => batchSizeAt(-1, cfg)).toThrow(RangeError);
    expect(() => batchSizeAt(Number.NaN, cfg)).toThrow(RangeError);
    expect(() => batchSizeAt(0, { ...cfg, start: 0 })).toThrow(/start/);
    expect(() => batchSizeAt(0, { ...cfg, start: 1.5 })).toThrow(/start/);
    expect(() => batchSizeAt(0, { ...cfg, end: 50 })).toThrow(/end/);
    expect(() => batchSizeAt(0, { ...cfg, rampTokens: -1 })).toThrow(/rampTokens/);
    expect(() => batchSizeAt(0, { ...cfg, rampTokens: Infinity })).toThrow(/rampTokens/);
    expect(() => batchSizeAt(0, { ...cfg, multipleOf: 0 })).toThrow(/multipleOf/);
    expect(() => batchSizeAt(0, { ...cfg, multipleOf: 2.5 })).toThrow(/multipleOf/);
  });
});

describe('GPT-3 recipe', () => {
  it('holds the paper numbers', () => {
    expect(GPT3_RECIPE.batchStartTokens).toBe(32_000);
    expect(GPT3_RECIPE.batchEndTokens).toBe(3_200_000);
    expect(GPT3_RECIPE.warmupTokens).toBe(375_000_000);
    expect(GPT3_RECIPE.decayTokens).toBe(260_000_000_000);
    expect(GPT3_RECIPE.minLrRatio).toBe(0.1);
    expect(GPT3_RECIPE.batchRampTokens).toBeGreaterThanOrEqual(GPT3_BATCH_RAMP_RANGE_TOKENS[0]);
    expect(GPT3_RECIPE.batchRampTokens).toBeLessThanOrEqual(GPT3_BATCH_RAMP_RANGE_TOKENS[1]);
    // 3.2M tokens / 2048 = 1562.5 sequences ("~1500 sequences" in the lecture)
    expect(GPT3_RECIPE.batchEndTokens / GPT3_RECIPE.contextTokens).toBeCloseTo(1562.5, 6);
  });

  it('ramps the full-size batch from 32k to 3.2M tokens', () => {
    const ramp = gpt3BatchRamp(GPT3_RECIPE);
    expect(batchSizeAt(0, ramp)).toBe(32_000);
    expect(batchSizeAt(6e9, ramp)).toBe(1_616_000);
    expect(batchSizeAt(12e9, ramp)).toBe(3_200_000);
    expect(batchSizeAt(300e9, ramp)).toBe(3_200_000);
  });

  it('scales token counts and keeps ratios', () => {
    const r = scaledGpt3Recipe(1000);
    expect(r.batchStartTokens).toBe(32);
    expect(r.batchEndTokens).toBe(3200);
    expect(r.batchRampTokens).toBe(12_000_000);
    expect(r.warmupTokens).toBe(375_000);
    expect(r.decayTokens).toBe(260_000_000);
    expect(r.totalTokens).toBe(300_000_000);
    expect(r.minLrRatio).toBe(0.1);
    expect(r.peakLr).toBe(GPT3_RECIPE.peakLr);
    expect(r.contextTokens).toBe(2048);
    expect(scaledGpt3Recipe(1e12).batchStartTokens).toBe(1);
    expect(scaledGpt3Recipe(1000, { batchRampTokens: 4_000_000 }).batchRampTokens).toBe(4_000_000);
    expect(() => scaledGpt3Recipe(0.5)).toThrow(RangeError);
    expect(() => scaledGpt3Recipe(Number.NaN)).toThrow(RangeError);
  });

  it('gives a token-indexed cosine schedule for lrAt', () => {
    const r = scaledGpt3Recipe(1000);
    const s = gpt3LrSchedule(r);
    expect(lrAt(r.warmupTokens - 1, s)).toBeCloseTo(r.peakLr, 15);
    expect(lrAt(r.decayTokens, s)).toBeCloseTo(0.1 * r.peakLr, 15);
    expect(lrAt(r.totalTokens, s)).toBeCloseTo(0.1 * r.peakLr, 15);
    const mid = (r.warmupTokens + r.decayTokens) / 2;
    expect(lrAt(mid, s)).toBeCloseTo(0.55 * r.peakLr, 15);
  });
});
