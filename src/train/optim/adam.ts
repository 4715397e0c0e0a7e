// Adam and AdamW on tf.Variables, with PyTorch's exact update rule and state
// that a page can read (first and second moments per parameter).
//
// Why not tf.train.adam: it adds epsilon to sqrt(v) before bias correction
// (eps_hat of the paper), defaults to eps 1e-7, has no decoupled weight
// decay, and keeps its moments private. This class follows torch.optim.Adam /
// AdamW (1.13, single-tensor path) and src/core/adam.ts:
//   AdamW: p <- p (1 - lr wd)            Adam: g <- g + wd p   (L2, "coupled")
//   m <- b1 m + (1 - b1) g
//   v <- b2 v + (1 - b2) g^2
//   p <- p - lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps),  bc_i = 1 - b_i^t (or 1 without correction)
// On wasm one kernel (models/kernels/adamw.wat) updates every parameter with
// the same float32 operations as the tfjs ops below, bit for bit; elsewhere,
// or with the kernels off, the tfjs ops run (about ten kernels per parameter).
import * as tf from '@tensorflow/tfjs-core';
import type { AdamConfig } from '../../core/adam';
import { adamwAvailable, adamwUpdate, type AdamWParam } from '../../models/kernels/adamw';
import type { TensorOptimizer } from './tensorOptimizer';

/**
 * The core optimiser's config without a rate: step() takes the scheduled
 * rate of each step. decoupledWeightDecay: true = AdamW, false = Adam with L2
 * (decay added to the gradient).
 */
export type TensorAdamConfig = Omit<AdamConfig, 'lr'>;

export interface TensorAdamState {
  /** Updates taken so far. */
  step: number;
  /** First moments (running mean of gradients), same names and shapes as the parameters. */
  m: Record<string, tf.Variable>;
  /** Second moments (running mean of squared gradients). */
  v: Record<string, tf.Variable>;
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const v = tf.variable(zeros, false);
  zeros.dispose(); // the variable holds its own reference to the data
  return v;
}

