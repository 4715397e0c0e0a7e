// Matrix products and column sums in the form each backend runs fastest.
//
// On wasm every product here runs in the notebook's own kernel
// (kernels/gemm.wat through kernels/stridedGemm.ts): it reads a transposed
// operand in place through its strides, so a^T b and a b^T cost what a b
// costs, with no materialised transpose. Median ms with tfjs-backend-wasm 4.22
// on this 2-core machine (scripts/measure/products.measure.ts; XNNPACK with its
// operand transposed first, as before; own kernel SIMD128 on Node 20 /
// relaxed SIMD on Node 22):
//   [1024,64] [64,256]         XNNPACK 1.10 ms   own 0.95 / 0.99 ms
//   [1024,256] [64,256]^T              0.93          0.65 / 0.69
//   [1024,64]^T [1024,256]             1.20          0.76 / 0.77
//   [1024,256]^T [1024,64]             2.81          0.63 / 0.64
//   [1024,64]^T [1024,83]              0.72          0.24 / 0.22
//   tfjs's own transposed matMul (a naive loop)   12-14 ms
// A training step had spent 4.4 ms in tf.transpose alone (npm run profile). cpu, webgl and
// webgpu handle transposed operands inside their matMul, so they keep tfjs's
// flags and tf.sum. Where the kernel cannot load (no WebAssembly SIMD, or
// forced off) wasm falls back to XNNPACK's plain product as before, with its
// operator-cache workaround (asWeights, below).
import * as tf from '@tensorflow/tfjs-core';
import { columnSum, columnSumAvailable } from './kernels/columnSum';
import { gatherRows, rowsKernelsAvailable, scatterAddRows } from './kernels/rows';
import { stridedGemm, stridedGemmAvailable, type Strides } from './kernels/stridedGemm';

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

// XNNPACK's right operand is its "weights": wasm builds an XNNPACK operator
// holding b's shape and a packed copy of b's values, and caches it under b's
// buffer id only (tfjs-backend-wasm batch_mat_mul_impl.cc: key {b_id,
// bias_id, activation}, no shape) until that buffer is freed. tf.reshape,
// customGrad's save() and add's gradient all share one buffer (and id) between
// tensors of different shapes, so a buffer used as b in a second shape runs
// the first shape's operator: wrong, run-to-run different results, no error.
// So the XNNPACK fallback hands b over through asWeights(), which gives a
// buffer's second shape its own copy.
const weightShapes = new WeakMap<object, string>();

function asWeights(b: tf.Tensor2D): tf.Tensor2D {
  const shape = b.shape.join(',');
  const seen = weightShapes.get(b.dataId);
  if (seen === undefined) weightShapes.set(b.dataId, shape);
  if (seen === undefined || seen === shape) return b;
  const copy = tf.clone(b); // wasm's Identity kernel copies into a new buffer
  weightShapes.set(copy.dataId, shape);
  return copy;
}

/** a b on XNNPACK. a: [N, K], b: [K, M] -> [N, M]. wasm without the own kernel. */
function xnnMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, asWeights(b));
}

/** Element (row, col) of a row-major [rows, cols] matrix, read as its transpose when `t`. */
const stridesOf = (cols: number, t: boolean): Strides => (t ? [0, 0, 1, cols] : [0, 0, cols, 1]);

/**
 * op(a) op(b) (+ bias) in the own kernel, op = transpose where asked.
 * a: [N, K] or [K, N] (transA), b: [K, M] or [M, K] (transB), bias: [M] -> [N, M].
 */
