// What the page's two init figures need from core, as plain arrays (so they
// cross a worker boundary): the residual stack's per-layer statistics for all
// three schemes, and attention-logit spreads over a range of widths. Pure: the
// worker (stats.worker.ts) and the no-Worker fallback both call `answer`.
import {
  attentionLogitStd,
  expectedAttentionLogitStd,
  RESIDUAL_INIT_SCHEMES,
  residualStackStats,
  residualWeightStds,
  type AttentionLogitOptions,
  type ResidualInitScheme,
} from '../../core/init';

export interface StackInput {
  depth: number;
  width: number;
  /** σ of the 'normal' and 'gpt2' weights. */
  std: number;
  batch: number;
  seed: number;
}

export interface SchemeStats {
  scheme: ResidualInitScheme;
  /** actRms[l], l = 0..L: RMS of the residual stream x_l over samples and units. */
  actRms: number[];
  /** gradNorm[l], l = 0..L: RMS over samples of |dloss/dx_l|. */
  gradNorm: number[];
  /** [σ(W1), σ(W2)] */
  weightStd: [number, number];
  /** 1 + g, the expected per-layer growth of the mean square. */
  expectedGrowth: number;
}

/** The three schemes on the same inputs (same seed), in RESIDUAL_INIT_SCHEMES order. */
export function stackStats(input: StackInput): SchemeStats[] {
  return RESIDUAL_INIT_SCHEMES.map((scheme) => {
    const r = residualStackStats({
      scheme,
      depth: input.depth,
      width: input.width,
      std: input.std,
      batch: input.batch,
      seed: input.seed,
    });
    return {
      scheme,
      actRms: Array.from(r.actRms),
      gradNorm: Array.from(r.gradNorm),
      weightStd: r.weightStd,
      expectedGrowth: r.expectedGrowth,
    };
  });
}

/**
 * The expected per-layer growth 1 + g of the mean square without running the
 * stack (for widths too large to sample in the page, e.g. GPT-2's 768):
 * g = s1^2 s2^2 d hidden / 2 with hidden = 4d, the weight stds from core.
 * The test checks it against residualStackStats' own expectedGrowth.
 */
export function growthPerLayer(scheme: ResidualInitScheme, width: number, depth: number, std: number): number {
  const hidden = 4 * width;
  const [s1, s2] = residualWeightStds(scheme, width, hidden, depth, std);
  return 1 + (s1 * s1 * s2 * s2 * width * hidden) / 2;
}

/**
 * The σ that gives, at width `toWidth`, the per-layer growth that `std` gives at
 * `fromWidth`. For N(0, σ²) with hidden = 4d, g = 2 σ^4 d^2 depends on σ² d only,
 * so σ scales as sqrt(fromWidth / toWidth). Lets a width-64 stack, cheap to
 * sample, stand in for GPT-2's width 768.
 */
export function equivalentSigma(std: number, fromWidth: number, toWidth: number): number {
  return std * Math.sqrt(fromWidth / toWidth);
}

/** Expected RMS ratio x_L / x_0 = (1 + g)^(L/2). */
export function predictedRatio(growth: number, depth: number): number {
  return Math.sqrt(growth) ** depth;
}

export interface StackSummary {
  scheme: ResidualInitScheme;
  /** Expected RMS ratio x_L / x_0 = (1 + g)^(L/2). */
  predicted: number;
  /** Measured activation RMS ratio, layer L over layer 0. */
  actRatio: number;
  /** Measured gradient-norm ratio, input (layer 0) over output (layer L). */
  gradRatio: number;
}

export function summarize(s: SchemeStats): StackSummary {
  const L = s.actRms.length - 1;
  return {
    scheme: s.scheme,
    predicted: predictedRatio(s.expectedGrowth, L),
    actRatio: s.actRms[L] / s.actRms[0],
    gradRatio: s.gradNorm[0] / s.gradNorm[L],
  };
}

/** Key/query sizes of the attention figure (one head: d_model = d_kv = d). */
export const ATTENTION_DIMS: readonly number[] = [8, 16, 32, 64, 128, 256];
/** Input pairs per point: the sampled std is within a few percent of the closed form. */
export const ATTENTION_SAMPLES = 400;

export type AttentionVariant = 'unscaled' | 'scaled' | 't5';

/**
 * The three ways to start attention, for width d:
 *   unscaled  W_q, W_k ~ N(0, 1/d), logits q.k        (std sqrt(d))
 *   scaled    W_q, W_k ~ N(0, 1/d), logits q.k/sqrt(d) (std 1, Vaswani et al.)
 *   t5        W_q ~ N(0, 1/d^2), W_k ~ N(0, 1/d), logits q.k (std 1, Mesh TensorFlow)
 */
export function attentionOptions(variant: AttentionVariant, d: number): AttentionLogitOptions {
  const s = 1 / Math.sqrt(d);
  switch (variant) {
    case 'unscaled':
      return { qStd: s, scaleBy: 1 };
    case 'scaled':
      return { qStd: s, scaleBy: s };
    case 't5':
      return { qStd: s * s, kStd: s, scaleBy: 1 };
  }
}

export const ATTENTION_VARIANTS: readonly AttentionVariant[] = ['unscaled', 'scaled', 't5'];

export interface AttentionRow {
  d: number;
  /** Sampled logit std per variant. */
  sampled: Record<AttentionVariant, number>;
  /** Closed-form logit std per variant. */
  expected: Record<AttentionVariant, number>;
}

export function attentionRows(
  seed: number,
  dims: readonly number[] = ATTENTION_DIMS,
  samples = ATTENTION_SAMPLES,
): AttentionRow[] {
  return dims.map((d) => {
    const sampled = {} as Record<AttentionVariant, number>;
    const expected = {} as Record<AttentionVariant, number>;
    for (const v of ATTENTION_VARIANTS) {
      const opts = attentionOptions(v, d);
      sampled[v] = attentionLogitStd(d, { ...opts, samples, seed });
      expected[v] = expectedAttentionLogitStd(d, opts);
    }
    return { d, sampled, expected };
  });
}

export type StatsRequest = { kind: 'stack'; input: StackInput } | { kind: 'attention'; seed: number };
export type StatsResult = { kind: 'stack'; stats: SchemeStats[] } | { kind: 'attention'; rows: AttentionRow[] };

export function answer(req: StatsRequest): StatsResult {
  return req.kind === 'stack'
    ? { kind: 'stack', stats: stackStats(req.input) }
    : { kind: 'attention', rows: attentionRows(req.seed) };
}

/** A cache key: equal requests give equal answers (everything is seeded). */
export function requestKey(req: StatsRequest): string {
  return JSON.stringify(req);
}
