// One training step of the tiny GPT: loss, gradients, global-norm clipping and
// an Adam/AdamW update, all on the device. Nothing is read back here, so a
// caller can queue several steps and read the losses once.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { gptLoss, type GptConfig, type GptParams } from '../models/gpt';
import type { TensorAdam } from './optim/adam';
import { clipScale, globalNorm } from './optim/clip';

export type TrainStep = (
  ids: tf.Tensor2D,
  targets: tf.Tensor2D,
  lr: number,
  clipNorm: number | null,
) => { loss: tf.Scalar; gradNorm: tf.Scalar };

/**
 * Returns step(ids, targets, lr, clipNorm): int32 [B, T] inputs and next-token
 * targets, this step's learning rate, and the clipping threshold (null = no
 * clipping). It returns the loss before the update and the gradient norm
 * before clipping; the caller disposes both. Everything else is freed inside.
 */
export function makeTrainStep(params: GptParams, cfg: GptConfig, optimizer: TensorAdam): TrainStep {
  const entries = Object.entries(params);
  const varList = entries.map(([, v]) => v);
  // tf.variableGrads keys gradients by the engine's variable names.
  const nameOf = new Map(entries.map(([name, v]) => [v.name, name]));
  return (ids, targets, lr, clipNorm) =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => gptLoss(params, cfg, ids, targets), varList);
      const named: Record<string, tf.Tensor> = {};
      for (const [varName, g] of Object.entries(grads)) named[nameOf.get(varName) ?? varName] = g;
      const gradNorm = globalNorm(named);
      // The clip factor goes into the optimiser, which folds it into the
      // moment coefficients instead of rescaling every gradient tensor.
      optimizer.step(named, lr, clipNorm === null ? undefined : clipScale(gradNorm, clipNorm));
      return { loss: value, gradNorm };
    });
}
