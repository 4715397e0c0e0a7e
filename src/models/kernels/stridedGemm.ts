// A tfjs kernel on the wasm backend that runs gemm.wat: several strided,
// batched products written into one new tensor. Attention (attention.ts)
// uses it to read heads straight out of projections and to write gradients
// for q, k and v into one buffer.
//
// The kernel works on tfjs-backend-wasm's own linear memory, which it reaches
// through the backend's Emscripten module (`wasm.asm.memory`, `_malloc`) and
// `getMemoryOffset`. Those are internals of tfjs-backend-wasm 4.x, so
// stridedGemmAvailable() checks them (and WebAssembly SIMD) and callers fall
// back to tfjs's own ops when anything is missing.
import * as tf from '@tensorflow/tfjs-core';
import { GEMM_WASM } from './gemmBinary';
import {
  heapF32,
  kernelExport,
  kernelLevel,
  kernelModule,
  registerWasmKernel,
  scratch,
  wasmBackend,
  type KernelLevel,
  type WasmBackendLike,
} from './runtime';
import { runGemm, type GemmArgs } from './threads';

export const STRIDED_GEMM = 'NotebookStridedGemm';

/** Strides in elements, for the axes (batch, head, row, column). */
export type Strides = readonly [number, number, number, number];

/** One operand: input number `input`, element (b, h, i, j) at offset + b*s0 + h*s1 + i*s2 + j*s3. */
export interface Operand {
  input: number;
  offset: number;
  strides: Strides;
}

/**
 * out[c(b, h, i, j)] = alpha * sum_l a(b, h, i, l) b(b, h, l, j) (+ bias[j]) for b < nb,
 * h < nh, i < m, j < n, l < k.
 */
export interface Product {
  a: Operand;
  b: Operand;
  c: { offset: number; strides: Strides };
  nb: number;
  nh: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  /** Optional: n contiguous floats of input `input` from `offset`, added to every row. */
  bias?: { input: number; offset: number };
}

export interface StridedGemmAttrs {
  shape: number[];
  /** Zero the output first (when the products do not cover all of it). */
  zero: boolean;
  products: Product[];
}

/** True when the active backend is wasm and the kernel can run on it. */
export function stridedGemmAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, GEMM_WASM)) return false;
  registerWasmKernel(STRIDED_GEMM, stridedGemmKernel);
  return true;
}

/** The build of the gemm kernel the active backend runs: relaxed, simd, or off (not wasm, or no SIMD). */
export function stridedGemmLevel(): KernelLevel {
  return kernelLevel(GEMM_WASM);
}

/** Largest element index an operand touches, and the check that it fits. */
function checkOperand(
  what: string,
  offset: number,
  strides: Strides,
  extent: [number, number, number, number],
  size: number,
): void {
  const last = offset + strides.reduce((sum, s, axis) => sum + s * (extent[axis] - 1), 0);
  const first = offset + strides.reduce((sum, s, axis) => sum + Math.min(0, s * (extent[axis] - 1)), 0);
  if (first < 0 || last >= size)
    throw new RangeError(`strided gemm: ${what} reaches outside its tensor (${first}..${last} of ${size})`);
}

function checkProduct(p: Product, sizes: number[], outSize: number): void {
  for (const v of [p.nb, p.nh, p.m, p.n, p.k]) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`strided gemm: sizes must be positive integers, got ${[p.nb, p.nh, p.m, p.n, p.k]}`);
  }
  const size = (o: Operand) => sizes[o.input] ?? Number.NaN;
  checkOperand('a', p.a.offset, p.a.strides, [p.nb, p.nh, p.m, p.k], size(p.a));
  checkOperand('b', p.b.offset, p.b.strides, [p.nb, p.nh, p.k, p.n], size(p.b));
  checkOperand('c', p.c.offset, p.c.strides, [p.nb, p.nh, p.m, p.n], outSize);
  if (p.bias) checkOperand('bias', p.bias.offset, [0, 0, 0, 1], [1, 1, 1, p.n], sizes[p.bias.input] ?? Number.NaN);
}

function stridedGemmKernel(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: StridedGemmAttrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const ins: tf.TensorInfo[] = [];
  for (let i = 0; inputs[`x${i}`] !== undefined; i++) ins.push(inputs[`x${i}`]);
  const sizes = ins.map((t) => tf.util.sizeFromShape(t.shape));
  const outSize = tf.util.sizeFromShape(attrs.shape);
  for (const p of attrs.products) checkProduct(p, sizes, outSize);
  const gemm = kernelExport(backend, GEMM_WASM, 'gemm');

  // Scratch for the packed operands and bias: ceil(m/4)*4*k + (k+1)*ceil(n/8)*8 floats.
  const need = Math.max(
    ...attrs.products.map((p) => (Math.ceil(p.m / 4) * 4 * p.k + (p.k + 1) * Math.ceil(p.n / 8) * 8) * 4),
  );
  const ap = scratch(backend, need);
  const out = backend.makeOutput(attrs.shape, 'float32');
  const outPtr = backend.getMemoryOffset(out.dataId);
  // A view made after every allocation: growing the memory replaces its buffer.
  if (attrs.zero) heapF32(backend).fill(0, outPtr / 4, outPtr / 4 + outSize);
  const ptrs = ins.map((t) => backend.getMemoryOffset(t.dataId));
  for (const p of attrs.products) {
    const bp = ap + Math.ceil(p.m / 4) * 4 * p.k * 4;
    const bytes = (s: Strides) => [s[0] * 4, s[1] * 4, s[2] * 4, s[3] * 4] as const;
    const args: GemmArgs = [
      ptrs[p.a.input] + p.a.offset * 4,
      ...bytes(p.a.strides),
      ptrs[p.b.input] + p.b.offset * 4,
      ...bytes(p.b.strides),
      outPtr + p.c.offset * 4,
      ...bytes(p.c.strides),
      p.nb,
      p.nh,
      p.m,
      p.n,
      p.k,
      p.alpha,
      ap,
      bp,
      p.bias ? ptrs[p.bias.input] + p.bias.offset * 4 : 0,
    ];
    runGemm(backend, gemm, args);
  }
  return out;
}

/**
 * Runs `products` over `inputs` (float32 tensors) into a new
 * tensor of `shape`. Only on wasm, after stridedGemmAvailable() said true.
 * Not differentiable by itself: callers wrap it in tf.customGrad.
 */
export function stridedGemm(inputs: tf.Tensor[], shape: number[], products: Product[], zero = false): tf.Tensor {
  if (inputs.length < 1) throw new RangeError('strided gemm needs at least one input');
  const named: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float32') throw new TypeError(`strided gemm: input ${i} is ${t.dtype}, not float32`);
    named[`x${i}`] = t;
  });
  const attrs: StridedGemmAttrs = { shape, zero, products };
  return tf
    .engine()
    .runKernel(STRIDED_GEMM, named as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
