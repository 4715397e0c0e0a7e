/**
 * AdaFactor (Shazeer & Stern, 2018), written from the paper's Algorithm 4 (an
 * [n, m] weight matrix) and Algorithm 5 (a vector), on flat row-major
 * Float64Arrays. Step t = 1, 2, ...:
 *
 *   beta2_t = 1 - t^decayRate                     (decayRate -0.8; beta2_1 = 0, so no bias correction)
 *   matrix:  R_t = beta2_t R_{t-1} + (1 - beta2_t) rowSums(G^2 + eps1)      [n]
 *            C_t = beta2_t C_{t-1} + (1 - beta2_t) colSums(G^2 + eps1)      [m]
 *            V_t = R_t C_t^T / sum(R_t)                                     [n, m], never stored
 *   vector:  V_t = beta2_t V_{t-1} + (1 - beta2_t)(G^2 + eps1)              [n]
 *   U_t     = G / sqrt(V_t)
 *   Uc_t    = U_t / max(1, RMS(U_t) / d)          (update clipping)
 *   alpha_t = max(eps2, RMS(X_{t-1})) * min(maxRelativeStep, 1 / sqrt(t)),   or a given lr
 *   X_t     = X_{t-1} - alpha_t Uc_t
 *
 * The state of an [n, m] matrix is n + m numbers instead of Adam's 2nm.
 *
 * Two options are not in the paper's algorithms, and follow Hugging Face
 * transformers' (and fairseq's) Adafactor instead:
 * - Momentum (beta1 > 0; the paper tried it in experiments): it averages the
 *   final step alpha_t Uc_t (m_t = beta1 m_{t-1} + (1 - beta1) alpha_t Uc_t;
 *   X_t = X_{t-1} - m_t), so m is a velocity in parameter units; it costs a
 *   full [n, m] buffer.
 * - relativeStep false: alpha_t = lr, with no parameter scale (transformers'
 *   relative_step=False, scale_parameter=False).
 * scripts/golden/optim_golden.py says which reference checks which case.
 */

export interface AdafactorConfig {
  /** true: alpha_t = max(eps2, RMS(X_{t-1})) * rho_t (the paper's relative step); false: alpha_t = lr. */
  relativeStep: boolean;
  /** Step size when relativeStep is false (ignored otherwise); a schedule may change it every step. */
  lr: number;
  /** The cap on rho_t = min(maxRelativeStep, 1/sqrt(t)); the paper uses 1e-2. */
  maxRelativeStep: number;
  /** Exponent c in beta2_t = 1 - t^c, in [-1, 0]; the paper uses -0.8. */
  decayRate: number;
  /** 0 = no momentum (the paper's recommendation, and the memory saving). */
  beta1: number;
  /** Added to every squared gradient, so a zero row or column cannot divide by 0. */
  eps1: number;
  /** Floor on the parameter scale, so zero-initialised parameters can move. */
  eps2: number;
  /** d: the largest RMS an update may have before it is scaled down. */
  clipThreshold: number;
}

export const ADAFACTOR_DEFAULTS: AdafactorConfig = {
  relativeStep: true,
  lr: 1e-2,
  maxRelativeStep: 1e-2,
  decayRate: -0.8,
  beta1: 0,
  eps1: 1e-30,
  eps2: 1e-3,
  clipThreshold: 1,
};

interface AdafactorStateBase {
  /** Updates already taken. */
  step: number;
  /** Momentum (same shape as the parameter); null unless beta1 > 0 has been used. */
  m: Float64Array | null;
}

/** Factored statistics of an [n, m] matrix: what a UI can show instead of the full second moment. */
export interface FactoredAdafactorState extends AdafactorStateBase {
  kind: 'factored';
  rows: number;
  cols: number;
  /** Running row sums of G^2 + eps1 [n]. */
  R: Float64Array;
  /** Running column sums of G^2 + eps1 [m]. */
  C: Float64Array;
}

/** Unfactored statistics of a vector (biases, gains): the full running mean of G^2 + eps1 [n]. */
export interface VectorAdafactorState extends AdafactorStateBase {
  kind: 'vector';
  v: Float64Array;
}

export type AdafactorState = FactoredAdafactorState | VectorAdafactorState;

/** What one step did, for a UI or a test to read. */
export interface AdafactorStepInfo {
  beta2: number;
  /** RMS of the unclipped update U_t (1 means "Adam-sized"). */
  updateRms: number;
  /** max(1, RMS(U_t) / d): > 1 when the update was clipped. */
  clipDivisor: number;
  /** Absolute step size alpha_t. */
  alpha: number;
}

function checkShape(shape: readonly number[]): void {
  const ok = (shape.length === 1 || shape.length === 2) && shape.every((s) => Number.isInteger(s) && s >= 1);
  if (!ok)
    throw new RangeError(`adafactor: shape must be [n] or [n, m] of positive integers, got [${shape.join(', ')}]`);
}

/** Fresh state: a [n, m] shape is factored into row and column statistics, a [n] shape keeps the full v. */
export function adafactorInit(shape: readonly [number] | readonly [number, number]): AdafactorState {
  checkShape(shape);
  if (shape.length === 2) {
    const [rows, cols] = shape;
    return { kind: 'factored', step: 0, m: null, rows, cols, R: new Float64Array(rows), C: new Float64Array(cols) };
  }
  return { kind: 'vector', step: 0, m: null, v: new Float64Array(shape[0]) };
}

