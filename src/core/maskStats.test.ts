import { describe, expect, it } from 'vitest';
import { bertSelectCount } from './bertMask';
import { sampleMaskStats, type MaskStats, type MaskStatsOptions, type RateStat } from './maskStats';
import { makeRng, randomInt } from './rng';

const PAD = 0;
const MASK = 1;
const CLS = 2;
const SEP = 3;
const VOCAB = 40;
const PROTECTED: ReadonlySet<number> = new Set([PAD, MASK, CLS, SEP]);

/** [CLS] 20 words [SEP] 14 words [SEP] [PAD] x3: 40 tokens, 34 eligible. */
function makeSequence(seed: number, vocab = VOCAB): number[] {
  const rng = makeRng(seed);
  const word = () => 4 + randomInt(rng, vocab - 4);
  return [CLS, ...Array.from({ length: 20 }, word), SEP, ...Array.from({ length: 14 }, word), SEP, PAD, PAD, PAD];
}

const opts = (seed: number, runs: number, extra: Partial<MaskStatsOptions> = {}): MaskStatsOptions => ({
  runs,
  maskId: MASK,
  vocabSize: VOCAB,
  rng: makeRng(seed),
  protectedIds: PROTECTED,
  ...extra,
});

/** |observed - expected| in the rate's own standard deviations. */
const zOf = (r: RateStat) => Math.abs(r.observed - r.expected) / r.sd;

/** Every consistency a correct count must satisfy, whatever the rates. */
function expectConsistent(s: MaskStats, eligiblePerRun: number, selectRate: number): void {
  const perRun = bertSelectCount(eligiblePerRun, selectRate);
  expect(s.eligibleTotal).toBe(s.runs * eligiblePerRun);
  expect(s.selectedTotal).toBe(s.runs * perRun);
  expect(s.maskTotal + s.randomTotal + s.keepTotal).toBe(s.selectedTotal);
  expect(s.randomEqualsOriginal).toBeLessThanOrEqual(s.randomTotal);
  expect(s.rates.selected.expected).toBe(perRun / eligiblePerRun);
  expect(s.rates.selected.observed).toBe(s.rates.selected.expected);
  expect(s.rates.selected.sd).toBe(0);
}

describe('sampleMaskStats rates (fixed seeds, 4-sd tolerance)', () => {
  interface Setting {
    label: string;
    seed: number;
    extra: Partial<MaskStatsOptions>;
    select: number;
    mask: number;
    random: number;
  }
  const settings: Setting[] = [
    { label: "BERT's 0.15 / 0.8 / 0.1", seed: 1, extra: {}, select: 0.15, mask: 0.8, random: 0.1 },
    {
      label: 'edited 0.3 / 0.5 / 0.25',
      seed: 2,
      extra: { selectRate: 0.3, maskProb: 0.5, randomProb: 0.25 },
      select: 0.3,
      mask: 0.5,
      random: 0.25,
    },
    {
      label: 'no random replacement 0.5 / 0.9 / 0',
      seed: 3,
      extra: { selectRate: 0.5, maskProb: 0.9, randomProb: 0 },
      select: 0.5,
      mask: 0.9,
      random: 0,
    },
  ];
  for (const { label, seed, extra, select, mask, random } of settings) {
    it(label, () => {
      const s = sampleMaskStats(makeSequence(seed), opts(seed, 5000, extra));
      expectConsistent(s, 34, select);
      expect(s.rates.mask.expected).toBe(mask);
      expect(s.rates.random.expected).toBe(random);
      expect(s.rates.keep.expected).toBeCloseTo(1 - mask - random, 12);
      expect(s.rates.mask.sd).toBeCloseTo(Math.sqrt((mask * (1 - mask)) / s.selectedTotal), 15);
      for (const key of ['mask', 'random', 'keep'] as const) {
        const r = s.rates[key];
        if (r.sd === 0) expect(r.observed, key).toBe(r.expected);
        else expect(zOf(r), key).toBeLessThan(4);
      }
    });
  }

  it('reports the rounded selection count, not selectRate: 0.25 of 10 eligible selects 3', () => {
    const tokens = [CLS, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, SEP];
    const s = sampleMaskStats(tokens, opts(4, 200, { selectRate: 0.25 }));
    expectConsistent(s, 10, 0.25);
    expect(s.rates.selected.expected).toBe(0.3);
    expect(s.selectedTotal).toBe(600);
    // A 3-token sentence still yields one target per run at 0.15: rate 1/3.
    const short = sampleMaskStats([CLS, 7, 8, 9, SEP], opts(4, 50));
    expect(short.rates.selected.observed).toBe(1 / 3);
  });

  it('counts random replacements that drew the original, at rate 1 / |pool| (small vocabulary)', () => {
    // Vocabulary 8 minus 4 protected ids leaves a pool of 4 replacement ids,
    // and every word is in the pool: 1 in 4 random replacements is a no-op.
    const tokens = makeSequence(5, 8);
    const s = sampleMaskStats(tokens, opts(5, 4000, { vocabSize: 8, selectRate: 0.5, maskProb: 0.2, randomProb: 0.6 }));
    expectConsistent(s, 34, 0.5);
    expect(s.rates.randomEqualsOriginal.expected).toBe(0.25);
    expect(s.rates.randomEqualsOriginal.trials).toBe(s.randomTotal);
    expect(zOf(s.rates.randomEqualsOriginal)).toBeLessThan(4);
    expect(zOf(s.rates.random)).toBeLessThan(4);
  });

  it('is reproducible from its seed', () => {
    const tokens = makeSequence(6);
    expect(sampleMaskStats(tokens, opts(9, 300))).toEqual(sampleMaskStats(tokens, opts(9, 300)));
    expect(sampleMaskStats(tokens, opts(9, 300))).not.toEqual(sampleMaskStats(tokens, opts(10, 300)));
  });
});

