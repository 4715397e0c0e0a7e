// Column sums on the wasm backend in gemm.wat's `colsum`: the gradient of a
// bias or a layer-norm gain. tfjs's wasm Sum over axis 0 of [1024, 256]
// took 3.3 ms, and a ones-row product through XNNPACK builds and packs a
// new operator every step (0.12 ms a call); this is one pass over x.
import * as tf from '@tensorflow/tfjs-core';
import { GEMM_WASM } from './gemmBinary';
import { kernelExport, heapF32, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const COLUMN_SUM = 'NotebookColumnSum';

/** True when the active backend is wasm and the kernel can run on it. */
export function columnSumAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, GEMM_WASM)) return false;
  registerWasmKernel(COLUMN_SUM, columnSumKernel);
  return true;
}

function columnSumKernel(args: { inputs: { x: tf.TensorInfo }; backend: WasmBackendLike }): tf.TensorInfo {
  const { inputs, backend } = args;
  const [rows, cols] = inputs.x.shape;
  const colsum = kernelExport(backend, GEMM_WASM, 'colsum');
  const out = backend.makeOutput([cols], 'float32');
  const outPtr = backend.getMemoryOffset(out.dataId);
  if (rows === 0) heapF32(backend).fill(0, outPtr / 4, outPtr / 4 + cols);
  else if (cols > 0) colsum(backend.getMemoryOffset(inputs.x.dataId), rows, cols, cols * 4, outPtr);
  return out;
}

/** Sum over rows. x: float32 [N, C] -> [C]. Only on wasm, after columnSumAvailable() said true. */
export function columnSum(x: tf.Tensor2D): tf.Tensor1D {
  if (x.rank !== 2 || x.dtype !== 'float32')
    throw new TypeError(`column sum: needs a float32 matrix, got ${x.dtype} [${x.shape}]`);
  return tf.engine().runKernel(COLUMN_SUM, { x }) as tf.Tensor1D;
}