export function checkAdafactorConfig(cfg: AdafactorConfig): void {
  const finite = (x: number) => Number.isFinite(x);
  if (!cfg.relativeStep && !(cfg.lr >= 0 && finite(cfg.lr))) {
    throw new RangeError(`adafactor: lr must be a finite number >= 0 when relativeStep is off, got ${cfg.lr}`);
  }
  if (!(cfg.maxRelativeStep > 0 && finite(cfg.maxRelativeStep))) {
    throw new RangeError(`adafactor: maxRelativeStep must be > 0, got ${cfg.maxRelativeStep}`);
  }
  // c in [-1, 0] keeps beta2_t = 1 - t^c in [0, 1) for every t >= 1.
  if (!(cfg.decayRate >= -1 && cfg.decayRate <= 0)) {
    throw new RangeError(`adafactor: decayRate must be in [-1, 0] (the paper uses -0.8), got ${cfg.decayRate}`);
  }
  if (!(cfg.beta1 >= 0 && cfg.beta1 < 1)) throw new RangeError(`adafactor: beta1 must be in [0, 1), got ${cfg.beta1}`);
  if (!(cfg.eps1 >= 0 && finite(cfg.eps1))) throw new RangeError(`adafactor: eps1 must be >= 0, got ${cfg.eps1}`);
  if (!(cfg.eps2 >= 0 && finite(cfg.eps2))) throw new RangeError(`adafactor: eps2 must be >= 0, got ${cfg.eps2}`);
  if (!(cfg.clipThreshold > 0)) throw new RangeError(`adafactor: clipThreshold must be > 0, got ${cfg.clipThreshold}`);
}

/**
 * The rank-1 second-moment estimate V_ij = R_i C_j / sum(R) [n * m, row-major].
 * Its row sums are R and its column sums are C (sum(R) = sum(C) when both come from
 * the same matrix), and it is exact whenever the averaged G^2 is itself rank 1.
 */
export function reconstructSecondMoment(R: ArrayLike<number>, C: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < R.length; i++) total += R[i];
  if (!(total > 0)) throw new RangeError(`reconstructSecondMoment: row statistics must sum to > 0, got ${total}`);
  const out = new Float64Array(R.length * C.length);
  for (let i = 0; i < R.length; i++) {
    for (let j = 0; j < C.length; j++) out[i * C.length + j] = (R[i] * C[j]) / total;
  }
  return out;
}

function rms(x: ArrayLike<number>): number {
  let sumSq = 0;
  for (let i = 0; i < x.length; i++) sumSq += x[i] * x[i];
  return Math.sqrt(sumSq / x.length);
}

/** Updates the running statistics with this step's G^2 + eps1 and returns the second-moment estimate [size]. */
function updateSecondMoment(grads: Float64Array, state: AdafactorState, beta2: number, eps1: number): Float64Array {
  if (state.kind === 'vector') {
    const { v } = state;
    for (let i = 0; i < v.length; i++) v[i] = beta2 * v[i] + (1 - beta2) * (grads[i] * grads[i] + eps1);
    return v;
  }
  const { rows, cols, R, C } = state;
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const g = grads[i * cols + j];
      const sq = g * g + eps1;
      rowSums[i] += sq;
      colSums[j] += sq;
    }
  }
  for (let i = 0; i < rows; i++) R[i] = beta2 * R[i] + (1 - beta2) * rowSums[i];
  for (let j = 0; j < cols; j++) C[j] = beta2 * C[j] + (1 - beta2) * colSums[j];
  return reconstructSecondMoment(R, C);
}

/** One AdaFactor update, in place on `params` and `state`; `grads` is left untouched. */
export function adafactorStep(
  params: Float64Array,
  grads: Float64Array,
  state: AdafactorState,
  cfg: AdafactorConfig,
): AdafactorStepInfo {
  checkAdafactorConfig(cfg);
  const size = state.kind === 'factored' ? state.rows * state.cols : state.v.length;
  if (params.length !== size || grads.length !== size) {
    throw new RangeError(
      `adafactorStep: size mismatch (state ${size}, params ${params.length}, grads ${grads.length})`,
    );
  }
  state.step += 1;
  const t = state.step;
  const beta2 = 1 - t ** cfg.decayRate;
  const secondMoment = updateSecondMoment(grads, state, beta2, cfg.eps1);

  const update = new Float64Array(size); // U_t [size]
  for (let i = 0; i < size; i++) update[i] = grads[i] / Math.sqrt(secondMoment[i]);
  const updateRms = rms(update);
  const clipDivisor = Math.max(1, updateRms / cfg.clipThreshold);

  // The relative step uses the parameters *before* this update.
  const alpha = cfg.relativeStep
    ? Math.max(cfg.eps2, rms(params)) * Math.min(cfg.maxRelativeStep, 1 / Math.sqrt(t))
    : cfg.lr;

  if (cfg.beta1 > 0) {
    if (state.m === null) state.m = new Float64Array(size);
    const m = state.m;
    for (let i = 0; i < size; i++) {
      m[i] = cfg.beta1 * m[i] + (1 - cfg.beta1) * ((alpha * update[i]) / clipDivisor);
      params[i] -= m[i];
    }
  } else {
    for (let i = 0; i < size; i++) params[i] -= (alpha * update[i]) / clipDivisor;
  }
  return { beta2, updateRms, clipDivisor, alpha };
}

/**
 * The current second-moment estimate as a full [size] array (reconstructed for a
 * matrix), for display; all zeros before the first step.
 */
export function secondMomentEstimate(state: AdafactorState): Float64Array {
  if (state.kind === 'vector') return Float64Array.from(state.v);
  if (state.step === 0) return new Float64Array(state.rows * state.cols);
  return reconstructSecondMoment(state.R, state.C);
}
