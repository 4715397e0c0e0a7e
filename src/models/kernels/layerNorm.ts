// tfjs kernels on the wasm backend that run layerNorm.wat: a layer norm's
// forward pass (y, and xhat and rstd for the backward pass) and its backward
// pass (dx, dg, db), one kernel call each. layers.ts's layerNorm uses them
// inside its tf.customGrad when layerNormAvailable() says so, and its own
// tfjs ops everywhere else.
import * as tf from '@tensorflow/tfjs-core';
import { LAYERNORM_WASM } from './layerNormBinary';
import { runRows } from './threads';
import { kernelExport, kernelModule, registerWasmKernel, scratch, wasmBackend, type WasmBackendLike } from './runtime';

export const LAYER_NORM_FORWARD = 'NotebookLayerNormForward';
export const LAYER_NORM_BACKWARD = 'NotebookLayerNormBackward';

/** True when the active backend is wasm and the kernels can run on it. */
export function layerNormAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, LAYERNORM_WASM)) return false;
  registerWasmKernel(LAYER_NORM_FORWARD, forwardKernel);
  registerWasmKernel(LAYER_NORM_BACKWARD, backwardKernel);
  return true;
}

type KernelArgs = {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
};

function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x, g, b } = inputs;
  const [n, c] = x.shape;
  const y = backend.makeOutput([n, c], 'float32');
  const xhat = backend.makeOutput([n, c], 'float32');
  const rstd = backend.makeOutput([n], 'float32');
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  // eps rounded to float32, as the tfjs path stores it.
  // Rows [r, r + count) of x, y and xhat, and their rstd; argument 8 (eps) travels as a float32.
  const [px, py, ph, pr] = [x, y, xhat, rstd].map(at);
  const eps = Math.fround(attrs.eps as number);
  runRows(
    backend,
    LAYERNORM_WASM,
    'forward',
    kernelExport(backend, LAYERNORM_WASM, 'forward'),
    n,
    n * c,
    (r, count) => [px + 4 * r * c, at(g), at(b), py + 4 * r * c, ph + 4 * r * c, pr + 4 * r, count, c, eps],
    1 << 8,
  );
  return [y, xhat, rstd];
}

function backwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, xhat, rstd, g } = inputs;
  const [n, c] = xhat.shape;
  const acc = scratch(backend, 16 * c); // 2c float64 sums
  const dx = backend.makeOutput([n, c], 'float32');
  const dg = backend.makeOutput([c], 'float32');
  const db = backend.makeOutput([c], 'float32');
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  kernelExport(backend, LAYERNORM_WASM, 'backward')(
    at(dy),
    at(xhat),
    at(rstd),
    at(g),
    at(dx),
    at(dg),
    at(db),
    acc,
    n,
    c,
  );
  return [dx, dg, db];
}

function check(what: string, t: tf.Tensor, shape: number[]): void {
  if (t.dtype !== 'float32') throw new TypeError(`layer norm: ${what} is ${t.dtype}, not float32`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new RangeError(`layer norm: ${what} has shape [${t.shape}], expected [${shape}]`);
}

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor[] {
  return tf
    .engine()
    .runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/**
 * Layer norm of x [N, C] with gain g [C] and bias b [C], biased variance:
 * returns y [N, C], xhat = (x - mean) * rstd [N, C] and rstd = 1/sqrt(var + eps) [N].
 * Only on wasm, after layerNormAvailable() said true; C >= 1.
 * Not differentiable by itself: layers.ts wraps it in tf.customGrad.
 */
export function layerNormForward(
  x: tf.Tensor2D,
  g: tf.Tensor1D,
  b: tf.Tensor1D,
  eps: number,
): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  if (x.rank !== 2) throw new RangeError(`layer norm: x has shape [${x.shape}], expected [N, C]`);
  const [n, c] = x.shape;
  if (c < 1) throw new RangeError('layer norm: x needs at least one column');
  check('x', x, [n, c]);
  check('g', g, [c]);
  check('b', b, [c]);
  if (!(eps >= 0)) throw new RangeError(`layer norm: eps must be >= 0, got ${eps}`);
  return run(LAYER_NORM_FORWARD, { x, g, b }, { eps }) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
}

/**
 * Gradients of layerNormForward from dy [N, C] and its saved xhat [N, C],
 * rstd [N] and g [C]: returns dx [N, C], dg [C], db [C].
 */
export function layerNormBackward(
  dy: tf.Tensor,
  xhat: tf.Tensor,
  rstd: tf.Tensor,
  g: tf.Tensor,
): [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D] {
  if (xhat.rank !== 2) throw new RangeError(`layer norm: xhat has shape [${xhat.shape}], expected [N, C]`);
  const [n, c] = xhat.shape;
  if (c < 1) throw new RangeError('layer norm: xhat needs at least one column');
  check('dy', dy, [n, c]);
  check('xhat', xhat, [n, c]);
  check('rstd', rstd, [n]);
  check('g', g, [c]);
  return run(LAYER_NORM_BACKWARD, { dy, xhat, rstd, g }) as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
}
