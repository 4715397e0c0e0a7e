// What the training worker holds between steps for the page's tiny GPT, part
// by part, so the page can set the prediction beside tf.memory(). The parts
// follow the worker's GPT task (src/train/tasks/gpt.ts): its parameters,
// AdamW's m and v, fixed held-out batches, one causal mask, and AdamW's
// scalar constants. Gradients exist only inside a step and are freed with it.
import { countParameters, type ParameterTensor } from '../../core/optim';

/** Fixed held-out batches the GPT task evaluates on (EVAL_BATCHES in src/train/tasks/gpt.ts). */
export const EVAL_BATCHES = 4;
/** Scalars TensorAdam makes once: beta1, beta2, 1 - beta1, 1 - beta2, weight decay. */
export const ADAM_CONSTANTS = 5;

export type AccountKey = 'params' | 'm' | 'v' | 'evalBatches' | 'mask' | 'constants';

export interface AccountRow {
  key: AccountKey;
  tensors: number;
  bytes: number;
}

export interface WorkerAccount {
  parameterCount: number;
  rows: AccountRow[];
  /** The lecture's count without gradients: weights and Adam's m, v (3 x 4P bytes). */
  modelAndAdam: number;
  /** Every row. */
  total: { tensors: number; bytes: number };
  /** 4P bytes that exist only while a step runs (with its activations), not between steps. */
  transientGradients: number;
}

export function workerAccount(tensors: readonly ParameterTensor[], batchSize: number, context: number): WorkerAccount {
  for (const [key, v] of Object.entries({ batchSize, context })) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`workerAccount: ${key} must be a whole number >= 1, got ${v}`);
  }
  const P = countParameters(tensors);
  const paramTensors = tensors.reduce((sum, t) => sum + t.count, 0);
  const fp32 = 4;
  const int32 = 4;
  const rows: AccountRow[] = [
    { key: 'params', tensors: paramTensors, bytes: fp32 * P },
    { key: 'm', tensors: paramTensors, bytes: fp32 * P },
    { key: 'v', tensors: paramTensors, bytes: fp32 * P },
    // Inputs and targets, int32 [B, T] each.
    { key: 'evalBatches', tensors: 2 * EVAL_BATCHES, bytes: 2 * EVAL_BATCHES * batchSize * context * int32 },
    // The additive causal mask, float32 [T, T].
    { key: 'mask', tensors: 1, bytes: fp32 * context * context },
    { key: 'constants', tensors: ADAM_CONSTANTS, bytes: fp32 * ADAM_CONSTANTS },
  ];
  return {
    parameterCount: P,
    rows,
    modelAndAdam: 3 * fp32 * P,
    total: {
      tensors: rows.reduce((s, r) => s + r.tensors, 0),
      bytes: rows.reduce((s, r) => s + r.bytes, 0),
    },
    transientGradients: fp32 * P,
  };
}
