/**
 * Mini-batch SGD and SGD with momentum on flat Float64Array parameter vectors,
 * following torch.optim.SGD's convention (no dampening):
 *
 *   g   = grad + weightDecay * p          (coupled decay: an L2 term in the loss)
 *   buf = momentum * buf + g              (buf starts at 0, so buf_1 = g_1)
 *   d   = nesterov ? g + momentum * buf : buf
 *   p   = p - lr * d
 *
 * With momentum = 0 this is plain SGD, p -= lr * g, and no buffer is kept:
 * SGD's only memory cost is the parameters and their gradients.
 */

export interface SgdConfig {
  lr: number;
  /** 0 = plain SGD; PyTorch's buffer is a running *sum* (not a mean), so steps grow ~1/(1 - momentum). */
  momentum: number;
  /** Coupled decay: added to the gradient, so it also flows through the momentum buffer. */
  weightDecay: number;
  /** Nesterov's look-ahead form; needs momentum > 0. */
  nesterov: boolean;
}

export interface SgdState {
  /** Updates already taken. */
  step: number;
  /** Momentum buffer [P]; null until the first step with momentum > 0 (plain SGD keeps no state). */
  buffer: Float64Array | null;
}

export const SGD_DEFAULTS: SgdConfig = { lr: 0.01, momentum: 0, weightDecay: 0, nesterov: false };

export function sgdInit(): SgdState {
  return { step: 0, buffer: null };
}

export function checkSgdConfig(cfg: SgdConfig): void {
  if (!(cfg.lr >= 0) || !Number.isFinite(cfg.lr))
    throw new RangeError(`sgd: lr must be a finite number >= 0, got ${cfg.lr}`);
  if (!(cfg.momentum >= 0 && cfg.momentum < 1))
    throw new RangeError(`sgd: momentum must be in [0, 1), got ${cfg.momentum}`);
  if (!(cfg.weightDecay >= 0) || !Number.isFinite(cfg.weightDecay)) {
    throw new RangeError(`sgd: weightDecay must be a finite number >= 0, got ${cfg.weightDecay}`);
  }
  if (cfg.nesterov && cfg.momentum === 0) throw new RangeError('sgd: nesterov needs momentum > 0');
}

/** One SGD update, in place on `params` and `state`; `grads` is left untouched. */
export function sgdStep(params: Float64Array, grads: Float64Array, state: SgdState, cfg: SgdConfig): void {
  checkSgdConfig(cfg);
  const n = params.length;
  if (grads.length !== n || (state.buffer !== null && state.buffer.length !== n)) {
    throw new RangeError(`sgdStep: size mismatch (params ${n}, grads ${grads.length}, buffer ${state.buffer?.length})`);
  }
  const { lr, momentum, weightDecay, nesterov } = cfg;
  if (momentum > 0 && state.buffer === null) state.buffer = new Float64Array(n);
  const buf = state.buffer;
  state.step += 1;
  for (let i = 0; i < n; i++) {
    let g = grads[i];
    if (weightDecay !== 0) g += weightDecay * params[i];
    let direction = g;
    if (momentum > 0 && buf !== null) {
      // Operand order as in ATen's mul_/add_; the goldens agree to within an ulp or two (ATen may fuse multiply-adds).
      buf[i] = buf[i] * momentum + g;
      direction = nesterov ? g + momentum * buf[i] : buf[i];
    }
    params[i] = params[i] + -lr * direction;
  }
}
