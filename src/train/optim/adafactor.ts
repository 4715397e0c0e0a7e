// AdaFactor (Shazeer & Stern, 2018) on tf.Variables, with exactly the
// semantics, config names and defaults of src/core/optim/adafactor.ts (which is
// checked against an independent numpy version), so the two can be compared
// step for step. At step t = 1, 2, ... for each parameter X with gradient G:
//   G       = grad * gradScale                   (the clipping factor, as in TensorAdam)
//   beta2_t = 1 - t^decayRate
//   [n, m]:  R = beta2_t R + (1 - beta2_t) rowSums(G^2 + eps1)        [n]
//            C = beta2_t C + (1 - beta2_t) colSums(G^2 + eps1)        [m]
//            V = R C^T / sum(R)                                       (never stored)
//   [n]:     V = beta2_t V + (1 - beta2_t)(G^2 + eps1)
//   U       = G / sqrt(V)
//   alpha_t = max(eps2, RMS(X_{t-1})) * min(maxRelativeStep, 1/sqrt(t))   if relativeStep, else this step's lr
//   step    = alpha_t U / max(1, RMS(U) / clipThreshold)
//   X      <- X - step                (beta1 = 0)
//   m = beta1 m + (1 - beta1) step;  X <- X - m        (beta1 > 0: a full-size buffer)
// AdaFactor has no weight decay (neither has the core version).
import * as tf from '@tensorflow/tfjs-core';
import { checkAdafactorConfig, type AdafactorConfig } from '../../core/optim/adafactor';
import type { TensorOptimizer } from './tensorOptimizer';

/** The core optimiser's config without a rate: with relativeStep off, step()'s `lr` (this step's scheduled rate) is alpha_t. */
export type TensorAdafactorConfig = Omit<AdafactorConfig, 'lr'>;

/** Running statistics of one parameter, the same names as the core state. */
export type TensorAdafactorSlot =
  | {
      kind: 'factored';
      rows: number;
      cols: number;
      /** Running row sums of G^2 + eps1 [n]. */
      R: tf.Variable;
      /** Running column sums of G^2 + eps1 [m]. */
      C: tf.Variable;
      /** Momentum [n, m]; null when beta1 = 0. */
      m: tf.Variable | null;
    }
  | {
      kind: 'vector';
      /** Running mean of G^2 + eps1 [n]. */
      v: tf.Variable;
      m: tf.Variable | null;
    };

/** What the last step did to one parameter, as scalar tensors (read them asynchronously; no read-back in step()). */
export interface TensorAdafactorStepInfo {
  /** Absolute step size alpha_t. */
  alpha: tf.Variable;
  /** RMS of the unclipped update U_t (1 means "Adam-sized"). */
  updateRms: tf.Variable;
  /** max(1, RMS(U_t) / clipThreshold): > 1 when the update was clipped. */
  clipDivisor: tf.Variable;
}

export interface TensorAdafactorState {
  /** Updates taken so far. */
  step: number;
  /** beta2_t of the last step; null before the first. */
  beta2: number | null;
  slots: Record<string, TensorAdafactorSlot>;
  /** The last step's per-parameter numbers; null before the first step. */
  lastStep: Record<string, TensorAdafactorStepInfo> | null;
}

function zeroVariable(shape: number[]): tf.Variable {
  const zeros = tf.zeros(shape);
  const v = tf.variable(zeros, false);
  zeros.dispose(); // the variable holds its own reference to the data
  return v;
}

export class TensorAdafactor implements TensorOptimizer {
  private t = 0;
  private beta2: number | null = null;
  private readonly slots: Record<string, TensorAdafactorSlot> = {};
  private readonly info: Record<string, TensorAdafactorStepInfo> = {};
  private readonly one: tf.Scalar;
  private readonly eps1: tf.Scalar;
  private readonly eps2: tf.Scalar;
  private readonly clipThreshold: tf.Scalar;
  private readonly beta1: tf.Scalar;
  private readonly oneMinusBeta1: tf.Scalar;

  /** Parameters must be vectors [n] or matrices [n, m], as in the core version. */
  constructor(
    private readonly params: Record<string, tf.Variable>,
    readonly config: TensorAdafactorConfig,
  ) {
    // The core check with a placeholder rate (step() checks the real one).
    checkAdafactorConfig({ ...config, lr: 0 });
    for (const [name, p] of Object.entries(params)) {
      const shape = p.shape;
      if (!(shape.length === 1 || shape.length === 2) || shape.some((s) => s < 1)) {
        throw new RangeError(`TensorAdafactor: '${name}' must have shape [n] or [n, m], got [${shape.join(', ')}]`);
      }
      const m = config.beta1 > 0 ? zeroVariable(shape) : null;
      this.slots[name] =
        shape.length === 2
          ? {
              kind: 'factored',
              rows: shape[0],
              cols: shape[1],
              R: zeroVariable([shape[0]]),
              C: zeroVariable([shape[1]]),
              m,
            }
          : { kind: 'vector', v: zeroVariable(shape), m };
      this.info[name] = { alpha: zeroVariable([]), updateRms: zeroVariable([]), clipDivisor: zeroVariable([]) };
    }
    this.one = tf.scalar(1);
    this.eps1 = tf.scalar(config.eps1);
    this.eps2 = tf.scalar(config.eps2);
    this.clipThreshold = tf.scalar(config.clipThreshold);
    this.beta1 = tf.scalar(config.beta1);
    this.oneMinusBeta1 = tf.scalar(1 - config.beta1);
  }

