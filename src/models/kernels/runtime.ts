// The notebook's own WebAssembly kernels run on tfjs-backend-wasm's linear
// memory: each kernel module imports that memory, so it reads a tensor where
// tfjs keeps it and writes its output into a tensor tfjs allocated, with no
// copy in or out. This file instantiates the modules (once per backend and
// module), hands out a scratch region, and decides which build to run:
//   'relaxed'  relaxed-SIMD (f32x4.relaxed_madd, a fused multiply-add where
//              the CPU has one), when the engine validates it;
//   'simd'     SIMD128 only (mul then add), everywhere else with SIMD;
//   'off'      no kernel: callers use tfjs's own ops.
// forceKernelLevel() lowers the level for tests and for the `?kernels=` URL
// flag, so every fallback can be forced on a machine that has all three.
//
// It reaches tfjs's memory through the backend's Emscripten module
// (`wasm.asm.memory`, `_malloc`) and `getMemoryOffset`: internals of
// tfjs-backend-wasm 4.x, checked before use; anything missing means 'off'.
import * as tf from '@tensorflow/tfjs-core';

export type KernelLevel = 'relaxed' | 'simd' | 'off';
const ORDER: readonly KernelLevel[] = ['off', 'simd', 'relaxed'];

export interface WasmBackendLike {
  incRef(dataId: object): void;
  wasm: {
    asm: { memory: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** One kernel module's two builds (base64 of the .wasm bytes). */
export interface KernelBinaries {
  name: string;
  relaxed?: string;
  simd: string;
  /** The same builds importing a shared memory: for tfjs's heap when it is shared (sharedHeap.ts). */
  shared: { relaxed?: string; simd: string };
}

type Exports = Record<string, (...args: number[]) => number | void>;

interface BackendState {
  memory: WebAssembly.Memory;
  modules: Map<string, { level: KernelLevel; exports: Exports | null }>;
  /** Scratch regions, by who uses them: the trainer's kernels, and the helper thread's part of one. */
  scratch: Record<ScratchOwner, { ptr: number; bytes: number }>;
}

export type ScratchOwner = 'trainer' | 'helper';

const states = new WeakMap<object, BackendState | null>();
let ceiling: KernelLevel = 'relaxed';

/**
 * Caps the level every kernel runs at (null: no cap). Takes effect for
 * modules not yet instantiated, so call it before the backend's first
 * kernel (tests: at the top of a file; the worker: before training).
 */
export function forceKernelLevel(level: KernelLevel | null): void {
  ceiling = level ?? 'relaxed';
}

/** The cap forceKernelLevel() set ('relaxed': none). */
export function kernelCeiling(): KernelLevel {
  return ceiling;
}

/** A build's bytes from its base64. */
export function decodeBinary(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function stateFor(backend: WasmBackendLike): BackendState | null {
  if (states.has(backend)) return states.get(backend)!;
  const memory = backend.wasm?.asm?.memory;
  const ok =
    memory instanceof WebAssembly.Memory &&
    typeof backend.wasm._malloc === 'function' &&
    typeof backend.getMemoryOffset === 'function';
  const state: BackendState | null = ok
    ? { memory, modules: new Map(), scratch: { trainer: { ptr: 0, bytes: 0 }, helper: { ptr: 0, bytes: 0 } } }
    : null;
  states.set(backend, state);
  return state;
}

/** The active backend when it is tfjs's wasm backend, else null. */
export function wasmBackend(): WasmBackendLike | null {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendLike) : null;
}

/**
 * The exports of `binaries` on this backend's memory at the highest level the
 * engine validates and the cap allows, or null ('off'). Synchronous
 * compilation: the modules are a few kB and this runs in a worker or Node.
 */
export function kernelModule(backend: WasmBackendLike, binaries: KernelBinaries): Exports | null {
  return loaded(backend, binaries)?.exports ?? null;
}

/**
 * Export `name` of `binaries` on this backend. For a kernel function, which
 * tfjs calls only after the module's availability check said yes; throws if
 * the module is not loaded after all.
 */
export function kernelExport(
  backend: WasmBackendLike,
  binaries: KernelBinaries,
  name: string,
): (...args: number[]) => number | void {
  const fn = kernelModule(backend, binaries)?.[name];
  if (!fn) throw new Error(`${binaries.name} kernels: ${name} is not available on this backend`);
  return fn;
}

/** The level `binaries` runs at on the active backend ('off' when not on wasm). */
export function kernelLevel(binaries: KernelBinaries): KernelLevel {
  const backend = wasmBackend();
  return (backend && loaded(backend, binaries)?.level) ?? 'off';
}

function loaded(backend: WasmBackendLike, binaries: KernelBinaries) {
  const state = stateFor(backend);
  if (!state) return null;
  let entry = state.modules.get(binaries.name);
  if (!entry) {
    entry = { level: 'off', exports: null };
    // A shared heap (a cross-origin isolated page, sharedHeap.ts) takes the builds that import one.
    const own = heapIsShared(backend) ? binaries.shared : binaries;
    const builds: [KernelLevel, string | undefined][] = [
      ['relaxed', own.relaxed],
      ['simd', own.simd],
    ];
    for (const [level, base64] of builds) {
      if (!base64 || ORDER.indexOf(level) > ORDER.indexOf(ceiling)) continue;
      try {
        const bytes = decodeBinary(base64);
        if (!WebAssembly.validate(bytes)) continue;
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: state.memory } });
        entry = { level, exports: instance.exports as unknown as Exports };
        break;
      } catch {
        /* try the next build */
      }
    }
    state.modules.set(binaries.name, entry);
    if (entry.level !== 'off') shareOnIdentity();
  }
  return entry;
}

