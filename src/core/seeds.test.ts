import { describe, expect, it } from 'vitest';
import { mixSeed } from './fullSentences';
import { seedFor, type SeedStream } from './seeds';

describe('seedFor', () => {
  it('keeps the derivations runs were recorded with (a changed stream would change every curve)', () => {
    expect(seedFor(1, 'init')).toBe(1 ^ 0x243f6a88);
    expect(seedFor(1, 'data')).toBe(1 ^ 0x85a308d3);
    expect(seedFor(7, 'noise')).toBe(7 ^ 0x3707344a);
    expect(seedFor(7, 'eval')).toBe(7 ^ 0x13198a2e);
    expect(seedFor(7, 'evalNoise')).toBe(7 ^ 0x13198a2e ^ 0x3707344a);
    expect(seedFor(7, 'staticMask', 3, 4)).toBe(mixSeed(7, 3, 4));
    expect(seedFor(2, 'sample', 5)).toBe((2 * 1_000_003 + 5) >>> 0);
    expect(seedFor(2, 'maskDraw', 1)).toBe(2 * 7919 + 1);
    expect(seedFor(2, 'maskStats', 1)).toBe(2 * 104729 + 1);
    expect(seedFor(2, 'noiseDraw', 1)).toBe(2 * 65537 + 1);
  });

  // The demos' streams each feed a different demo, so only the training streams must differ.
  it('gives every training stream of a run its own seed', () => {
    const streams: SeedStream[] = ['init', 'data', 'noise', 'eval', 'evalNoise', 'staticMask'];
    for (const seed of [0, 1, 42, 2147483647]) {
      const seeds = streams.map((s) => seedFor(seed, s, 0));
      expect(new Set(seeds).size).toBe(streams.length);
    }
  });
});