describe('sampleMaskStats exact cases', () => {
  it('all-mask and all-keep settings give exact counts', () => {
    const tokens = makeSequence(7);
    const allMask = sampleMaskStats(tokens, opts(1, 10, { selectRate: 1, maskProb: 1, randomProb: 0 }));
    const { selectedTotal, maskTotal, randomTotal, keepTotal } = allMask;
    expect([selectedTotal, maskTotal, randomTotal, keepTotal]).toEqual([340, 340, 0, 0]);
    expect(allMask.rates.mask).toEqual({ observed: 1, expected: 1, sd: 0, trials: 340 });
    const allKeep = sampleMaskStats(tokens, opts(1, 10, { selectRate: 1, maskProb: 0, randomProb: 0 }));
    expect(allKeep.keepTotal).toBe(340);
    expect(allKeep.rates.keep.observed).toBe(1);
  });

  it('a one-id pool makes randomEqualsOriginal exact, and an eligible maskId is never matched', () => {
    // maskId 0 is not protected, so the token 0 is eligible but outside the pool {5}.
    const s = sampleMaskStats([5, 5, 0], {
      runs: 30,
      maskId: 0,
      vocabSize: 6,
      rng: makeRng(2),
      protectedIds: new Set([1, 2, 3, 4]),
      selectRate: 1,
      maskProb: 0,
      randomProb: 1,
    });
    expect(s.randomTotal).toBe(90);
    expect(s.randomEqualsOriginal).toBe(60);
    expect(s.rates.randomEqualsOriginal.expected).toBe(2 / 3);
    expect(s.rates.randomEqualsOriginal.observed).toBe(2 / 3);
  });
});

describe('sampleMaskStats degenerate input', () => {
  it('rejects a non-positive or fractional run count and a bad vocabulary size', () => {
    expect(() => sampleMaskStats([5, 6], opts(1, 0))).toThrow(/runs must be an integer >= 1, got 0/);
    expect(() => sampleMaskStats([5, 6], opts(1, 2.5))).toThrow(/runs/);
    expect(() => sampleMaskStats([5, 6], opts(1, 3, { vocabSize: 0 }))).toThrow(/vocabSize/);
    expect(() => sampleMaskStats([5, 6], opts(1, 3, { maskProb: 0.95, randomProb: 0.1 }))).toThrow(/<= 1/);
  });

  it('empty or fully protected tokens give zero counts and NaN rates (nothing to divide by)', () => {
    for (const tokens of [[], [CLS, SEP, PAD]]) {
      const s = sampleMaskStats(tokens, opts(1, 5));
      expect([s.eligibleTotal, s.selectedTotal, s.maskTotal, s.randomTotal, s.keepTotal]).toEqual([0, 0, 0, 0, 0]);
      expect(s.rates.selected.trials).toBe(0);
      expect(s.rates.selected.observed).toBeNaN();
      expect(s.rates.mask.observed).toBeNaN();
      expect(s.rates.mask.expected).toBe(0.8); // still the promised rate
    }
  });

  it('selectRate 0 selects nothing: the selected rate is exactly 0', () => {
    const s = sampleMaskStats(makeSequence(8), opts(1, 5, { selectRate: 0 }));
    expect(s.rates.selected).toEqual({ observed: 0, expected: 0, sd: 0, trials: 170 });
    expect(s.rates.keep.observed).toBeNaN();
  });
});
