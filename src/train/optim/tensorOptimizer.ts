// What a training step needs from an optimiser, in its own file so the
// optimisers (sgd.ts, adam.ts, adafactor.ts) and the factory that builds them
// (optimizer.ts) can all import it without importing each other.
import type * as tf from '@tensorflow/tfjs-core';

export interface TensorOptimizer {
  /**
   * One update of every parameter in `grads` (keyed by parameter name) at
   * `lr`, this step's rate (the arm's schedule gives it; an optimiser keeps no
   * rate of its own). `gradScale`, a scalar tensor (the clipping factor),
   * multiplies every gradient before it enters the update. Runs in its own
   * tf.tidy; reads nothing back.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, gradScale?: tf.Scalar): void;
  /** The live state (tf.Variables, not copies); `step` counts the updates taken. */
  state(): { step: number };
  /** Frees the optimiser's own tensors (not the parameters). */
  dispose(): void;
}