export class TensorAdam implements TensorOptimizer {
  private t = 0;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};
  // Step-independent scalars, made once rather than once per parameter per step.
  private readonly beta1: tf.Scalar;
  private readonly beta2: tf.Scalar;
  private readonly oneMinusBeta1: tf.Scalar;
  private readonly oneMinusBeta2: tf.Scalar;
  private readonly weightDecay: tf.Scalar;

  /**
   * `decays(name)` picks the parameters weight decay applies to (default: all,
   * like a single PyTorch param group). The engine passes decay.ts's
   * decaysFor: the weight matrices only, as GPT-2/3 style training does.
   */
  constructor(
    private readonly params: Record<string, tf.Variable>,
    readonly config: TensorAdamConfig,
    private readonly decays: (name: string) => boolean = () => true,
  ) {
    const { beta1, beta2, eps, weightDecay } = config;
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new RangeError(`TensorAdam: betas must lie in [0, 1), got ${beta1}, ${beta2}`);
    }
    if (!(eps >= 0) || !(weightDecay >= 0)) throw new RangeError('TensorAdam: eps and weightDecay must be >= 0');
    for (const [name, p] of Object.entries(params)) {
      this.m[name] = zeroVariable(p);
      this.v[name] = zeroVariable(p);
    }
    this.beta1 = tf.scalar(beta1);
    this.beta2 = tf.scalar(beta2);
    this.oneMinusBeta1 = tf.scalar(1 - beta1);
    this.oneMinusBeta2 = tf.scalar(1 - beta2);
    this.weightDecay = tf.scalar(weightDecay);
  }

  /**
   * One update of every parameter that has a gradient. `lr` is this step's
   * learning rate (the caller applies the schedule). `gradScale`, if given,
   * multiplies every gradient first; makeStepper passes the clipping factor
   * here so clipping costs no extra kernel per parameter.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, gradScale?: tf.Scalar): void {
    const { beta1, beta2, eps, weightDecay: wd, decoupledWeightDecay, biasCorrection } = this.config;
    this.t += 1;
    const t = this.t;
    const bc1 = biasCorrection ? 1 - beta1 ** t : 1;
    const bc2Sqrt = biasCorrection ? Math.sqrt(1 - beta2 ** t) : 1;
    if (adamwAvailable()) {
      this.stepKernel(grads, lr, bc1, bc2Sqrt, gradScale);
      return;
    }
    tf.tidy(() => {
      // lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) = (lr sqrt(bc2)/bc1) * m / (sqrt(v) + eps sqrt(bc2)):
      // the same value with two kernels fewer per parameter.
      const stepSize = tf.scalar((-lr * bc2Sqrt) / bc1);
      const epsHat = tf.scalar(eps * bc2Sqrt);
      const decay = decoupledWeightDecay && wd !== 0 ? tf.scalar(1 - lr * wd) : null;
      // With coupled decay the gradient is g*scale + wd*p, so the scale cannot
      // be folded into the moment coefficients; otherwise it can.
      const fold = gradScale !== undefined && (decoupledWeightDecay || wd === 0);
      const c1 = fold ? tf.mul(this.oneMinusBeta1, gradScale) : this.oneMinusBeta1;
      const c2 = fold ? tf.mul(this.oneMinusBeta2, tf.square(gradScale)) : this.oneMinusBeta2;
      for (const [name, g0] of Object.entries(grads)) {
        const p = this.params[name];
        const m = this.m[name];
        const v = this.v[name];
        if (!p || !m || !v) throw new Error(`TensorAdam: gradient for unknown parameter '${name}'`);
        const decayed = wd !== 0 && this.decays(name);
        let g = g0;
        if (gradScale !== undefined && !fold) g = tf.mul(g, gradScale);
        if (decayed && !decoupledWeightDecay) g = tf.add(g, tf.mul(p, this.weightDecay));
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, c1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), c2));
        const update = tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), epsHat)), stepSize);
        const p0 = decay && decayed ? tf.mul(p, decay) : p;
        m.assign(m1);
        v.assign(v1);
        p.assign(tf.add(p0, update));
      }
    });
  }

  /**
   * step() on wasm: every parameter in one kernel (models/kernels/adamw.ts),
   * the same float32 operations in the same order as the tfjs path above.
   */
  private stepKernel(
    grads: Record<string, tf.Tensor>,
    lr: number,
    bc1: number,
    bc2Sqrt: number,
    gradScale?: tf.Scalar,
  ): void {
    const { beta1, beta2, eps, weightDecay: wd, decoupledWeightDecay } = this.config;
    const names = Object.keys(grads);
    const params: AdamWParam[] = names.map((name) => {
      const p = this.params[name];
      const m = this.m[name];
      const v = this.v[name];
      if (!p || !m || !v) throw new Error(`TensorAdam: gradient for unknown parameter '${name}'`);
      const decayed = wd !== 0 && this.decays(name);
      const decay = !decayed ? 'none' : decoupledWeightDecay ? 'decoupled' : 'coupled';
      return { p, g: grads[name], m, v, decay };
    });
    tf.tidy(() => {
      const updated = adamwUpdate(params, {
        beta1,
        beta2,
        gradScale,
        foldScale: decoupledWeightDecay || wd === 0,
        weightDecay: wd,
        decay: 1 - lr * wd,
        epsHat: eps * bc2Sqrt,
        stepSize: (-lr * bc2Sqrt) / bc1,
      });
      names.forEach((name, i) => {
        const [p1, m1, v1] = updated[i];
        this.m[name].assign(m1);
        this.v[name].assign(v1);
        this.params[name].assign(p1);
      });
    });
  }

  /** The live state (not copies): read it, do not dispose or assign it. */
  state(): TensorAdamState {
    return { step: this.t, m: this.m, v: this.v };
  }

  dispose(): void {
    for (const x of [...Object.values(this.m), ...Object.values(this.v)]) x.dispose();
    this.beta1.dispose();
    this.beta2.dispose();
    this.oneMinusBeta1.dispose();
    this.oneMinusBeta2.dispose();
    this.weightDecay.dispose();
  }
}
