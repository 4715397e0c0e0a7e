// Gradient clipping by global L2 norm on tensors: one factor for all
// parameters, so the update keeps its direction and only its length shrinks.
//
// Semantics of src/core/clip.ts: scale = min(1, maxNorm / norm) exactly
// (PyTorch's clip_grad_norm_ uses maxNorm / (norm + 1e-6), 1e-6 relative
// smaller), a zero norm is left alone, and a non-finite norm leaves the
// gradients untouched (the caller sees it in the returned norm and the loss).
import * as tf from '@tensorflow/tfjs-core';
import { globalNormAvailable, globalNormOf } from '../../models/kernels/norm';

/**
 * sqrt of the sum of squares of every element of every gradient, as a scalar.
 * On wasm one kernel adds the squares in float64 (models/kernels/norm.ts);
 * elsewhere tfjs's ops add them in float32.
 */
export function globalNorm(grads: Record<string, tf.Tensor>): tf.Scalar {
  const tensors = Object.values(grads);
  if (tensors.length > 0 && tensors.every((g) => g.dtype === 'float32') && globalNormAvailable())
    return globalNormOf(tensors);
  return tf.tidy(() => {
    const sums = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    if (sums.length === 0) return tf.scalar(0);
    return tf.sqrt(sums.length === 1 ? sums[0] : tf.addN(sums)) as tf.Scalar;
  });
}

/** min(1, maxNorm / norm), or 1 when the norm is not finite. Scalar in, scalar out. */
export function clipScale(norm: tf.Scalar, maxNorm: number): tf.Scalar {
  if (!(maxNorm >= 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be >= 0, got ${maxNorm}`);
  // norm = 0 gives maxNorm / 0 = Infinity, and min(1, Infinity) = 1.
  return tf.tidy(
    () => tf.where(tf.isFinite(norm), tf.minimum(tf.div(maxNorm, norm), 1), tf.onesLike(norm)) as tf.Scalar,
  );
}

/**
 * Gradients scaled by min(1, maxNorm / norm) and the norm before clipping.
 * The returned tensors are new; the caller disposes them (or calls this in a tidy).
 */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = globalNorm(grads);
    const scale = clipScale(norm, maxNorm);
    const clipped: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
    return { grads: clipped, norm };
  });
}
