// SGD and SGD with momentum on tf.Variables, following torch.optim.SGD (no
// dampening) and src/core/optim/sgd.ts operation for operation:
//   g   = grad * gradScale + wd * p       (coupled decay, for the parameters `decays` picks)
//   buf = momentum * buf + g              (buf starts at 0, so buf_1 = g_1)
//   d   = nesterov ? g + momentum * buf : buf        (d = g when momentum = 0)
//   p   = p - lr * d
// Plain SGD (momentum 0) keeps no state at all: that is its memory advantage.
import * as tf from '@tensorflow/tfjs-core';
import { checkSgdConfig, type SgdConfig } from '../../core/optim/sgd';
import type { TensorOptimizer } from './tensorOptimizer';

/** The core optimiser's config without a rate: step() takes each step's rate. */
export type TensorSgdConfig = Omit<SgdConfig, 'lr'>;

export interface TensorSgdState {
  /** Updates taken so far. */
  step: number;
  /** Momentum buffers, same names and shapes as the parameters; null for plain SGD (momentum 0). */
  buffer: Record<string, tf.Variable> | null;
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const v = tf.variable(zeros, false);
  zeros.dispose(); // the variable holds its own reference to the data
  return v;
}

export class TensorSgd implements TensorOptimizer {
  private t = 0;
  private readonly buffer: Record<string, tf.Variable> | null;
  private readonly momentum: tf.Scalar;
  private readonly weightDecay: tf.Scalar;

  /** `decays(name)` picks the parameters weight decay applies to (default: all), as in TensorAdam. */
  constructor(
    private readonly params: Record<string, tf.Variable>,
    readonly config: TensorSgdConfig,
    private readonly decays: (name: string) => boolean = () => true,
  ) {
    // The core check with a placeholder rate (step() checks the real one).
    checkSgdConfig({ ...config, lr: 0 });
    if (config.momentum > 0) {
      this.buffer = {};
      for (const [name, p] of Object.entries(params)) this.buffer[name] = zeroVariable(p);
    } else {
      this.buffer = null;
    }
    this.momentum = tf.scalar(config.momentum);
    this.weightDecay = tf.scalar(config.weightDecay);
  }

  /**
   * One update of every parameter that has a gradient, at this step's rate
   * `lr`. `gradScale` (the clipping factor) multiplies every gradient before
   * anything else, exactly as in TensorAdam.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, gradScale?: tf.Scalar): void {
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new RangeError(`TensorSgd: lr must be a finite number >= 0, got ${lr}`);
    const { momentum, weightDecay: wd, nesterov } = this.config;
    for (const name of Object.keys(grads)) {
      if (!this.params[name]) throw new Error(`TensorSgd: gradient for unknown parameter '${name}'`);
    }
    this.t += 1;
    tf.tidy(() => {
      const negLr = tf.scalar(-lr);
      // Plain SGD without decay on a parameter: p + g * (-lr * s), the scale folded into the step size.
      const foldedStep = gradScale !== undefined ? tf.mul(negLr, gradScale) : negLr;
      for (const [name, g0] of Object.entries(grads)) {
        const p = this.params[name];
        const decayed = wd !== 0 && this.decays(name);
        if (momentum === 0 && !decayed) {
          p.assign(tf.add(p, tf.mul(g0, foldedStep)));
          continue;
        }
        let g = gradScale !== undefined ? tf.mul(g0, gradScale) : g0;
        if (decayed) g = tf.add(g, tf.mul(p, this.weightDecay));
        let direction = g;
        if (this.buffer !== null) {
          const buf = this.buffer[name];
          const buf1 = tf.add(tf.mul(buf, this.momentum), g);
          buf.assign(buf1);
          direction = nesterov ? tf.add(g, tf.mul(buf1, this.momentum)) : buf1;
        }
        p.assign(tf.add(p, tf.mul(direction, negLr)));
      }
    });
  }

  /** The live state (not copies): read it, do not dispose or assign it. */
  state(): TensorSgdState {
    return { step: this.t, buffer: this.buffer };
  }

  dispose(): void {
    if (this.buffer) for (const b of Object.values(this.buffer)) b.dispose();
    this.momentum.dispose();
    this.weightDecay.dispose();
  }
}
