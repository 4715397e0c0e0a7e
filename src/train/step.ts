// One optimiser step: loss, gradients, global-norm clipping and an Adam/AdamW
// update, all on the device. Nothing is read back here, so a caller can queue
// several steps and read the losses once.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { gptLoss, type GptConfig, type GptParams } from '../models/gpt';
import type { TensorOptimizer } from './optim/tensorOptimizer';
import { clipScale, globalNorm } from './optim/clip';

/** A scalar objective, plus named parts of it worth plotting (e.g. the MLM and NSP terms). */
export interface Objective {
  total: tf.Scalar;
  parts?: Record<string, tf.Scalar>;
}

export interface StepResult {
  /** The objective before the update. */
  loss: tf.Scalar;
  /** The gradient's global norm before clipping. */
  gradNorm: tf.Scalar;
  parts: Record<string, tf.Scalar>;
  /** What `probe` read from the gradients, if a probe was given. */
  probe: tf.Tensor | null;
}

/** Reads something small from the named gradients before the update (e.g. a few tracked elements). */
export type GradProbe = (grads: Record<string, tf.Tensor>) => tf.Tensor;

export type Stepper = (
  objective: () => Objective,
  lr: number,
  clipNorm: number | null,
  probe?: GradProbe,
) => StepResult;

/**
 * Returns step(objective, lr, clipNorm) for a parameter set and its optimiser:
 * `objective` builds this batch's loss from the parameters, lr is this step's
 * rate and clipNorm the clipping threshold (null = none). The caller disposes
 * the returned scalars; everything else is freed inside.
 */
export function makeStepper(params: Record<string, tf.Variable>, optimizer: TensorOptimizer): Stepper {
  const entries = Object.entries(params);
  const varList = entries.map(([, v]) => v);
  // tf.variableGrads keys gradients by the engine's variable names.
  const nameOf = new Map(entries.map(([name, v]) => [v.name, name]));
  return (objective, lr, clipNorm, probe) => {
    let parts: Record<string, tf.Scalar> = {};
    let probed: tf.Tensor | null = null;
    const out = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const o = objective();
        // Kept, so the parts outlive the gradient computation's scope; they
        // are handed to the caller, who disposes them.
        parts = Object.fromEntries(Object.entries(o.parts ?? {}).map(([k, t]) => [k, tf.keep(t)]));
        return o.total;
      }, varList);
      const named: Record<string, tf.Tensor> = {};
      for (const [varName, g] of Object.entries(grads)) named[nameOf.get(varName) ?? varName] = g;
      const gradNorm = globalNorm(named);
      // The clip factor goes into the optimiser, which folds it into the
      // moment coefficients instead of rescaling every gradient tensor.
      // Kept like the parts: it leaves this scope for the caller to read and dispose.
      if (probe) probed = tf.keep(probe(named));
      optimizer.step(named, lr, clipNorm === null ? undefined : clipScale(gradNorm, clipNorm));
      return { loss: value, gradNorm };
    });
    return { ...out, parts, probe: probed };
  };
}

export type TrainStep = (
  ids: tf.Tensor2D,
  targets: tf.Tensor2D,
  lr: number,
  clipNorm: number | null,
) => { loss: tf.Scalar; gradNorm: tf.Scalar };

/**
 * The GPT's step: int32 [B, T] inputs and next-token targets, this step's
 * learning rate and clipping threshold. Returns the loss before the update
 * and the gradient norm before clipping; the caller disposes both.
 */
export function makeTrainStep(params: GptParams, cfg: GptConfig, optimizer: TensorOptimizer): TrainStep {
  const step = makeStepper(params, optimizer);
  return (ids, targets, lr, clipNorm) => {
    const { loss, gradNorm } = step(() => ({ total: gptLoss(params, cfg, ids, targets) }), lr, clipNorm);
    return { loss, gradNorm };
  };
}
