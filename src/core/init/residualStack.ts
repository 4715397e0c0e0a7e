/**
 * Why initialisation scale matters in deep residual networks: a seeded
 * Monte-Carlo forward/backward pass through an MLP-only residual stack on
 * plain Float64Arrays, plus the size of attention logits under the standard
 * and T5 inits. Pure: no tfjs, no DOM.
 *
 * The stack (pre-activation, no layer norm, no biases; ReLU, not GELU):
 *   x_{l+1} = x_l + W2_l relu(W1_l x_l),   W1_l: [hidden, d],  W2_l: [d, hidden]
 * for l = 0..L-1, with x_0 ~ N(0, I_d). There is deliberately no layer norm:
 * the point is to see what the init alone does to the residual stream.
 *
 * Expected growth (exact in expectation over the weights, for any fixed x_l):
 * with W1 ~ N(0, s1^2), W2 ~ N(0, s2^2) and q = |x_l|^2 / d,
 *   h = W1 x_l has per-unit variance s1^2 |x_l|^2 = s1^2 d q,
 *   relu(h) has second moment s1^2 d q / 2,
 *   W2 relu(h) has per-unit variance s2^2 hidden s1^2 d q / 2,
 * and the cross term x_l . W2 relu(...) has mean 0, so
 *   E|x_{l+1}|^2 = |x_l|^2 (1 + g),   g = s1^2 s2^2 d hidden / 2.
 * The mean square therefore grows geometrically like (1 + g)^L:
 *   xavier (s1^2 = 1/d, s2^2 = 1/hidden): g = 1/2, so RMS ~ 1.5^(L/2)
 *     (about 1.7e4 at L = 48).
 *   normal (s = 0.02):  g = 8e-8 d hidden; d = 64, hidden = 256: g = 1.3e-3,
 *     so RMS grows only ~3% over 48 layers. (At GPT-2 width, d = 768 and
 *     hidden = 3072, g = 0.19 and the variance would grow ~4000x over 48 layers:
 *     that is the regime GPT-2's extra factor is for.)
 *   gpt2: as 'normal' but W2 also scaled by 1/sqrt(2L), so g = 8e-8 d hidden / (2L)
 *     and (1 + g)^L -> exp(8e-8 d hidden / 2) stays bounded as L grows.
 * The 2L in GPT-2 counts two residual writes per transformer block (attention
 * and MLP); this stack has one write per layer but we keep GPT-2's 1/sqrt(2L)
 * (as src/models/init.ts does) rather than invent a 1/sqrt(L) variant.
 *
 * Backward: loss = sum over the batch of c . x_L, with c ~ N(0, I_d) fixed.
 * g_L = dloss/dx_L = c, and
 *   g_l = g_{l+1} + W1_l^T (relu'(W1_l x_l) * (W2_l^T g_{l+1})),
 * which grows by the same factor (1 + g) per layer in expectation for
 * mean-square norms.
 */

import { makeRng, type Rng } from '../rng';

export type ResidualInitScheme = 'xavier' | 'normal' | 'gpt2';

export const RESIDUAL_INIT_SCHEMES: readonly ResidualInitScheme[] = ['xavier', 'normal', 'gpt2'];

export interface ResidualStackOptions {
  scheme: ResidualInitScheme;
  /** Number of residual layers L (>= 1). */
  depth: number;
  /** Residual width d (default 64). */
  width?: number;
  /** MLP hidden width (default 4 * width, as in GPT). */
  hidden?: number;
  /** Batch size n of N(0, I) inputs (default 32). */
  batch?: number;
  /** Std of 'normal' and 'gpt2' weights (default 0.02, GPT-2's). */
  std?: number;
  /** Seed for inputs, weights and the loss vector (default 0). */
  seed?: number;
  /**
   * Optional inputs x_0, row-major [batch, width], replacing the N(0, I) draw.
   * The draw still happens, so weights and loss vector depend only on the seed
   * (this is what lets a test check the gradient by finite differences).
   */
  inputs?: Float64Array;
}

export interface ResidualStackStats {
  /** actRms[l] = sqrt(mean over batch and units of x_l^2), l = 0..L (length L + 1). */
  actRms: Float64Array;
  /** gradNorm[l] = sqrt(mean over the batch of |dloss/dx_l|^2), l = 0..L (length L + 1). */
  gradNorm: Float64Array;
  /** The weight stds used: [std of W1, std of W2] (same for every layer). */
  weightStd: [number, number];
  /** Expected per-layer growth factor of the mean square, 1 + s1^2 s2^2 d hidden / 2. */
  expectedGrowth: number;
  /** loss = sum over the batch of c . x_L. */
  loss: number;
  /** dloss/dx_0, row-major [batch, width]. */
  inputGrad: Float64Array;
}

