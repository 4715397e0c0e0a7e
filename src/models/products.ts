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
//
// XNNPACK's right operand is its "weights": wasm builds an XNNPACK operator
// holding b's shape and a packed copy of b's values, and caches it under b's
// buffer id only (tfjs-backend-wasm batch_mat_mul_impl.cc: key {b_id,
// bias_id, activation}, no shape) until that buffer is freed. tf.reshape,
// customGrad's save() and add's gradient all share one buffer (and id) between
// tensors of different shapes, so a buffer used as b in a second shape runs
// the first shape's operator: it reads the wrong number of elements of a and
// writes too few outputs, leaving the rest of the reused output buffer as
// garbage (wrong and run-to-run different results, no error). E.g. embed's
// backward used dy as b both as [B*T, C] (matMulTN) and, reshaped, as
// [B, T*C] (colSum). So on wasm every product here hands b over through
// asWeights(), which gives a buffer's second shape its own copy. Products
// with an untransposed b that bypass this file can reintroduce the bug.
import * as tf from '@tensorflow/tfjs-core';

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

// Buffer (tensor dataId, one object per buffer, never reused) -> the shape it
// was first used in as XNNPACK weights. Weak, so freed tensors drop out.
const weightShapes = new WeakMap<object, string>();

/**
 * `b` safe to use as the right operand of a wasm XNNPACK product: itself, or
 * a copy if its buffer already served as weights in another shape (see top).
 */
function asWeights(b: tf.Tensor2D): tf.Tensor2D {
  const shape = b.shape.join(',');
  const seen = weightShapes.get(b.dataId);
  if (seen === undefined) weightShapes.set(b.dataId, shape);
  if (seen === undefined || seen === shape) return b;
  const copy = tf.clone(b); // wasm's Identity kernel copies into a new buffer
  weightShapes.set(copy.dataId, shape);
  return copy;
}

/** a b on XNNPACK. a: [N, K], b: [K, M] -> [N, M]. wasm only. */
function xnnMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, asWeights(b));
}

/** a b. a: [N, K], b: [K, M] -> [N, M]. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onWasm() ? xnnMatMul(a, b) : tf.matMul(a, b);
}

/** a b + bias, one fused kernel. a: [N, K], b: [K, M], bias: [M] -> [N, M]. */
export function matMulBias(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.fused.matMul({ a, b: onWasm() ? asWeights(b) : b, bias }) as tf.Tensor2D;
}

/** a b^T. a: [N, K], b: [M, K] -> [N, M]. Meant for a weight-sized b. */
export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onWasm() ? xnnMatMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/** a^T b (a weight gradient). a: [N, I], b: [N, O] -> [I, O]. */
export function matMulTN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, b, true, false);
  // Transpose whichever operand is smaller; (b^T a)^T is [O, I] -> [I, O], weight-sized.
  return a.size <= b.size ? xnnMatMul(tf.transpose(a), b) : tf.transpose(xnnMatMul(tf.transpose(b), a));
}

/** Sum over rows. x: [N, C] -> [C]. */
export function colSum(x: tf.Tensor2D): tf.Tensor1D {
  if (!onWasm()) return tf.sum(x, 0);
  const [N, C] = x.shape;
  return tf.reshape(xnnMatMul(tf.ones([1, N]), x), [C]);
}

/** Rows `ids` of `table` (forward of an embedding). table: [V, C], ids: int32 [N] -> [N, C]. */
export function rows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  // wasm: oneHot + cast + XNNPACK matMul is 0.37 ms for 1024 ids into a
  // [96, 64] table, GatherV2 2.1 ms. Other backends gather directly.
  // (Cast after oneHot, never oneHot(..., 'float32'): wasm's OneHot writes
  // int32 bit patterns into a float32 output, so 1 reads back as 1.4e-45.)
  if (!onWasm()) return tf.gather(table, ids);
  return xnnMatMul(tf.cast(tf.oneHot(ids, table.shape[0]), 'float32') as tf.Tensor2D, table);
}
