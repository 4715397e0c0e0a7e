// tfjs kernels on the wasm backend that run pointwise.wat: the tanh GELU,
// the softmax cross-entropy and attention's masked softmax, forward and
// backward, one fused kernel each. layers.ts and attention.ts use them inside
// their tf.customGrad ops (the kernels themselves are not differentiable)
// when pointwiseAvailable() says so, and tfjs's own ops everywhere else.
import * as tf from '@tensorflow/tfjs-core';
import { POINTWISE_WASM } from './pointwiseBinary';
import { runElementwise, runRows } from './threads';
import { kernelExport, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const GELU_FORWARD = 'NotebookGeluForward';
export const GELU_BACKWARD = 'NotebookGeluBackward';
export const CROSS_ENTROPY_FORWARD = 'NotebookCrossEntropyForward';
export const CROSS_ENTROPY_BACKWARD = 'NotebookCrossEntropyBackward';
export const SOFTMAX_FORWARD = 'NotebookSoftmaxForward';
export const SOFTMAX_BACKWARD = 'NotebookSoftmaxBackward';

/** True when the active backend is wasm and the kernels can run on it (and then registers them). */
export function pointwiseAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, POINTWISE_WASM)) return false;
  registerWasmKernel(GELU_FORWARD, geluForwardKernel);
  registerWasmKernel(GELU_BACKWARD, geluBackwardKernel);
  registerWasmKernel(CROSS_ENTROPY_FORWARD, crossEntropyForwardKernel);
  registerWasmKernel(CROSS_ENTROPY_BACKWARD, crossEntropyBackwardKernel);
  registerWasmKernel(SOFTMAX_FORWARD, softmaxForwardKernel);
  registerWasmKernel(SOFTMAX_BACKWARD, softmaxBackwardKernel);
  return true;
}

type KernelArgs<A = object> = { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike; attrs: A };

const size = tf.util.sizeFromShape;
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function checkFloat(what: string, t: tf.TensorInfo): void {
  if (t.dtype !== 'float32') throw new TypeError(`pointwise kernels: ${what} is ${t.dtype}, not float32`);
}

const kernel = (backend: WasmBackendLike, name: string) => kernelExport(backend, POINTWISE_WASM, name);

function geluForwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { x } = inputs;
  checkFloat('x', x);
  const y = backend.makeOutput(x.shape, 'float32');
  const s = backend.makeOutput(x.shape, 'float32');
  const arrays = [x, y, s].map((t) => backend.getMemoryOffset(t.dataId));
  runElementwise(backend, POINTWISE_WASM, 'geluForward', kernel(backend, 'geluForward'), arrays, size(x.shape));
  return [y, s];
}

function geluBackwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, x, s } = inputs;
  for (const [what, t] of [
    ['dy', dy],
    ['x', x],
    ['s', s],
  ] as const) {
    checkFloat(what, t);
    if (!sameShape(t.shape, x.shape))
      throw new RangeError(`gelu backward: ${what} has shape [${t.shape}], x has [${x.shape}]`);
  }
  const dx = backend.makeOutput(x.shape, 'float32');
  const arrays = [dy, x, s, dx].map((t) => backend.getMemoryOffset(t.dataId));
  runElementwise(backend, POINTWISE_WASM, 'geluBackward', kernel(backend, 'geluBackward'), arrays, size(x.shape));
  return dx;
}

/** [N, V] logits and int32 [N] targets; returns [N, V]. */
function checkCrossEntropy(logits: tf.TensorInfo, targets: tf.TensorInfo): [number, number] {
  checkFloat('logits', logits);
  if (logits.shape.length !== 2) throw new RangeError(`cross-entropy: logits must be [N, V], got [${logits.shape}]`);
  const [N, V] = logits.shape;
  if (targets.dtype !== 'int32') throw new TypeError(`cross-entropy: targets are ${targets.dtype}, not int32`);
  if (!sameShape(targets.shape, [N]))
    throw new RangeError(`cross-entropy: targets must be [${N}] for logits [${logits.shape}], got [${targets.shape}]`);
  return [N, V];
}

function crossEntropyForwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { logits, targets } = inputs;
  const [N, V] = checkCrossEntropy(logits, targets);
  const nll = backend.makeOutput([N], 'float32');
  const stats = backend.makeOutput([N, 2], 'float32');
  const [l, t, o, s] = [logits, targets, nll, stats].map((x) => backend.getMemoryOffset(x.dataId));
  // Rows [r, r + count): logits and stats rows of V and 2 floats, one target and loss each.
  if (N > 0 && V > 0)
    runRows(
      backend,
      POINTWISE_WASM,
      'crossEntropyForward',
      kernel(backend, 'crossEntropyForward'),
      N,
      N * V,
      (r, count) => [l + 4 * r * V, t + 4 * r, o + 4 * r, s + 8 * r, count, V],
    );
  return [nll, stats];
}

function crossEntropyBackwardKernel({
  inputs,
  backend,
  attrs,
}: KernelArgs<{ reduction: 'none' | 'mean' }>): tf.TensorInfo {
  const { logits, targets, stats, dy } = inputs;
  const [N, V] = checkCrossEntropy(logits, targets);
  checkFloat('stats', stats);
  checkFloat('dy', dy);
  if (!sameShape(stats.shape, [N, 2]))
    throw new RangeError(`cross-entropy backward: stats must be [${N}, 2], got [${stats.shape}]`);
  const mean = attrs.reduction === 'mean';
  if (size(dy.shape) !== (mean ? 1 : N))
    throw new RangeError(`cross-entropy backward: dy has shape [${dy.shape}] for reduction '${attrs.reduction}'`);
  const dlogits = backend.makeOutput([N, V], 'float32');
  const [l, t, s, d, out] = [logits, targets, stats, dy, dlogits].map((x) => backend.getMemoryOffset(x.dataId));
  const dyStride = mean ? 0 : 4;
  // Argument 5, the divisor, is a float32.
  if (N > 0 && V > 0)
    runRows(
      backend,
      POINTWISE_WASM,
      'crossEntropyBackward',
      kernel(backend, 'crossEntropyBackward'),
      N,
      N * V,
      (r, count) => [
        l + 4 * r * V,
        t + 4 * r,
        s + 8 * r,
        d + r * dyStride,
        dyStride,
        mean ? N : 1,
        out + 4 * r * V,
        count,
        V,
      ],
      1 << 5,
    );
  return dlogits;
}

/**
 * Element strides (batch, head, query) of a mask that broadcasts to scores
 * of shape [B, H, Tq, Tk] along those three axes and has all Tk columns
 * contiguous (e.g. [Tq, Tk] or [B, 1, 1, Tk]), or null for any other shape.
 */
export function softmaxMaskStrides(maskShape: readonly number[], scoresShape: readonly number[]): number[] | null {
  if (scoresShape.length !== 4 || maskShape.length < 1 || maskShape.length > 4) return null;
  const shape = [...Array<number>(4 - maskShape.length).fill(1), ...maskShape];
  if (shape[3] !== scoresShape[3]) return null;
  const strides = [0, 0, 0];
  let stride = shape[3];
  for (let axis = 2; axis >= 0; axis--) {
    if (shape[axis] === scoresShape[axis] && shape[axis] !== 1) strides[axis] = stride;
    else if (shape[axis] !== 1) return null;
    stride *= shape[axis];
  }
  return strides;
}

function softmaxForwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { scores, mask } = inputs;
  checkFloat('scores', scores);
  checkFloat('mask', mask);
  const strides = softmaxMaskStrides(mask.shape, scores.shape);
  if (!strides) throw new RangeError(`masked softmax: mask [${mask.shape}] does not fit scores [${scores.shape}]`);
  const [B, H, Tq, Tk] = scores.shape;
  const probs = backend.makeOutput(scores.shape, 'float32');
  const [sc, m, out] = [scores, mask, probs].map((x) => backend.getMemoryOffset(x.dataId));
  const block = 4 * H * Tq * Tk; // bytes of one batch of scores
  // Batches [b, b + count): the mask moves by its batch stride (0 when it broadcasts).
  if (size(scores.shape) > 0)
    runRows(
      backend,
      POINTWISE_WASM,
      'softmaxForward',
      kernel(backend, 'softmaxForward'),
      B,
      size(scores.shape),
      (b, count) => [sc + b * block, m + 4 * b * strides[0], out + b * block, count, H, Tq, Tk, ...strides],
    );
  return probs;
}

function softmaxBackwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { probs, dProbs } = inputs;
  checkFloat('probs', probs);
  checkFloat('dProbs', dProbs);
  if (probs.shape.length < 1 || !sameShape(dProbs.shape, probs.shape))
    throw new RangeError(`softmax backward: dProbs has shape [${dProbs.shape}], probs has [${probs.shape}]`);
  const n = probs.shape[probs.shape.length - 1];
  const dScores = backend.makeOutput(probs.shape, 'float32');
  const [p, dp, ds] = [probs, dProbs, dScores].map((x) => backend.getMemoryOffset(x.dataId));
  const rows = size(probs.shape) / n;
  if (rows > 0)
    runRows(
      backend,
      POINTWISE_WASM,
      'softmaxBackward',
      kernel(backend, 'softmaxBackward'),
      rows,
      rows * n,
      (r, count) => [p + 4 * r * n, dp + 4 * r * n, ds + 4 * r * n, count, n],
    );
  return dScores;
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object = {}) =>
  tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);

/**
 * GELU (tanh form) forward: [y, s] with s = sigmoid(2u), which geluBackward
 * needs. Only on wasm, after pointwiseAvailable() said true.
 */
export function geluForward<T extends tf.Tensor>(x: T): [T, T] {
  return run(GELU_FORWARD, { x }) as unknown as [T, T];
}

/** GELU backward: dx from dy, x and geluForward's s. */
export function geluBackward(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  return run(GELU_BACKWARD, { dy, x, s }) as tf.Tensor;
}

/**
 * Softmax cross-entropy forward: [nll [N], stats [N, 2]] (row max and
 * log-sum-exp, for crossEntropyBackward). A target outside [0, V) selects
 * no logit (nll = log-sum-exp), as a one-hot row of zeros does.
 */
export function crossEntropyForward(logits: tf.Tensor2D, targets: tf.Tensor1D): [tf.Tensor1D, tf.Tensor2D] {
  return run(CROSS_ENTROPY_FORWARD, { logits, targets }) as unknown as [tf.Tensor1D, tf.Tensor2D];
}

/**
 * Softmax cross-entropy backward: (softmax - onehot) * scale, with scale =
 * dy / N for 'mean' (dy a scalar) and dy[row] for 'none' (dy [N]).
 */
export function crossEntropyBackward(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  stats: tf.Tensor2D,
  dy: tf.Tensor,
  reduction: 'none' | 'mean',
): tf.Tensor2D {
  return run(CROSS_ENTROPY_BACKWARD, { logits, targets, stats, dy }, { reduction }) as tf.Tensor2D;
}

/**
 * Attention's softmax(scores + mask) over the last axis, one kernel. scores:
 * [B, H, Tq, Tk]; the mask must satisfy softmaxMaskStrides (check it first).
 * Only on wasm, after pointwiseAvailable() said true.
 */
export function maskedSoftmax(scores: tf.Tensor4D, mask: tf.Tensor): tf.Tensor4D {
  return run(SOFTMAX_FORWARD, { scores, mask }) as tf.Tensor4D;
}

/**
 * Softmax backward over the last axis: dScores = P (dP - rowsum(dP P)), from
 * the probabilities P and their gradient dP (same shape).
 */
export function softmaxBackward<T extends tf.Tensor>(probs: T, dProbs: T): T {
  return run(SOFTMAX_BACKWARD, { probs, dProbs }) as T;
}
