// A tfjs kernel on the wasm backend that runs adamw.wat over every
// parameter of a model in one kernel call: inputs p, g, m, v of each
// parameter (and the gradient scale), outputs new p, m, v of each. The
// caller (src/train/optim/adam.ts) assigns the outputs to its variables, so
// no tensor is written in place. The gradient scale is read where tfjs keeps
// it, in wasm memory, so nothing waits for a download.
import * as tf from '@tensorflow/tfjs-core';
import { ADAMW_WASM } from './adamwBinary';
import { kernelExport, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const ADAMW_UPDATE = 'NotebookAdamWUpdate';

/** The per-step constants, as TensorAdam's tfjs path makes them (each is rounded to float32). */
export interface AdamWStep {
  beta1: number;
  beta2: number;
  /** Multiplies every gradient (TensorAdam's gradScale) when given. */
  gradScale?: tf.Scalar;
  /**
   * Fold the scale into the moment coefficients ((1 - b1) s and (1 - b2) s^2)
   * instead of multiplying each gradient by it; TensorAdam does so unless
   * the decay is coupled.
   */
  foldScale: boolean;
  weightDecay: number;
  /** 1 - lr wd: AdamW's decoupled decay factor. */
  decay: number;
  /** eps sqrt(bc2). */
  epsHat: number;
  /** -lr sqrt(bc2) / bc1. */
  stepSize: number;
}

/** One parameter with its gradient and moments (same size, float32), and how decay applies to it. */
export interface AdamWParam {
  p: tf.Tensor;
  g: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
  /** 'coupled': g + wd p (Adam with L2); 'decoupled': p (1 - lr wd) (AdamW). */
  decay: 'none' | 'coupled' | 'decoupled';
}

interface Attrs {
  modes: number[];
  scalars: number[];
}

// mode bits, as adamw.wat reads them
const FOLD = 1;
const SCALE = 2;
const COUPLED = 4;
const DECOUPLED = 8;

/** True when the active backend is wasm and the kernel can run on it. */
export function adamwAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, ADAMW_WASM)) return false;
  registerWasmKernel(ADAMW_UPDATE, adamwKernel);
  return true;
}

function adamwKernel({
  inputs,
  backend,
  attrs,
}: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: Attrs;
}): tf.TensorInfo[] {
  const adamw = kernelExport(backend, ADAMW_WASM, 'adamw');
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  const scale = inputs.scale ? at(inputs.scale) : 0;
  const outputs: tf.TensorInfo[] = [];
  attrs.modes.forEach((mode, i) => {
    const [p, g, m, v] = [inputs[`p${i}`], inputs[`g${i}`], inputs[`m${i}`], inputs[`v${i}`]];
    const size = tf.util.sizeFromShape(p.shape);
    const po = backend.makeOutput(p.shape, 'float32');
    const mo = backend.makeOutput(p.shape, 'float32');
    const vo = backend.makeOutput(p.shape, 'float32');
    adamw(at(p), at(g), at(m), at(v), at(po), at(mo), at(vo), size, mode, scale, ...attrs.scalars);
    outputs.push(po, mo, vo);
  });
  return outputs;
}

const sizeOf = (t: tf.Tensor) => tf.util.sizeFromShape(t.shape);

/**
 * One Adam/AdamW update of every parameter in `params`, in one kernel:
 * returns the new [p, m, v] of each (new tensors, to assign; the inputs are
 * left as they were). Only on wasm, after adamwAvailable() said true.
 */
export function adamwUpdate(params: AdamWParam[], step: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor][] {
  if (params.length === 0) return [];
  const { gradScale } = step;
  if (gradScale !== undefined && (gradScale.dtype !== 'float32' || gradScale.size !== 1))
    throw new TypeError(`adamw: gradScale must be a float32 scalar, got ${gradScale.dtype} [${gradScale.shape}]`);
  const inputs: Record<string, tf.Tensor> = {};
  const modes: number[] = [];
  params.forEach(({ p, g, m, v, decay }, i) => {
    const n = sizeOf(p);
    for (const [what, t] of [
      ['p', p],
      ['g', g],
      ['m', m],
      ['v', v],
    ] as const) {
      if (t.dtype !== 'float32') throw new TypeError(`adamw: parameter ${i}'s ${what} is ${t.dtype}, not float32`);
      if (sizeOf(t) !== n)
        throw new RangeError(`adamw: parameter ${i}'s ${what} has shape [${t.shape}], the parameter [${p.shape}]`);
    }
    inputs[`p${i}`] = p;
    inputs[`g${i}`] = g;
    inputs[`m${i}`] = m;
    inputs[`v${i}`] = v;
    let mode = 0;
    if (gradScale !== undefined) mode |= step.foldScale ? FOLD : SCALE;
    if (decay === 'coupled') mode |= COUPLED;
    if (decay === 'decoupled') mode |= DECOUPLED;
    modes.push(mode);
  });
  if (gradScale !== undefined) inputs.scale = gradScale;
  const { beta1, beta2 } = step;
  // The order of adamw.wat's float parameters.
  const scalars = [beta1, beta2, 1 - beta1, 1 - beta2, step.weightDecay, step.decay, step.epsHat, step.stepSize];
  const attrs: Attrs = { modes, scalars };
  const out = tf
    .engine()
    .runKernel(ADAMW_UPDATE, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as
    tf.Tensor | tf.Tensor[];
  const flat = Array.isArray(out) ? out : [out];
  return params.map((_, i) => [flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]]);
}