let identityShares = false;

/**
 * tfjs-backend-wasm's Identity kernel copies its input into a new buffer, and
 * tfjs clones (Identity) every tensor a customGrad saves for its backward
 * pass: 57 copies a step of the default GPT, activations up to [1024, 256].
 * Tensors are immutable and no kernel here writes into an input, so with the
 * own kernels on, Identity shares the buffer as tfjs's cpu backend and wasm's
 * own Reshape do (a reference count, freed with its last tensor). With the
 * kernels off, tfjs's copying kernel stays (products.ts's XNNPACK fallback
 * relies on tf.clone giving a new buffer).
 */
function shareOnIdentity(): void {
  if (identityShares) return;
  const copying = tf.getKernel(tf.Identity, 'wasm');
  if (!copying) return;
  identityShares = true;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === 'string') return copying.kernelFunc(args);
      (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });
}

/**
 * A 16-byte aligned scratch region of at least `bytes` in the backend's
 * memory, shared by all kernels (each uses it only during its own call); the
 * helper thread has its own ('helper'), used while the trainer uses its.
 * Allocating may grow the memory: make views of it after calling this.
 */
export function scratch(backend: WasmBackendLike, bytes: number, owner: ScratchOwner = 'trainer'): number {
  const state = stateFor(backend);
  if (!state) throw new Error('wasm kernels: backend memory is not reachable');
  const region = state.scratch[owner];
  const need = bytes + 16;
  if (need > region.bytes) {
    if (region.ptr) backend.wasm._free(region.ptr);
    region.bytes = Math.max(need, 2 * region.bytes);
    region.ptr = backend.wasm._malloc(region.bytes);
  }
  return (region.ptr + 15) & ~15;
}

/** Whether tfjs's heap on this backend is a shared memory (sharedHeap.ts). */
export function heapIsShared(backend: WasmBackendLike): boolean {
  const memory = stateFor(backend)?.memory;
  return typeof SharedArrayBuffer === 'function' && memory?.buffer instanceof SharedArrayBuffer;
}

/** The backend's memory (for the helper thread), or null when it is not reachable. */
export function backendMemory(backend: WasmBackendLike): WebAssembly.Memory | null {
  return stateFor(backend)?.memory ?? null;
}

/** A float32 view of the backend's memory as it is now (growing replaces the buffer). */
export function heapF32(backend: WasmBackendLike): Float32Array {
  return new Float32Array(stateFor(backend)!.memory.buffer);
}

/** Registers `kernelFunc` under `kernelName` on wasm once. */
export function registerWasmKernel(kernelName: string, kernelFunc: unknown): void {
  if (!tf.getKernel(kernelName, 'wasm'))
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
}
