// GPT-3's recipe laid out over a toy run: the published token counts become
// shares of GPT-3's optimiser steps, and the toy gets the same shares of its
// own steps. Pure: no tfjs, no DOM.
import {
  GPT3_RECIPE,
  batchSizeAt,
  gpt3BatchRamp,
  gpt3LrSchedule,
  lrAt,
  type BatchRampConfig,
  type Gpt3Recipe,
  type ScheduleConfig,
} from '../../core';

/**
 * Optimiser steps needed to see `tokens` tokens when the batch grows linearly
 * from `start` to `end` tokens over the first `rampTokens` (continuous form,
 * fine for GPT-3 where one batch is a ten-millionth of the run):
 *   b(t) = start + (end - start) t / R,  steps(T) = integral_0^T dt / b(t)
 *        = R / (end - start) * ln(b(T) / start)   for T <= R
 *        = steps(R) + (T - R) / end               afterwards.
 */
export function stepsForTokens(tokens: number, ramp: BatchRampConfig): number {
  const { start, end, rampTokens: r } = ramp;
  if (!(tokens >= 0)) throw new RangeError(`stepsForTokens: tokens must be >= 0, got ${tokens}`);
  if (end === start || r === 0) return tokens / end;
  const slope = (end - start) / r;
  const inRamp = Math.min(tokens, r);
  const during = Math.log((start + slope * inRamp) / start) / slope;
  return during + Math.max(0, tokens - r) / end;
}

/** GPT-3's milestones in optimiser steps (under its batch ramp) and as shares of its total steps. */
export interface Gpt3Steps {
  warmup: number;
  ramp: number;
  decay: number;
  total: number;
  share: { warmup: number; ramp: number; decay: number };
}

export function gpt3Steps(recipe: Gpt3Recipe = GPT3_RECIPE): Gpt3Steps {
  const ramp = gpt3BatchRamp(recipe);
  const at = (t: number) => stepsForTokens(t, ramp);
  const total = at(recipe.totalTokens);
  const s = { warmup: at(recipe.warmupTokens), ramp: at(recipe.batchRampTokens), decay: at(recipe.decayTokens) };
  return { ...s, total, share: { warmup: s.warmup / total, ramp: s.ramp / total, decay: s.decay / total } };
}

/**
 * Rows an arm uses at each of its first `steps` steps under a batch ramp in
 * rows (start/end) and tokens (rampTokens): rows_k = batchSizeAt(tokens_k),
 * tokens_{k+1} = tokens_k + rows_k * tokensPerRow. The same rule the race
 * session applies to a ramped arm.
 */
export function rampRows(ramp: BatchRampConfig, tokensPerRow: number, steps: number): number[] {
  const rows: number[] = [];
  let tokens = 0;
  for (let k = 0; k < steps; k++) {
    const r = batchSizeAt(tokens, ramp);
    rows.push(r);
    tokens += r * tokensPerRow;
  }
  return rows;
}

/** Number of steps taken with fewer than `end` rows (the ramp's length in steps). */
export function rampLengthSteps(ramp: BatchRampConfig, tokensPerRow: number): number {
  let tokens = 0;
  let k = 0;
  // Each ramp step adds at least start * tokensPerRow tokens, so this ends.
  for (; batchSizeAt(tokens, ramp) < ramp.end; k++) tokens += batchSizeAt(tokens, ramp) * tokensPerRow;
  return k;
}

/**
 * The smallest rampTokens whose ramp lasts at least `targetSteps` steps
 * (rampLengthSteps grows with rampTokens, so bisection finds it).
 */
