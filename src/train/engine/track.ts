// Tracked elements: single parameter entries whose gradient and optimiser
// moments are reported every step (the SGD-vs-Adam page's moment plots). The
// engine probes the reference arm's gradients before its update and reads
// its moments after it.
import * as tf from '@tensorflow/tfjs-core';
import type { TrackSpec } from '../contract';
import { TensorAdam } from '../optim/adam';
import type { TensorOptimizer } from '../optim/tensorOptimizer';
import type { GradProbe } from '../step';

/** The tracked entries of a set of named tensors, as one [K] tensor (K = track.length). */
function pick(track: readonly TrackSpec[], x: Record<string, tf.Tensor>): tf.Tensor1D {
  return tf.stack(
    track.map((t) => tf.reshape(tf.slice(tf.reshape(x[t.name], [-1]), [t.index], [1]), [])),
  ) as tf.Tensor1D;
}

/** g of each tracked element: a GradProbe giving [K]. */
export function trackProbe(track: readonly TrackSpec[]): GradProbe {
  return (grads) => pick(track, grads);
}

/** m and v after the update of each tracked element, [2, K]; null unless the optimiser is Adam(W). */
export function trackMoments(track: readonly TrackSpec[], optimizer: TensorOptimizer): tf.Tensor2D | null {
  if (!(optimizer instanceof TensorAdam) || track.length === 0) return null;
  const { m, v } = optimizer.state();
  return tf.tidy(() => tf.stack([pick(track, m), pick(track, v)]) as tf.Tensor2D);
}

/**
 * A [K] and a [2, K] read-back as the step's tracked values; undefined when
 * either is missing (an arm with simulated precision is not probed, and SGD
 * has no moments).
 */
export function trackedValues(g: ArrayLike<number> | null, mv: ArrayLike<number> | null, K: number) {
  if (!g || !mv) return undefined;
  return Array.from({ length: K }, (_, k) => ({ g: g[k], m: mv[k], v: mv[K + k] }));
}
