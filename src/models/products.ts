// Matrix products and reductions in the form each backend runs fastest.
//
// Measured with tfjs-backend-wasm 4.22 (SIMD, 1 thread, Node 20, this 2-core
// machine; best of 60):
//   [1024,64] x [64,256]  plain matMul            0.9 ms   (XNNPACK)
//   same with transposeA or transposeB            12-14 ms (naive loop)
//   tf.transpose [1024,64] / [64,256]             0.47 / 0.02 ms
//   column sum of [1024,256]: tf.sum(x, 0)        3.3 ms
//                             ones[1,1024] @ x    0.03 ms
// wasm only uses XNNPACK for an untransposed product with batch 1, so there
// we materialise the transpose (of the smaller operand) and sum columns with
// a matMul. cpu, webgl and webgpu handle transposed operands inside the
// matMul kernel, so they keep tfjs's transpose flags and tf.sum.
import * as tf from '@tensorflow/tfjs-core';

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

/** a b^T. a: [N, K], b: [M, K] -> [N, M]. Meant for a weight-sized b. */
export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onWasm() ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/** a^T b (a weight gradient). a: [N, I], b: [N, O] -> [I, O]. */
export function matMulTN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, b, true, false);
  // Transpose whichever operand is smaller; (b^T a)^T is [O, I] -> [I, O], weight-sized.
  return a.size <= b.size ? tf.matMul(tf.transpose(a), b) : tf.transpose(tf.matMul(tf.transpose(b), a)) as tf.Tensor2D;
}

/** Sum over rows. x: [N, C] -> [C]. */
export function colSum(x: tf.Tensor2D): tf.Tensor1D {
  if (!onWasm()) return tf.sum(x, 0);
  const [N, C] = x.shape;
  return tf.reshape(tf.matMul(tf.ones([1, N]), x), [C]);
}

/** Rows `ids` of `table` (forward of an embedding). table: [V, C], ids: int32 [N] -> [N, C]. */
export function rows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  // wasm: oneHot + cast + XNNPACK matMul is 0.37 ms for 1024 ids into a
  // [96, 64] table, GatherV2 2.1 ms. Other backends gather directly.
  // (Cast after oneHot, never oneHot(..., 'float32'): wasm's OneHot writes
  // int32 bit patterns into a float32 output, so 1 reads back as 1.4e-45.)
  if (!onWasm()) return tf.gather(table, ids);
  return tf.matMul(tf.cast(tf.oneHot(ids, table.shape[0]), 'float32'), table);
}