/** Standard normal by Box-Muller (cosine branch only: simple and exactly reproducible). */
function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function gaussianArray(n: number, std: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = std * gaussian(rng);
  return out;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) {
    throw new RangeError(`residualStackStats: ${name} must be a positive integer, got ${v}`);
  }
}

/** [std of W1, std of W2] for a scheme. */
export function residualWeightStds(
  scheme: ResidualInitScheme,
  width: number,
  hidden: number,
  depth: number,
  std = 0.02,
): [number, number] {
  switch (scheme) {
    case 'xavier':
      return [1 / Math.sqrt(width), 1 / Math.sqrt(hidden)];
    case 'normal':
      return [std, std];
    case 'gpt2':
      return [std, std / Math.sqrt(2 * depth)];
    default: {
      const never: never = scheme;
      throw new RangeError(`residualStackStats: unknown scheme ${String(never)}`);
    }
  }
}

/** Activation RMS and input-gradient norms, layer by layer, at initialisation. */
export function residualStackStats(opts: ResidualStackOptions): ResidualStackStats {
  const L = opts.depth;
  const d = opts.width ?? 64;
  const hid = opts.hidden ?? 4 * d;
  const n = opts.batch ?? 32;
  const std = opts.std ?? 0.02;
  const seed = opts.seed ?? 0;
  positiveInt('depth', L);
  positiveInt('width', d);
  positiveInt('hidden', hid);
  positiveInt('batch', n);
  if (!(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(`residualStackStats: std must be a positive finite number, got ${std}`);
  }
  const [s1, s2] = residualWeightStds(opts.scheme, d, hid, L, std);
  const rng = makeRng(seed);

  // Draw order is fixed: inputs, loss vector, then W1_0, W2_0, W1_1, ...
  const drawn = gaussianArray(n * d, 1, rng);
  if (opts.inputs !== undefined && opts.inputs.length !== n * d) {
    throw new RangeError(
      `residualStackStats: inputs must have batch * width = ${n * d} entries, got ${opts.inputs.length}`,
    );
  }
  const xs: Float64Array[] = [opts.inputs !== undefined ? Float64Array.from(opts.inputs) : drawn]; // x_l, [n, d]
  const c = gaussianArray(d, 1, rng);
  const W1: Float64Array[] = [];
  const W2: Float64Array[] = [];
  const pre: Float64Array[] = []; // W1 x_l, [n, hid], kept for relu'
  for (let l = 0; l < L; l++) {
    W1.push(gaussianArray(hid * d, s1, rng)); // [hid, d]
    W2.push(gaussianArray(d * hid, s2, rng)); // [d, hid]
  }

  for (let l = 0; l < L; l++) {
    const x = xs[l];
    const w1 = W1[l];
    const w2 = W2[l];
    const h = new Float64Array(n * hid);
    const next = Float64Array.from(x);
    const a = new Float64Array(hid);
    for (let b = 0; b < n; b++) {
      const xo = b * d;
      for (let j = 0; j < hid; j++) {
        let s = 0;
        const wo = j * d;
        for (let i = 0; i < d; i++) s += w1[wo + i] * x[xo + i];
        h[b * hid + j] = s;
        a[j] = s > 0 ? s : 0;
      }
      for (let i = 0; i < d; i++) {
        let s = 0;
        const wo = i * hid;
        for (let j = 0; j < hid; j++) s += w2[wo + j] * a[j];
        next[xo + i] += s;
      }
    }
    pre.push(h);
    xs.push(next);
  }

  const actRms = new Float64Array(L + 1);
  for (let l = 0; l <= L; l++) {
    let s = 0;
    for (const v of xs[l]) s += v * v;
    actRms[l] = Math.sqrt(s / (n * d));
  }

  let loss = 0;
  for (let b = 0; b < n; b++) for (let i = 0; i < d; i++) loss += c[i] * xs[L][b * d + i];

  // Backward: every sample starts from g_L = c.
  const gradNorm = new Float64Array(L + 1);
  let g = new Float64Array(n * d);
  for (let b = 0; b < n; b++) g.set(c, b * d);
  const sqNorm = (v: Float64Array): number => {
    let s = 0;
    for (const x of v) s += x * x;
    return Math.sqrt(s / n);
  };
  gradNorm[L] = sqNorm(g);
  const u = new Float64Array(hid);
  for (let l = L - 1; l >= 0; l--) {
    const w1 = W1[l];
    const w2 = W2[l];
    const h = pre[l];
    const prev = Float64Array.from(g);
    for (let b = 0; b < n; b++) {
      const go = b * d;
      // u = relu'(h) * (W2^T g), accumulated row by row of W2 (contiguous reads)
      u.fill(0);
      for (let i = 0; i < d; i++) {
        const gi = g[go + i];
        const wo = i * hid;
        for (let j = 0; j < hid; j++) u[j] += w2[wo + j] * gi;
      }
      for (let j = 0; j < hid; j++) if (h[b * hid + j] <= 0) u[j] = 0;
      // prev += W1^T u
      for (let j = 0; j < hid; j++) {
        const uj = u[j];
        if (uj === 0) continue;
        const wo = j * d;
        for (let i = 0; i < d; i++) prev[go + i] += w1[wo + i] * uj;
      }
    }
    g = prev;
    gradNorm[l] = sqNorm(g);
  }

  return {
    actRms,
    gradNorm,
    weightStd: [s1, s2],
    expectedGrowth: 1 + (s1 * s1 * s2 * s2 * d * hid) / 2,
    loss,
    inputGrad: g,
  };
}

export interface AttentionLogitOptions {
  /** Std of the query weights W_q: [dKv, d]. */
  qStd: number;
  /** Std of the key weights W_k: [dKv, d] (default qStd). */
  kStd?: number;
  /** Multiplier on q . k: 1/sqrt(dKv) in standard attention, 1 in T5. */
  scaleBy: number;
  /** Per-head query/key size d_kv (default d). */
  dKv?: number;
  /** Number of (x, y) input pairs sampled (default 2000). */
  samples?: number;
  seed?: number;
}

/**
 * Closed form for the logit std: q_i = sum_j Wq_ij x_j has variance d qStd^2
 * for unit-variance x, likewise k_i with kStd, and q . k sums dKv independent
 * zero-mean products, so Var = scaleBy^2 dKv (d qStd^2)(d kStd^2).
 * Standard attention with unit-variance q, k (qStd = kStd = 1/sqrt(d)) and
 * scaleBy = 1/sqrt(dKv): std 1. T5 (qStd = 1/sqrt(d dKv), kStd = 1/sqrt(d),
 * scaleBy 1): also std 1.
 */
export function expectedAttentionLogitStd(d: number, opts: AttentionLogitOptions): number {
  const dKv = opts.dKv ?? d;
  const kStd = opts.kStd ?? opts.qStd;
  return Math.abs(opts.scaleBy) * Math.sqrt(dKv) * d * opts.qStd * kStd;
}

/**
 * Sampled std of the attention logit scaleBy * (W_q x) . (W_k y) for random
 * x, y ~ N(0, I_d). W_q and W_k are drawn once (as at initialisation) and
 * `samples` independent input pairs are pushed through them.
 *
 * What T5 does (Mesh TensorFlow transformer/attention.py, init_weights, with
 * the default fold_scaling_into_initializer): it never multiplies the logits
 * by 1/sqrt(d_kv). Instead W_q is drawn from N(0, 1/(d_model * d_kv)), W_k and
 * W_v from N(0, 1/d_model) and W_o from N(0, 1/(heads * d_kv)). Folding the
 * 1/sqrt(d_kv) into W_q gives the same logit scale at init as the usual
 * scaling (see expectedAttentionLogitStd); the two differ only in
 * parameterisation, i.e. in how an update to W_q moves the logits during training.
 * That is what the lecture means by "T5 scales the attention matrices by an
 * additional 1/sqrt(d)".
 */
export function attentionLogitStd(d: number, opts: AttentionLogitOptions): number {
  const dKv = opts.dKv ?? d;
  const kStd = opts.kStd ?? opts.qStd;
  const samples = opts.samples ?? 2000;
  if (!Number.isInteger(d) || d <= 0) throw new RangeError(`attentionLogitStd: d must be a positive integer, got ${d}`);
  if (!Number.isInteger(dKv) || dKv <= 0) {
    throw new RangeError(`attentionLogitStd: dKv must be a positive integer, got ${dKv}`);
  }
  if (!Number.isInteger(samples) || samples < 2) {
    throw new RangeError(`attentionLogitStd: samples must be an integer >= 2, got ${samples}`);
  }
  for (const [name, v] of [
    ['qStd', opts.qStd],
    ['kStd', kStd],
    ['scaleBy', opts.scaleBy],
  ] as const) {
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`attentionLogitStd: ${name} must be finite and >= 0, got ${v}`);
  }
  const rng = makeRng(opts.seed ?? 0);
  const wq = gaussianArray(dKv * d, opts.qStd, rng);
  const wk = gaussianArray(dKv * d, kStd, rng);
  const x = new Float64Array(d);
  const y = new Float64Array(d);
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < d; i++) x[i] = gaussian(rng);
    for (let i = 0; i < d; i++) y[i] = gaussian(rng);
    let logit = 0;
    for (let r = 0; r < dKv; r++) {
      let q = 0;
      let k = 0;
      const o = r * d;
      for (let i = 0; i < d; i++) {
        q += wq[o + i] * x[i];
        k += wk[o + i] * y[i];
      }
      logit += q * k;
    }
    logit *= opts.scaleBy;
    sum += logit;
    sumSq += logit * logit;
  }
  const mean = sum / samples;
  return Math.sqrt(Math.max(0, (sumSq - samples * mean * mean) / (samples - 1)));
}
