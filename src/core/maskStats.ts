/**
 * "Sample many": run BERT's masking function over the same tokens many times
 * and compare what happened with what the rates promise, each with the
 * spread a correct sampler would show. Lets a page show that 15% / 80% / 10%
 * / 10% are what the code does, and how noisy a small number of runs is.
 */

import { bertMask, bertSelectCount, type BertMaskOptions } from './bertMask';

export interface MaskStatsOptions extends BertMaskOptions {
  /** How many times to noise the tokens (each run draws fresh from rng). */
  runs: number;
}

/** One rate: observed over `trials`, its expected value and standard deviation. */
export interface RateStat {
  observed: number;
  expected: number;
  /** Standard deviation of `observed` for a correct sampler (0 where the count is fixed). */
  sd: number;
  /** The denominator of `observed`; NaN fields mean it is 0. */
  trials: number;
}

export interface MaskStats {
  runs: number;
  /** Non-protected positions, summed over runs (runs * eligible per run). */
  eligibleTotal: number;
  selectedTotal: number;
  maskTotal: number;
  randomTotal: number;
  keepTotal: number;
  /** Random replacements that drew the original token: in effect, extra "keep"s. */
  randomEqualsOriginal: number;
  rates: {
    /** selected / eligible. */
    selected: RateStat;
    /** mask / selected, random / selected, keep / selected. */
    mask: RateStat;
    random: RateStat;
    keep: RateStat;
    /** randomEqualsOriginal / random. */
    randomEqualsOriginal: RateStat;
  };
}

/** A proportion with binomial spread: p over n independent trials. */
function binomialRate(successes: number, trials: number, p: number): RateStat {
  if (trials === 0) return { observed: Number.NaN, expected: p, sd: Number.NaN, trials };
  return { observed: successes / trials, expected: p, sd: Math.sqrt((p * (1 - p)) / trials), trials };
}

/**
 * Runs bertMask `opts.runs` times on `tokens` with the same options and
 * counts the outcomes. Defaults are bertMask's (0.15, 0.8, 0.1).
 */
export function sampleMaskStats(tokens: readonly number[], opts: MaskStatsOptions): MaskStats {
  const { runs, maskId, vocabSize } = opts;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`sampleMaskStats: runs must be an integer >= 1, got ${runs}`);
  }
  if (!Number.isInteger(vocabSize) || vocabSize < 1) {
    throw new RangeError(`sampleMaskStats: vocabSize must be an integer >= 1, got ${vocabSize}`);
  }
  const selectRate = opts.selectRate ?? 0.15;
  const maskProb = opts.maskProb ?? 0.8;
  const randomProb = opts.randomProb ?? 0.1;
  const protectedIds = opts.protectedIds ?? new Set<number>();

  let selectedTotal = 0;
  let maskTotal = 0;
  let randomTotal = 0;
  let keepTotal = 0;
  let randomEqualsOriginal = 0;
  for (let run = 0; run < runs; run++) {
    const { input, kinds } = bertMask(tokens, opts);
    kinds.forEach((kind, i) => {
      if (kind === null) return;
      selectedTotal += 1;
      if (kind === 'mask') maskTotal += 1;
      else if (kind === 'keep') keepTotal += 1;
      else {
        randomTotal += 1;
        if (input[i] === tokens[i]) randomEqualsOriginal += 1;
      }
    });
  }

  const eligible = tokens.filter((t) => !protectedIds.has(t)).length;
  // bertMask selects exactly this many per run, so the selected rate has no
  // spread at all, and its expected value is the rounded count, not selectRate.
  const perRun = bertSelectCount(eligible, selectRate);
  const selected: RateStat =
    eligible === 0
      ? { observed: Number.NaN, expected: Number.NaN, sd: Number.NaN, trials: 0 }
      : { observed: selectedTotal / (runs * eligible), expected: perRun / eligible, sd: 0, trials: runs * eligible };

  // A random replacement is uniform over the vocabulary minus maskId and
  // protected ids, and lands on a uniformly chosen eligible position; it
  // equals the original with probability inPool / (eligible * poolSize).
  // (Binomial spread is exact when every eligible token is in the pool, and
  // close otherwise: positions within a run are drawn without replacement.)
  let poolSize = 0;
  for (let id = 0; id < vocabSize; id++) if (id !== maskId && !protectedIds.has(id)) poolSize += 1;
  const inPool = tokens.filter(
    (t) => !protectedIds.has(t) && t !== maskId && Number.isInteger(t) && t >= 0 && t < vocabSize,
  ).length;
  const sameProb = eligible === 0 || poolSize === 0 ? 0 : inPool / (eligible * poolSize);

  return {
    runs,
    eligibleTotal: runs * eligible,
    selectedTotal,
    maskTotal,
    randomTotal,
    keepTotal,
    randomEqualsOriginal,
    rates: {
      selected,
      mask: binomialRate(maskTotal, selectedTotal, maskProb),
      random: binomialRate(randomTotal, selectedTotal, randomProb),
      // bertMask allows maskProb + randomProb to exceed 1 by rounding error.
      keep: binomialRate(keepTotal, selectedTotal, Math.max(0, 1 - maskProb - randomProb)),
      randomEqualsOriginal: binomialRate(randomEqualsOriginal, randomTotal, sameProb),
    },
  };
}
