/**
 * Adam and AdamW on flat Float64Array parameter vectors, matching PyTorch's
 * torch.optim.Adam / AdamW (single-tensor path) operation for operation so the
 * golden fixtures agree to ~1e-15 relative rather than merely "closely".
 */

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true = AdamW (decay applied to the weights), false = Adam + L2 (decay added to the gradient). */
  decoupledWeightDecay: boolean;
  biasCorrection: boolean;
}

/** Optimiser state; `step` counts the updates already taken. */
export interface AdamState {
  step: number;
  /** First moment (running mean of gradients). */
  m: Float64Array;
  /** Second moment (running mean of squared gradients). */
  v: Float64Array;
}

/** GPT-3's optimiser settings (lr is a placeholder: it comes from the schedule). */
export const GPT3_ADAM: AdamConfig = {
  lr: 6e-4,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
  decoupledWeightDecay: true,
  biasCorrection: true,
};

export function adamInit(size: number): AdamState {
  return { step: 0, m: new Float64Array(size), v: new Float64Array(size) };
}

/**
 * One Adam/AdamW update, in place on `params` and `state`; `grads` is left
 * untouched (coupled decay is folded into a local copy of each gradient).
 *
 * Bias correction is needed because m and v start at 0 and are therefore
 * biased towards 0 for the first ~1/(1 - beta) steps.
 */
export function adamStep(params: Float64Array, grads: Float64Array, state: AdamState, cfg: AdamConfig): void {
  const n = params.length;
  if (grads.length !== n || state.m.length !== n || state.v.length !== n) {
    throw new RangeError(
      `adamStep: size mismatch (params ${n}, grads ${grads.length}, m ${state.m.length}, v ${state.v.length})`,
    );
  }
  const { lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, biasCorrection } = cfg;
  state.step += 1;
  const t = state.step;
  // Same grouping as PyTorch: step_size = lr / bc1 and denom = sqrt(v) / sqrt(bc2) + eps,
  // so eps is added to the *corrected* sqrt(v), exactly as in the paper.
  const bc1 = biasCorrection ? 1 - beta1 ** t : 1;
  const bc2Sqrt = biasCorrection ? Math.sqrt(1 - beta2 ** t) : 1;
  const stepSize = lr / bc1;
  const decayFactor = 1 - lr * weightDecay;
  const { m, v } = state;
  for (let i = 0; i < n; i++) {
    let p = params[i];
    let g = grads[i];
    if (weightDecay !== 0) {
      if (decoupledWeightDecay) p *= decayFactor;
      else g += weightDecay * p;
    }
    // Operand order mirrors ATen's add_/addcmul_/addcdiv_ kernels, to agree to the last bit.
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    const denom = Math.sqrt(v[i]) / bc2Sqrt + eps;
    params[i] = p + (-stepSize * m[i]) / denom;
  }
}

/** Adam's view of one element after step t: the bias-corrected moments and the step it takes. */
export interface AdamElementView {
  mHat: number;
  vHat: number;
  /** lr * mHat / (sqrt(vHat) + eps): how far this element moves (against its sign). */
  step: number;
  /** 1 / (1 - beta^t) for each moment (1 without bias correction). */
  correction1: number;
  correction2: number;
}

/**
 * Steps 3 and 4 of Adam for one element, from its moments m and v after t
 * updates: the same arithmetic as adamStep (without weight decay), written
 * out so a page can show each number.
 */
export function adamElementView(
  m: number,
  v: number,
  t: number,
  cfg: Pick<AdamConfig, 'lr' | 'beta1' | 'beta2' | 'eps' | 'biasCorrection'>,
): AdamElementView {
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`adamElementView: t must be an integer >= 1, got ${t}`);
  const correction1 = cfg.biasCorrection ? 1 / (1 - cfg.beta1 ** t) : 1;
  const correction2 = cfg.biasCorrection ? 1 / (1 - cfg.beta2 ** t) : 1;
  const mHat = m * correction1;
  const vHat = v * correction2;
  return { mHat, vHat, step: (cfg.lr * mHat) / (Math.sqrt(vHat) + cfg.eps), correction1, correction2 };
}
