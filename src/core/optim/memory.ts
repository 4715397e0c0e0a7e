/**
 * Training-state memory arithmetic: bytes for parameters, gradients, fp32 master
 * weights and optimiser state (activations, which depend on batch and sequence
 * length, are not counted here).
 *
 *   optimiser state, in numbers:  sgd 0 | momentum P | adam 2P (m, v) |
 *                                 adafactor: n + m per [n, m] matrix, n per [n] vector
 *   fp32:   4 bytes for everything: SGD stores 2P numbers, Adam 4P (the lecture's count)
 *   mixed:  fp16 weights and gradients (2 bytes each) + fp32 master weights (4 bytes)
 *           + fp32 optimiser state
 */

import { countParameters, type ParameterTensor } from './modelShapes';

export type OptimizerKind = 'sgd' | 'momentum' | 'adam' | 'adafactor';
export type PrecisionMode = 'fp32' | 'mixed';

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adafactor'];

/** Bytes of each part of the training state, and how they compare with P. */
export interface MemoryBreakdown {
  parameters: number;
  gradients: number;
  /** fp32 copy of the weights that mixed precision updates; 0 in fp32. */
  masterWeights: number;
  optimizerState: number;
  total: number;
  parameterCount: number;
  optimizerStateValues: number;
  /** Stored numbers / P: 2 for SGD in fp32, 4 for Adam (whatever their width). */
  valuesPerParameter: number;
  /** total / P: 8 for SGD in fp32, 16 for Adam in fp32 and in mixed precision. */
  bytesPerParameter: number;
}

/** A model given as a bare parameter count, or as its tensors (needed by AdaFactor). */
export type ModelSize = number | readonly ParameterTensor[];

/** Numbers the optimiser keeps besides the weights and gradients. */
export function optimizerStateValues(model: ModelSize, optimizer: OptimizerKind): number {
  const P = typeof model === 'number' ? model : countParameters(model);
  switch (optimizer) {
    case 'sgd':
      return 0;
    case 'momentum':
      return P;
    case 'adam':
      return 2 * P;
    case 'adafactor':
      if (typeof model === 'number') {
        throw new RangeError('optimizerStateValues: AdaFactor needs the tensor shapes, not just a parameter count');
      }
      // Factored row and column statistics; no momentum (the paper's default).
      return model.reduce((sum, t) => sum + t.count * (t.shape.length === 2 ? t.shape[0] + t.shape[1] : t.shape[0]), 0);
    default:
      throw new RangeError(`optimizerStateValues: unknown optimizer ${JSON.stringify(optimizer)}`);
  }
}

export function trainingMemory(model: ModelSize, optimizer: OptimizerKind, precision: PrecisionMode): MemoryBreakdown {
  const P = typeof model === 'number' ? model : countParameters(model);
  if (!Number.isSafeInteger(P) || P < 1)
    throw new RangeError(`trainingMemory: parameter count must be a whole number >= 1, got ${P}`);
  if (precision !== 'fp32' && precision !== 'mixed') {
    throw new RangeError(`trainingMemory: precision must be 'fp32' or 'mixed', got ${JSON.stringify(precision)}`);
  }
  const stateValues = optimizerStateValues(model, optimizer);
  const mixed = precision === 'mixed';
  const parameters = (mixed ? 2 : 4) * P;
  const gradients = (mixed ? 2 : 4) * P;
  const masterWeights = mixed ? 4 * P : 0;
  const optimizerState = 4 * stateValues;
  const total = parameters + gradients + masterWeights + optimizerState;
  return {
    parameters,
    gradients,
    masterWeights,
    optimizerState,
    total,
    parameterCount: P,
    optimizerStateValues: stateValues,
    valuesPerParameter: ((mixed ? 3 : 2) * P + stateValues) / P,
    bytesPerParameter: total / P,
  };
}
