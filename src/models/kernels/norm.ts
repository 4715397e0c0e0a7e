// The global L2 norm of a set of tensors on the wasm backend (norm.wat):
// sqrt of the sum of every element's square, added in float64 and rounded
// to float32 once, in one kernel call for all the tensors. tfjs's own path
// (a Square and a Sum per tensor, then AddN and Sqrt) adds in float32.
import * as tf from '@tensorflow/tfjs-core';
import { NORM_WASM } from './normBinary';
import { kernelExport, heapF32, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const GLOBAL_NORM = 'NotebookGlobalNorm';

/** True when the active backend is wasm and the kernel can run on it. */
export function globalNormAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, NORM_WASM)) return false;
  registerWasmKernel(GLOBAL_NORM, globalNormKernel);
  return true;
}

function globalNormKernel(args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike }): tf.TensorInfo {
  const { inputs, backend } = args;
  const sumSquares = kernelExport(backend, NORM_WASM, 'sumSquares');
  let total = 0;
  for (let i = 0; `x${i}` in inputs; i++) {
    const x = inputs[`x${i}`];
    const size = tf.util.sizeFromShape(x.shape);
    if (size > 0) total += sumSquares(backend.getMemoryOffset(x.dataId), size) as number;
  }
  const out = backend.makeOutput([], 'float32');
  heapF32(backend)[backend.getMemoryOffset(out.dataId) / 4] = Math.sqrt(total); // rounded to float32 here
  return out;
}

/** sqrt(sum of squares of every element of every tensor), a float32 scalar. Only after globalNormAvailable(). */
export function globalNormOf(tensors: tf.Tensor[]): tf.Scalar {
  const inputs: Record<string, tf.Tensor> = {};
  tensors.forEach((t, i) => {
    if (t.dtype !== 'float32') throw new TypeError(`global norm: tensor ${i} is ${t.dtype}, not float32`);
    inputs[`x${i}`] = t;
  });
  return tf.engine().runKernel(GLOBAL_NORM, inputs) as tf.Scalar;
}
