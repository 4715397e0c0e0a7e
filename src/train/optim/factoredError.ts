// How well AdaFactor's factored estimate would stand in for Adam's full
// second moment: for each matrix v [n, m], keep only its row sums R and
// column sums C and rebuild V = R C^T / sum(R) (exact when v has rank 1).
import * as tf from '@tensorflow/tfjs-core';

/**
 * ||V - v||_F / ||v||_F over all 2-D entries of `moments` together (each
 * matrix's error and norm summed before the ratio). Returns a scalar tensor;
 * 0 when there is no matrix or v is all zero.
 */
export function factoredRelativeError(moments: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const matrices = Object.values(moments).filter((v) => v.rank === 2) as tf.Tensor2D[];
    if (matrices.length === 0) return tf.scalar(0);
    const errs: tf.Scalar[] = [];
    const norms: tf.Scalar[] = [];
    for (const v of matrices) {
      const R = tf.sum(v, 1, true); // [n, 1]
      const C = tf.sum(v, 0, true); // [1, m]
      // R (C / sum R): dividing first keeps tiny values from underflowing in the product.
      const rebuilt = tf.mul(R, tf.div(C, tf.maximum(tf.sum(R), 1e-30)));
      errs.push(tf.sum(tf.square(tf.sub(rebuilt, v))));
      norms.push(tf.sum(tf.square(v)));
    }
    const norm = tf.addN(norms);
    return tf.where(
      tf.greater(norm, 0),
      tf.sqrt(tf.div(tf.addN(errs), tf.maximum(norm, 1e-38))),
      tf.scalar(0),
    ) as tf.Scalar;
  });
}