export function rampTokensForSteps(start: number, end: number, tokensPerRow: number, targetSteps: number): number {
  if (end <= start || targetSteps <= 0) return 0;
  let lo = 0;
  // With R = target * end * tokensPerRow the arm has seen fewer than R tokens after target steps.
  let hi = targetSteps * end * tokensPerRow;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (rampLengthSteps({ start, end, rampTokens: mid }, tokensPerRow) >= targetSteps) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface ToyInputs {
  /** Peak learning rate. */
  lr: number;
  /** Length of the toy run in steps; the schedule and the ramp are laid out over it. */
  steps: number;
  /** Final batch size in rows (sequences). */
  batch: number;
  /** Tokens per row (the model's context length). */
  contextLength: number;
}

/** The toy's numbers for each ingredient of the recipe. */
export interface ToyRecipe {
  steps: number;
  tokensPerStep: number;
  warmupSteps: number;
  /** Step at which the cosine reaches its floor. */
  decaySteps: number;
  /** Batch ramp in rows, rampTokens in tokens. */
  ramp: BatchRampConfig;
  /** Steps the ramp actually takes (simulated with the rounding down to whole rows). */
  rampSteps: number;
  schedule: ScheduleConfig;
  gpt3: Gpt3Steps;
}

/**
 * GPT-3's recipe for a toy run of `steps` steps: warmup, ramp and decay take
 * the same shares of the toy's steps as of GPT-3's, and the ramp starts at the
 * same fraction of the final batch (1%, at least one row).
 */
export function toyRecipe({ lr, steps, batch, contextLength }: ToyInputs): ToyRecipe {
  const gpt3 = gpt3Steps();
  const warmupSteps = Math.max(1, Math.round(steps * gpt3.share.warmup));
  const decaySteps = Math.max(warmupSteps + 1, Math.round(steps * gpt3.share.decay));
  const start = Math.max(1, Math.round((batch * GPT3_RECIPE.batchStartTokens) / GPT3_RECIPE.batchEndTokens));
  const rampTokens = rampTokensForSteps(start, batch, contextLength, Math.round(steps * gpt3.share.ramp));
  const ramp = { start, end: batch, rampTokens };
  return {
    steps,
    tokensPerStep: batch * contextLength,
    warmupSteps,
    decaySteps,
    ramp,
    rampSteps: rampLengthSteps(ramp, contextLength),
    schedule: { kind: 'cosine', lr, warmupSteps, totalSteps: decaySteps, minLrRatio: GPT3_RECIPE.minLrRatio },
    gpt3,
  };
}

/** Evenly spaced steps 0..steps-1 (at most `count`, the last included), for drawing a per-step curve. */
export function sampleSteps(steps: number, count = 150): number[] {
  const every = Math.max(1, Math.ceil(steps / (count - 1)));
  const out: number[] = [];
  for (let s = 0; s < steps; s += every) out.push(s);
  if (out.at(-1) !== steps - 1 && steps > 0) out.push(steps - 1);
  return out;
}

/** The learning rate at the sampled steps. */
export function scheduleCurve(cfg: ScheduleConfig, steps: number): { step: number; value: number }[] {
  return sampleSteps(steps).map((s) => ({ step: s, value: lrAt(s, cfg) }));
}

/**
 * GPT-3's batch size (millions of tokens) and learning rate (share of the
 * peak) against billions of tokens seen, at a handful of token counts
 * (denser where the ramp and the warmup happen).
 */
export function gpt3Curves(recipe: Gpt3Recipe = GPT3_RECIPE): {
  batch: { step: number; value: number }[];
  lr: { step: number; value: number }[];
} {
  const ramp = gpt3BatchRamp(recipe);
  // One step = one token; a peak of 1 gives the rate as a share of the peak.
  const sched: ScheduleConfig = { ...gpt3LrSchedule(recipe), lr: 1 };
  const billions = [0, recipe.warmupTokens / 1e9, 1, 2, 4, 6, 8, 10, recipe.batchRampTokens / 1e9];
  for (let b = 15; b <= recipe.totalTokens / 1e9; b += 5) billions.push(b);
  const xs = [...new Set(billions)].sort((a, b) => a - b);
  return {
    batch: xs.map((b) => ({ step: b, value: batchSizeAt(b * 1e9, ramp) / 1e6 })),
    // lrAt warms up with (step + 1) / W: one token in, the rate is ~0.
    lr: xs.map((b) => ({ step: b, value: lrAt(Math.max(0, b * 1e9 - 1), sched) })),
  };
}

/** 3.2e6 -> "3.2M", 375e6 -> "375M", 12e9 -> "12B", 32000 -> "32k" (three significant digits at most). */
export function formatTokens(n: number): string {
  const [div, unit] = n >= 1e9 ? [1e9, 'B'] : n >= 1e6 ? [1e6, 'M'] : n >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${Number((n / div).toPrecision(3))}${unit}`;
}
