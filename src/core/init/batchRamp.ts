/**
 * GPT-3's gradual batch-size increase, and the token budgets of its
 * optimisation recipe (Brown et al. 2020, "Language Models are Few-Shot
 * Learners", Table 2.1 and Appendix B). Pure: no tfjs, no DOM.
 */

import type { ScheduleConfig } from '../schedule';

export interface BatchRampConfig {
  /** Batch size at tokensSeen = 0 (GPT-3: 32k tokens). Positive integer. */
  start: number;
  /** Batch size once the ramp is over (GPT-3 175B: 3.2M tokens). Integer >= start. */
  end: number;
  /** Number of training tokens over which the batch grows linearly (GPT-3: 4-12B). >= 0. */
  rampTokens: number;
  /** The result is rounded down to a multiple of this (default 1), but never below `start`. */
  multipleOf?: number;
}

function checkConfig(cfg: BatchRampConfig): void {
  const { start, end, rampTokens, multipleOf = 1 } = cfg;
  if (!Number.isInteger(start) || start <= 0) {
    throw new RangeError(`batchSizeAt: start must be a positive integer, got ${start}`);
  }
  if (!Number.isInteger(end) || end < start) {
    throw new RangeError(`batchSizeAt: end must be an integer >= start (${start}), got ${end}`);
  }
  if (!Number.isFinite(rampTokens) || rampTokens < 0) {
    throw new RangeError(`batchSizeAt: rampTokens must be a finite number >= 0, got ${rampTokens}`);
  }
  if (!Number.isInteger(multipleOf) || multipleOf <= 0) {
    throw new RangeError(`batchSizeAt: multipleOf must be a positive integer, got ${multipleOf}`);
  }
}

/**
 * Batch size after `tokensSeen` training tokens:
 *   raw = start + (end - start) * tokensSeen / rampTokens   while tokensSeen < rampTokens
 *   raw = end                                               afterwards (and always if rampTokens = 0)
 * then floor(raw / multipleOf) * multipleOf, clamped from below at `start`
 * (so a `start` that is not a multiple of `multipleOf` is still honoured at the
 * beginning, and `end` itself is rounded down once the ramp is over).
 *
 * The unit of start/end is the caller's: GPT-3 counts tokens; divide by the
 * context length (2048) for sequences.
 */
export function batchSizeAt(tokensSeen: number, cfg: BatchRampConfig): number {
  checkConfig(cfg);
  if (!Number.isFinite(tokensSeen) || tokensSeen < 0) {
    throw new RangeError(`batchSizeAt: tokensSeen must be a finite number >= 0, got ${tokensSeen}`);
  }
  const { start, end, rampTokens, multipleOf = 1 } = cfg;
  const raw = tokensSeen >= rampTokens ? end : start + ((end - start) * tokensSeen) / rampTokens;
  const rounded = Math.floor(raw / multipleOf) * multipleOf;
  return Math.max(start, rounded);
}

/** The original GPT-3 (175B) numbers, all in tokens. */
export interface Gpt3Recipe {
  /** Sequence length n_ctx. */
  contextTokens: number;
  /** First batch size of the ramp. */
  batchStartTokens: number;
  /** Final batch size. */
  batchEndTokens: number;
  /** Length of the batch-size ramp (the paper gives a 4-12B range "depending on model size"). */
  batchRampTokens: number;
  /** Linear learning-rate warmup length. */
  warmupTokens: number;
  /** Token count at which cosine decay reaches its floor. */
  decayTokens: number;
  /** Floor of the cosine decay as a fraction of the peak. */
  minLrRatio: number;
  /** Peak learning rate (175B model). */
  peakLr: number;
  /** Total training tokens. */
  totalTokens: number;
}

/**
 * GPT-3 175B. Sources in Brown et al. 2020:
 * - contextTokens 2048, batchEndTokens 3.2M, peakLr 0.6e-4: Table 2.1 (175B row).
 * - totalTokens 300B: Section 2.2 ("all models were trained for a total of 300 billion tokens").
 * - batchStartTokens 32k, ramp over "the first 4-12 billion tokens of training,
 *   depending on model size": Appendix B. The paper does not say which model
 *   gets which length; 12B for the largest model is OUR ASSUMPTION (see
 *   GPT3_BATCH_RAMP_RANGE_TOKENS for the published range).
 * - warmupTokens 375M, cosine decay to 10% over 260B tokens (then training
 *   continues at 10%): Appendix B. Whether the 260B include the warmup is not
 *   stated; gpt3LrSchedule treats 260B as the token count where decay ends.
 * Also in Appendix B (not used here): Adam beta1 0.9, beta2 0.95, eps 1e-8,
 * global-norm clipping at 1.0, weight decay 0.1.
 */
export const GPT3_RECIPE: Readonly<Gpt3Recipe> = Object.freeze({
  contextTokens: 2048,
  batchStartTokens: 32_000,
  batchEndTokens: 3_200_000,
  batchRampTokens: 12e9,
  warmupTokens: 375e6,
  decayTokens: 260e9,
  minLrRatio: 0.1,
  peakLr: 0.6e-4,
  totalTokens: 300e9,
});

/** Appendix B's published range for the batch ramp length, [min, max] tokens. */
export const GPT3_BATCH_RAMP_RANGE_TOKENS: readonly [number, number] = Object.freeze([4e9, 12e9]) as readonly [
  number,
  number,
];

/**
 * The GPT-3 recipe with every token count divided by `factor` (>= 1), so the
 * same shape fits a toy run in the browser: e.g. factor 1000 gives a batch
 * ramp from 32 to 3200 tokens over 12M tokens, warmup over 375k tokens and
 * decay over 260M tokens. Token counts are rounded to integers (at least 1);
 * contextTokens, minLrRatio and peakLr are unchanged. `overrides` is applied
 * after scaling (e.g. a shorter rampTokens from the 4-12B range, scaled).
 */
export function scaledGpt3Recipe(factor: number, overrides: Partial<Gpt3Recipe> = {}): Gpt3Recipe {
  if (!Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`scaledGpt3Recipe: factor must be a finite number >= 1, got ${factor}`);
  }
  const s = (v: number): number => Math.max(1, Math.round(v / factor));
  const r = GPT3_RECIPE;
  return {
    contextTokens: r.contextTokens,
    batchStartTokens: s(r.batchStartTokens),
    batchEndTokens: s(r.batchEndTokens),
    batchRampTokens: s(r.batchRampTokens),
    warmupTokens: s(r.warmupTokens),
    decayTokens: s(r.decayTokens),
    minLrRatio: r.minLrRatio,
    peakLr: r.peakLr,
    totalTokens: s(r.totalTokens),
    ...overrides,
  };
}

/** The recipe's batch ramp as a BatchRampConfig (in tokens). */
export function gpt3BatchRamp(recipe: Gpt3Recipe, multipleOf = 1): BatchRampConfig {
  return {
    start: recipe.batchStartTokens,
    end: recipe.batchEndTokens,
    rampTokens: recipe.batchRampTokens,
    multipleOf,
  };
}

/**
 * The recipe's learning-rate schedule for `lrAt` from ../schedule, with ONE
 * STEP = ONE TOKEN (pass tokensSeen as the step): cosine, warmup over
 * warmupTokens, floor minLrRatio reached at decayTokens.
 */
export function gpt3LrSchedule(recipe: Gpt3Recipe): ScheduleConfig {
  return {
    kind: 'cosine',
    lr: recipe.peakLr,
    warmupSteps: recipe.warmupTokens,
    totalSteps: recipe.decayTokens,
    minLrRatio: recipe.minLrRatio,
  };
}