  /**
   * One update of every parameter that has a gradient. `lr` is this step's
   * rate, used only when relativeStep is off (otherwise alpha_t comes from
   * the parameter's own scale). `gradScale`, if given, multiplies every
   * gradient first, exactly as in TensorAdam.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, gradScale?: tf.Scalar): void {
    const cfg = this.config;
    if (!cfg.relativeStep && !(lr >= 0 && Number.isFinite(lr))) {
      throw new RangeError(`TensorAdafactor: lr must be a finite number >= 0 when relativeStep is off, got ${lr}`);
    }
    for (const name of Object.keys(grads)) {
      if (!this.slots[name]) throw new Error(`TensorAdafactor: gradient for unknown parameter '${name}'`);
    }
    this.t += 1;
    const t = this.t;
    const beta2 = 1 - t ** cfg.decayRate;
    this.beta2 = beta2;
    tf.tidy(() => {
      const b2 = tf.scalar(beta2);
      const oneMinusB2 = tf.scalar(1 - beta2);
      const rho = tf.scalar(Math.min(cfg.maxRelativeStep, 1 / Math.sqrt(t)));
      const fixedAlpha = cfg.relativeStep ? null : tf.scalar(lr);
      for (const [name, g0] of Object.entries(grads)) {
        const p = this.params[name];
        const slot = this.slots[name];
        const info = this.info[name];
        const g = gradScale !== undefined ? tf.mul(g0, gradScale) : g0;
        const sq = tf.add(tf.square(g), this.eps1);
        let secondMoment: tf.Tensor;
        if (slot.kind === 'factored') {
          const R = tf.add(tf.mul(slot.R, b2), tf.mul(tf.sum(sq, 1), oneMinusB2)); // [n]
          const C = tf.add(tf.mul(slot.C, b2), tf.mul(tf.sum(sq, 0), oneMinusB2)); // [m]
          slot.R.assign(R);
          slot.C.assign(C);
          secondMoment = reconstruct(R, C);
        } else {
          const v = tf.add(tf.mul(slot.v, b2), tf.mul(sq, oneMinusB2));
          slot.v.assign(v);
          secondMoment = v;
        }
        const update = tf.div(g, tf.sqrt(secondMoment)); // U_t
        const updateRms = rms(update);
        const clipDivisor = tf.maximum(this.one, tf.div(updateRms, this.clipThreshold));
        // The relative step uses the parameters *before* this update.
        const alpha = fixedAlpha ?? tf.mul(tf.maximum(this.eps2, rms(p)), rho);
        const step = tf.mul(update, tf.div(alpha, clipDivisor));
        if (slot.m !== null) {
          const m = tf.add(tf.mul(slot.m, this.beta1), tf.mul(step, this.oneMinusBeta1));
          slot.m.assign(m);
          p.assign(tf.sub(p, m));
        } else {
          p.assign(tf.sub(p, step));
        }
        info.alpha.assign(alpha);
        info.updateRms.assign(updateRms);
        info.clipDivisor.assign(clipDivisor);
      }
    });
  }

  /** The live state (not copies): read it, do not dispose or assign it. */
  state(): TensorAdafactorState {
    return { step: this.t, beta2: this.beta2, slots: this.slots, lastStep: this.t === 0 ? null : this.info };
  }

  /**
   * The current second-moment estimate of one parameter, shaped like it: R C^T / sum(R)
   * for a matrix (for a heatmap), a copy of v for a vector; zeros before the first step.
   * A new tensor: the caller disposes it.
   */
  secondMoment(name: string): tf.Tensor {
    const slot = this.slots[name];
    if (!slot) throw new Error(`TensorAdafactor: unknown parameter '${name}'`);
    if (slot.kind === 'vector') return tf.clone(slot.v);
    if (this.t === 0) return tf.zeros([slot.rows, slot.cols]);
    return tf.tidy(() => reconstruct(slot.R, slot.C));
  }

  /** The last step's numbers for one parameter, read back; null before the first step. */
  async stepInfo(
    name: string,
  ): Promise<{ beta2: number; alpha: number; updateRms: number; clipDivisor: number } | null> {
    const info = this.info[name];
    if (!info) throw new Error(`TensorAdafactor: unknown parameter '${name}'`);
    if (this.beta2 === null) return null;
    const beta2 = this.beta2;
    const [alpha, updateRms, clipDivisor] = await Promise.all([
      info.alpha.data(),
      info.updateRms.data(),
      info.clipDivisor.data(),
    ]);
    return { beta2, alpha: alpha[0], updateRms: updateRms[0], clipDivisor: clipDivisor[0] };
  }

  dispose(): void {
    for (const s of Object.values(this.slots)) {
      const vars = s.kind === 'factored' ? [s.R, s.C] : [s.v];
      if (s.m) vars.push(s.m);
      for (const x of vars) x.dispose();
    }
    for (const i of Object.values(this.info)) tf.dispose([i.alpha, i.updateRms, i.clipDivisor]);
    tf.dispose([this.one, this.eps1, this.eps2, this.clipThreshold, this.beta1, this.oneMinusBeta1]);
  }
}

/**
 * V_ij = R_i C_j / sum(R) [n, m], computed as R_i (C_j / sum(R)): in float32 the
 * product R_i C_j of two eps1-sized statistics (an all-zero gradient) would
 * underflow to 0 and make U = 0/0; C_j / sum(R) is O(1/n) instead. Also m
 * divisions rather than n m.
 */
function reconstruct(R: tf.Tensor, C: tf.Tensor): tf.Tensor {
  return tf.outerProduct(R as tf.Tensor1D, tf.div(C, tf.sum(R)) as tf.Tensor1D);
}

/** sqrt(mean(x^2)) as a scalar tensor. */
function rms(x: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.mean(tf.square(x))) as tf.Scalar;
}
