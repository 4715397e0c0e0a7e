// A tfjs kernel on the wasm backend that runs fp16.wat: rounds any number of
// float32 tensors to their nearest FP16 values (as float32) in one kernel
// call, one output per input, same shapes, so a whole model's parameters or
// gradients are rounded without a concat and a split. Its gradient is the
// identity for every input (straight-through), the rule simulated mixed
// precision uses; src/train/precision/roundFp16.ts is the caller and keeps
// its tfjs ops on every other backend.
import * as tf from '@tensorflow/tfjs-core';
import { FP16_WASM } from './fp16Binary';
import { kernelExport, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const ROUND_FP16 = 'NotebookRoundFp16';

/** True when the active backend is wasm and the kernel can run on it. */
export function fp16Available(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, FP16_WASM)) return false;
  registerWasmKernel(ROUND_FP16, roundKernel);
  if (!tf.getGradient(ROUND_FP16)) tf.registerGradient({ kernelName: ROUND_FP16, gradFunc: straightThrough });
  return true;
}

/** The gradient of every output w.r.t. its input is the identity: each input gets its output's dy. */
function straightThrough(dy: tf.Tensor | tf.Tensor[]): ReturnType<tf.GradFunc> {
  const dys = Array.isArray(dy) ? dy : [dy];
  return Object.fromEntries(dys.map((d, i) => [`x${i}`, () => d]));
}

function roundKernel({
  inputs,
  backend,
}: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
}): tf.TensorInfo[] {
  const fp16 = kernelExport(backend, FP16_WASM, 'fp16');
  const outputs: tf.TensorInfo[] = [];
  for (let i = 0; `x${i}` in inputs; i++) {
    const x = inputs[`x${i}`];
    const size = tf.util.sizeFromShape(x.shape);
    const out = backend.makeOutput(x.shape, 'float32');
    // Offsets are read after makeOutput, which may grow the memory (offsets stay valid; views would not).
    if (size > 0) fp16(backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), size);
    outputs.push(out);
  }
  return outputs;
}

/**
 * The nearest FP16 value of every element of every tensor (new float32
 * tensors, same shapes, same order), in one kernel; the gradient passes
 * straight through. Only on wasm, after fp16Available() said true.
 */
export function roundFp16Wasm(tensors: tf.Tensor[]): tf.Tensor[] {
  if (tensors.length === 0) return [];
  const inputs: Record<string, tf.Tensor> = {};
  tensors.forEach((t, i) => {
    if (t.dtype !== 'float32') throw new TypeError(`fp16: tensor ${i} is ${t.dtype}, not float32`);
    inputs[`x${i}`] = t;
  });
  const out = tf.engine().runKernel(ROUND_FP16, inputs as unknown as tf.NamedTensorMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
