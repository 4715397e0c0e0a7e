// One optimiser step of simulated mixed-precision training (Micikevicius,
// Narang et al. 2018). The arithmetic is float32 throughout; values are
// rounded to FP16 where real mixed precision stores them in FP16:
//   weights   fp16Weights: the model computes with FP16 weights, either an
//             FP16 view of FP32 master weights (the update lands in FP32) or,
//             without master weights, weights rounded after every update;
//   gradients fp16Grads: the (scaled) gradient is rounded, so entries below
//             2^-24 become 0 and entries at or above 65520 become Infinity.
// Loss scaling multiplies the loss before the backward pass and divides the
// gradient (in FP32) before the update; a step whose scaled gradient is not
// finite is skipped and the scale follows core's state machine. Activations
// are not rounded: the simulation is about gradients and updates.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { lossScaleInit, lossScaleUpdate, type LossScaleConfig, type LossScaleState } from '../../core';
import { clipScale, globalNorm } from '../optim/clip';
import type { TensorOptimizer } from '../optim/tensorOptimizer';
import type { PrecisionSpec } from '../contract';
import { roundFp16All, roundFp16AllStraightThrough } from './roundFp16';

export interface PrecisionStepResult {
  /** The unscaled loss before the update (caller disposes). */
  loss: tf.Scalar;
  /** Global norm of the unscaled gradient, before clipping (caller disposes). */
  gradNorm: tf.Scalar;
  /** The loss scale this step used (1 without loss scaling). */
  scale: number;
  /** True when the scaled gradient overflowed and the update was skipped. */
  skipped: boolean;
}

export class PrecisionStepper {
  private lossScale: LossScaleState | null;
  private readonly scaleConfig: LossScaleConfig | null;
  private readonly varList: tf.Variable[];
  private readonly nameOf: Map<string, string>;

  constructor(
    private readonly params: Record<string, tf.Variable>,
    private readonly optimizer: TensorOptimizer,
    readonly spec: PrecisionSpec,
  ) {
    const m = spec.lossMultiplier ?? 1;
    if (!(m > 0 && Number.isFinite(m)))
      throw new RangeError(`The loss multiplier must be a finite number above 0, got ${m}.`);
    this.scaleConfig = spec.lossScale;
    this.lossScale = spec.lossScale ? lossScaleInit(spec.lossScale) : null;
    this.varList = Object.values(params);
    this.nameOf = new Map(Object.entries(params).map(([name, v]) => [v.name, name]));
    // Weights that live in FP16 start there too.
    if (this.storesFp16Weights) this.roundWeightsInPlace();
  }

  /** Weights kept in FP16 themselves (no FP32 master copy). */
  private get storesFp16Weights(): boolean {
    return this.spec.fp16Weights && !this.spec.masterWeights;
  }

  /** The scale the next step multiplies the loss by. */
  get scale(): number {
    return this.lossScale?.scale ?? 1;
  }

  /**
   * What the model computes with: the FP16 view of the FP32 master weights
   * (gradient straight through to them), or the weights themselves. Call
   * inside a tidy or a gradient scope.
   */
  view(): Record<string, tf.Tensor> {
    return this.spec.fp16Weights && this.spec.masterWeights ? roundFp16AllStraightThrough(this.params) : this.params;
  }

  /**
   * Gradients of `scale * objective(view)` w.r.t. the weights, rounded to
   * FP16 if asked. Returns kept tensors (the caller disposes them).
   */
  scaledGradients(objective: (p: Record<string, tf.Tensor>) => tf.Scalar): {
    loss: tf.Scalar;
    grads: Record<string, tf.Tensor>;
  } {
    const factor = this.scale * this.multiplier;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.mul(objective(this.view()), factor) as tf.Scalar,
        this.varList,
      );
      const named: Record<string, tf.Tensor> = {};
      for (const [varName, g] of Object.entries(grads)) named[this.nameOf.get(varName) ?? varName] = g;
      return { loss: tf.div(value, factor) as tf.Scalar, grads: this.spec.fp16Grads ? roundFp16All(named) : named };
    });
  }

  /** The teaching device's loss multiplier (1 = none). */
  get multiplier(): number {
    return this.spec.lossMultiplier ?? 1;
  }

  /**
   * One step: loss, scaled (and rounded) gradients, the overflow check when
   * loss scaling is on (one read-back: the decision to skip is made here, as
   * GradScaler makes it), then the unscaled, clipped update.
   */
  async step(
    objective: (p: Record<string, tf.Tensor>) => tf.Scalar,
    lr: number,
    clipNorm: number | null,
  ): Promise<PrecisionStepResult> {
    const scale = this.scale;
    const { loss, grads } = this.scaledGradients(objective);
    const scaledNorm = globalNorm(grads);
    // Reported as the true gradient's norm: the multiplier is a device, so it is divided out too.
    const gradNorm = tf.div(scaledNorm, scale * this.multiplier) as tf.Scalar;
    let skipped = false;
    if (this.lossScale && this.scaleConfig) {
      // A sum of squares is Infinity or NaN exactly when some element is.
      const overflow = !Number.isFinite((await scaledNorm.data())[0]);
      const next = lossScaleUpdate(this.lossScale, overflow, this.scaleConfig);
      this.lossScale = next.state;
      skipped = next.skip;
    }
    if (!skipped) {
      tf.tidy(() => {
        // Unscaling and clipping are one factor on the gradient: clip(g / s) = g * min(1, c / |g / s|) / s.
        // The clip compares the multiplied gradient's norm with the threshold given (the caller scales both).
        const multipliedNorm = tf.div(scaledNorm, scale) as tf.Scalar;
        const factor = clipNorm === null ? tf.scalar(1 / scale) : tf.div(clipScale(multipliedNorm, clipNorm), scale);
        this.optimizer.step(grads, lr, factor as tf.Scalar);
      });
      if (this.storesFp16Weights) this.roundWeightsInPlace();
    }
    tf.dispose([scaledNorm, ...Object.values(grads)]);
    return { loss, gradNorm, scale, skipped };
  }

  /** Weights stored in FP16: after the update, each is rounded, so a change below half a spacing is lost. */
  private roundWeightsInPlace(): void {
    tf.tidy(() => {
      const rounded = roundFp16All(this.params);
      for (const [name, v] of Object.entries(this.params)) v.assign(rounded[name]);
    });
  }
}