function kernelMatMul(a: tf.Tensor2D, b: tf.Tensor2D, transA: boolean, transB: boolean, bias?: tf.Tensor1D) {
  const [N, K] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [K2, M] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (K !== K2) throw new RangeError(`matMul: inner sizes differ, [${a.shape}] and [${b.shape}]`);
  if (N === 0 || M === 0 || K === 0) {
    const zeros = tf.zeros([N, M]) as tf.Tensor2D;
    return bias && N > 0 ? (tf.add(zeros, bias) as tf.Tensor2D) : zeros;
  }
  const product = {
    a: { input: 0, offset: 0, strides: stridesOf(a.shape[1], transA) },
    b: { input: 1, offset: 0, strides: stridesOf(b.shape[1], transB) },
    c: { offset: 0, strides: [0, 0, M, 1] as Strides },
    nb: 1,
    nh: 1,
    m: N,
    n: M,
    k: K,
    alpha: 1,
    ...(bias ? { bias: { input: 2, offset: 0 } } : {}),
  };
  return stridedGemm(bias ? [a, b, bias] : [a, b], [N, M], [product]) as tf.Tensor2D;
}

/** a b. a: [N, K], b: [K, M] -> [N, M]. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, b);
  return stridedGemmAvailable() ? kernelMatMul(a, b, false, false) : xnnMatMul(a, b);
}

/** a b + bias, one fused kernel. a: [N, K], b: [K, M], bias: [M] -> [N, M]. */
export function matMulBias(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  if (onWasm() && stridedGemmAvailable()) return kernelMatMul(a, b, false, false, bias);
  return tf.fused.matMul({ a, b: onWasm() ? asWeights(b) : b, bias }) as tf.Tensor2D;
}

/** a b^T. a: [N, K], b: [M, K] -> [N, M]. */
export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, b, false, true);
  return stridedGemmAvailable() ? kernelMatMul(a, b, false, true) : xnnMatMul(a, tf.transpose(b));
}

/** a^T b (a weight gradient). a: [N, I], b: [N, O] -> [I, O]. */
export function matMulTN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, b, true, false);
  if (stridedGemmAvailable()) return kernelMatMul(a, b, true, false);
  // XNNPACK: transpose whichever operand is smaller; (b^T a)^T is [O, I] -> [I, O], weight-sized.
  return a.size <= b.size ? xnnMatMul(tf.transpose(a), b) : tf.transpose(xnnMatMul(tf.transpose(b), a));
}

/** Sum over rows. x: [N, C] -> [C]. */
export function colSum(x: tf.Tensor2D): tf.Tensor1D {
  if (!onWasm()) return tf.sum(x, 0);
  if (columnSumAvailable()) return columnSum(x);
  const [N, C] = x.shape;
  return tf.reshape(xnnMatMul(tf.ones([1, N]), x), [C]);
}

/** oneHot(ids, V) as float32: [N, V]. */
function oneHotRows(ids: tf.Tensor1D, V: number): tf.Tensor2D {
  // Cast after oneHot, never oneHot(..., 'float32'): wasm's OneHot writes
  // int32 bit patterns into a float32 output, so 1 reads back as 1.4e-45.
  return tf.cast(tf.oneHot(ids, V), 'float32') as tf.Tensor2D;
}

/**
 * Rows `ids` of `table` (forward of an embedding; zeros for an id outside
 * [0, V)). table: [V, C], ids: int32 [N] -> [N, C].
 */
export function rows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  // wasm: the row-copy kernel (kernels/rows.wat); without it oneHot + a
  // product (0.37 ms for 1024 ids into a [96, 64] table; GatherV2 2.1 ms).
  // Other backends gather directly.
  if (!onWasm()) return tf.gather(table, ids);
  if (rowsKernelsAvailable()) return gatherRows(table, ids);
  return matMul(oneHotRows(ids, table.shape[0]), table);
}

/**
 * The gradient of rows() w.r.t. the table: out[r] = sum of dy[n] over
 * ids[n] = r (ids outside [0, V) add nothing). dy: [N, C], ids: int32 [N]
 * -> [V, C]. Written out because tf.gather's own gradient needs
 * UnsortedSegmentSum, which wasm lacks (tfjs #8082): a scatter-add kernel
 * on wasm, oneHot(ids)^T dy elsewhere.
 */
export function rowsGrad(dy: tf.Tensor2D, ids: tf.Tensor1D, V: number): tf.Tensor2D {
  if (onWasm() && rowsKernelsAvailable()) return scatterAddRows(dy, ids, V);
  return matMulTN(oneHotRows(ids, V), dy);
}
