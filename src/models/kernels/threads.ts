// A second thread for the big kernels, when the page is cross-origin
// isolated and the machine has two cores or more.
//
// Then tfjs's heap is a shared memory (sharedHeap.ts), and a helper worker
// instantiates the same kernel builds on that very memory. For one kernel
// call the trainer posts the helper's part (the kernel's arguments for its
// rows, columns, batches or elements) in a control block in the heap,
// notifies it, computes its own part, and spins until the helper is done.
// Nothing is copied: both read the inputs where tfjs keeps them and write
// their disjoint parts of the output in place. Both parts run the same code
// on the same tiles (splits fall on multiples of the kernels' 4 rows, 8
// columns or 4 lanes), so every element is bit-identical to one thread's.
//
// The helper spins for SPIN_MS after a job, then sleeps in Atomics.wait.
import { GEMM_WASM } from './gemmBinary';
import { LAYERNORM_WASM } from './layerNormBinary';
import { POINTWISE_WASM } from './pointwiseBinary';
import {
  backendMemory,
  decodeBinary,
  heapIsShared,
  kernelLevel,
  scratch,
  type KernelBinaries,
  type WasmBackendLike,
} from './runtime';

/** What the trainer needs of a helper: a Worker or a worker_threads Worker. */
export interface HelperPort {
  postMessage(message: HelperInit): void;
  terminate(): unknown;
}

export interface HelperInit {
  memory: WebAssembly.Memory;
  /** Kernel builds (the same as the trainer runs, shared-memory variants). */
  modules: Uint8Array<ArrayBuffer>[];
  /** The functions a job may name, by index: [module index, export name]. */
  functions: [number, string][];
  /** Byte address of the control block in the heap. */
  control: number;
  spinMs: number;
}

export type HelperSpawner = () => HelperPort;

/** The kernels the helper runs, and which of their exports. */
const SPLIT: [KernelBinaries, string[]][] = [
  [GEMM_WASM, ['gemm']],
  [
    POINTWISE_WASM,
    ['geluForward', 'geluBackward', 'softmaxForward', 'softmaxBackward', 'crossEntropyForward', 'crossEntropyBackward'],
  ],
  [LAYERNORM_WASM, ['forward']],
];

/** Control block (Int32 indices): job counter, last job done, ready, function, argument count, float mask, arguments. */
const SEQ = 0;
const DONE = 1;
const READY = 2;
const FN = 3;
const NARGS = 4;
const FLOATS = 5;
const ARGS = 8;
const MAX_ARGS = 24;
const CONTROL_INTS = ARGS + MAX_ARGS;
const SPIN_MS = 5;
/** The trainer gives up on a helper that has not answered in this long and computes its part itself. */
const STUCK_MS = 5000;
/** Products below this many flops (2 m n k per batch and head) stay on one thread: a hand-off costs microseconds. */
const MIN_SPLIT_FLOPS = 2e6;
/**
 * Elementwise and row-wise kernels below this many elements stay on one
 * thread: a hand-off costs tens of microseconds when the helper has to wake,
 * more than splitting a [1024, 64] layer norm saves (measured in Chromium).
 */
const MIN_SPLIT_ELEMENTS = 131072;

/**
 * The helper's loop (runs in the helper thread). Self-contained, so it also
 * runs from its source text (Node: worker_threads with eval); the control
 * block's indices are written out for that reason.
 */
export function helperLoop({ memory, modules, functions, control, spinMs }: HelperInit): void {
  const instances = modules.map(
    (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }),
  );
  const fns = functions.map(([m, name]) => instances[m].exports[name] as (...args: number[]) => void);
  const ctl = new Int32Array(memory.buffer, control, 32);
  const ctlF = new Float32Array(memory.buffer, control, 32);
  const args: number[] = [];
  Atomics.store(ctl, 2, 1); // READY
  let seen = Atomics.load(ctl, 0);
  for (;;) {
    const start = performance.now();
    let seq = Atomics.load(ctl, 0);
    while (seq === seen) {
      if (performance.now() - start > spinMs) Atomics.wait(ctl, 0, seen);
      seq = Atomics.load(ctl, 0);
    }
    seen = seq;
    const n = ctl[4];
    const floats = ctl[5];
    args.length = n;
    for (let i = 0; i < n; i++) args[i] = (floats >> i) & 1 ? ctlF[8 + i] : ctl[8 + i];
    fns[ctl[3]](...args);
    Atomics.store(ctl, 1, seen); // DONE
  }
}

let spawner: HelperSpawner | null = null;
let forced: 1 | 2 | null = null;

/** How a helper thread is started here (the trainer worker: a module Worker; Node tests: worker_threads). */
export function setHelperSpawner(next: HelperSpawner | null): void {
  spawner = next;
}

/** Caps the threads (1: never split; null: as the page allows). For `?threads=1` and tests. */
export function forceKernelThreads(threads: 1 | 2 | null): void {
  forced = threads;
  if (threads === 1) disposeKernelThreads();
}

/**
 * Why kernels must run on one thread here, before any backend exists (the
 * trainer asks this to decide whether tfjs's heap is made shared), or null
 * when two are allowed.
 */
export function singleThreadReason(): string | null {
  if (forced === 1) return 'capped by ?threads=1';
  if (forced === null) {
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true)
      return 'the page is not cross-origin isolated';
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    if (cores < 2) return 'one CPU core';
  }
  if (typeof SharedArrayBuffer !== 'function') return 'no SharedArrayBuffer';
  if (!spawner) return 'no helper thread here';
  return null;
}

interface Pool {
  memory: WebAssembly.Memory;
  port: HelperPort;
  /**
   * The control block in tfjs's heap (never freed while the helper lives), as
   * int32 and float32 views. Growing a shared memory leaves earlier views of
   * it valid over their range, so these are made once.
   */
  ctl: Int32Array;
  ctlF: Float32Array;
  seq: number;
  broken: boolean;
  /** "module:export" -> function index. */
  ids: Map<string, number>;
}

let pool: Pool | null = null;

/** Terminates the helper thread, if any (the backend is not wasm any more; ?threads=1; tests). */
export function disposeKernelThreads(): void {
  pool?.port.terminate();
  pool = null;
}

/**
 * Starts the helper on this backend if two threads are allowed and tfjs's
 * heap is shared, and says how many threads the kernels use (2 once it is
 * started: it takes jobs as soon as it has compiled, one thread until then).
 */
export function startKernelThreads(backend: WasmBackendLike): 1 | 2 {
  if (singleThreadReason() !== null || !heapIsShared(backend)) return 1;
  const memory = backendMemory(backend)!;
  if (pool && pool.memory === memory && !pool.broken) return 2;
  disposeKernelThreads();
  const modules: Uint8Array<ArrayBuffer>[] = [];
  const functions: [number, string][] = [];
  const ids = new Map<string, number>();
  for (const [binaries, names] of SPLIT) {
    // The helper runs the build the trainer runs, so both parts round alike.
    const level = kernelLevel(binaries);
    const base64 = level === 'relaxed' ? binaries.shared.relaxed : level === 'simd' ? binaries.shared.simd : null;
    if (!base64) continue;
    modules.push(decodeBinary(base64));
    for (const name of names) {
      ids.set(`${binaries.name}:${name}`, functions.length);
      functions.push([modules.length - 1, name]);
    }
  }
  if (functions.length === 0) return 1;
  try {
    const control = (backend.wasm._malloc(4 * CONTROL_INTS + 16) + 15) & ~15;
    const ctl = new Int32Array(memory.buffer, control, CONTROL_INTS).fill(0);
    const ctlF = new Float32Array(memory.buffer, control, CONTROL_INTS);
    const port = spawner!();
    port.postMessage({ memory, modules, functions, control, spinMs: SPIN_MS });
    pool = { memory, port, ctl, ctlF, seq: 0, broken: false, ids };
    return 2;
  } catch {
    return 1;
  }
}

/** Threads the kernels use now: 2 while a working helper is started, else 1. */
export function kernelThreads(): 1 | 2 {
  return pool && !pool.broken ? 2 : 1;
}

/** True once the helper has compiled its kernels and takes jobs. */
export function helperReady(): boolean {
  return pool !== null && !pool.broken && Atomics.load(pool.ctl, READY) === 1;
}

/** Jobs the helper has finished since it started (tests check that a kernel was split). */
export function helperJobs(): number {
  return pool ? Atomics.load(pool.ctl, DONE) : 0;
}

/** The pool, when it is ready for jobs on this backend's memory. */
function readyPool(backend: WasmBackendLike): Pool | null {
  return pool && helperReady() && pool.memory === backendMemory(backend) ? pool : null;
}

/**
 * Runs `fn` (the trainer's instance of `binaries`' export `name`) on `mine`
 * and the helper's on `theirs` at the same time; `floats` marks the float32
 * arguments (bit i: argument i).
 */
function both(
  p: Pool,
  binaries: KernelBinaries,
  name: string,
  fn: (...args: number[]) => unknown,
  mine: number[],
  theirs: number[],
  floats = 0,
): void {
  const id = p.ids.get(`${binaries.name}:${name}`);
  if (id === undefined || theirs.length > MAX_ARGS) {
    fn(...mine);
    fn(...theirs);
    return;
  }
  const { ctl, ctlF } = p;
  ctl[FN] = id;
  ctl[NARGS] = theirs.length;
  ctl[FLOATS] = floats;
  theirs.forEach((v, i) => {
    if ((floats >> i) & 1) ctlF[ARGS + i] = v;
    else ctl[ARGS + i] = v;
  });
  const seq = ++p.seq;
  Atomics.store(ctl, SEQ, seq);
  Atomics.notify(ctl, SEQ, 1);

  fn(...mine);

  const start = performance.now();
  for (let spins = 0; Atomics.load(ctl, DONE) !== seq; spins++) {
    if ((spins & 1023) === 1023 && performance.now() - start > STUCK_MS) {
      // The helper stopped answering: do its part here, and never hand it another.
      p.broken = true;
      fn(...theirs);
      return;
    }
  }
}

/** gemm.wat's arguments, in its order (byte addresses and byte strides). */
export type GemmArgs = [
  a: number,
  asb: number,
  ash: number,
  asr: number,
  asc: number,
  b: number,
  bsb: number,
  bsh: number,
  bsr: number,
  bsc: number,
  c: number,
  csb: number,
  csh: number,
  csr: number,
  csc: number,
  nb: number,
  nh: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  ap: number,
  bp: number,
  bias: number,
];
const ALPHA = 1 << 20;

type Axis = 'batch' | 'row' | 'col';

/**
 * The trainer's share of a product split by rows or columns: the helper's
 * half runs ~10% slower (its operands were last written from the trainer's
 * core), so the trainer takes a little more (measured in Chromium).
 */
const TRAINER_SHARE = 0.53;

/** The arguments of batches, rows or columns [from, to) of a product, the rest unchanged. */
function part(args: GemmArgs, axis: Axis, from: number, to: number): GemmArgs {
  const p = [...args] as GemmArgs;
  if (axis === 'batch') {
    p[0] += from * args[1];
    p[5] += from * args[6];
    p[10] += from * args[11];
    p[15] = to - from;
  } else if (axis === 'row') {
    p[0] += from * args[3];
    p[10] += from * args[13];
    p[17] = to - from;
  } else {
    p[5] += from * args[9];
    p[10] += from * args[14];
    if (p[23]) p[23] += from * 4;
    p[18] = to - from;
  }
  return p;
}

/** The byte range [start, end) an operand at `base` with these strides and extents touches; null if a stride is negative. */
function span(base: number, strides: number[], extents: number[]): [number, number] | null {
  let end = base + 4;
  for (let i = 0; i < strides.length; i++) {
    if (strides[i] < 0) return null;
    end += strides[i] * (extents[i] - 1);
  }
  return [base, end];
}

/**
 * Whether the two parts of C share no byte: batches whose spans do not
 * meet, or rows and columns of a C whose rows (or columns) do not overlap
 * one another, so each element has its own address.
 */
function partsApart(args: GemmArgs, axis: Axis, cut: number): boolean {
  const [csb, csh, csr, csc] = args.slice(11, 15);
  const [nb, nh, m, n] = args.slice(15, 19);
  if (axis !== 'batch') return csr > 0 && csc > 0 && (csr >= n * csc || csc >= m * csr);
  const strides = [csb, csh, csr, csc];
  const own = span(args[10], strides, [cut, nh, m, n]);
  const other = span(args[10] + cut * csb, strides, [nb - cut, nh, m, n]);
  return own !== null && other !== null && (own[1] <= other[0] || other[1] <= own[0]);
}

/**
 * Which way to split a product: its batches when it has several, else the
 * rows of C (a multiple of 4, the kernel's tile) when there are more rows
 * than columns, else its columns (a multiple of 8), the trainer taking
 * TRAINER_SHARE of them. Returns the axis, the trainer's part [0, cut) and
 * the total, or null to stay on one thread.
 */
function splitOf(nb: number, nh: number, m: number, n: number): [Axis, number, number] | null {
  if (nb >= 2) return ['batch', nb >> 1, nb];
  if (nh !== 1) return null;
  const [axis, total, tile] = m >= n ? (['row', m, 4] as const) : (['col', n, 8] as const);
  const cut = Math.round((total * TRAINER_SHARE) / tile) * tile;
  return cut >= tile && cut < total ? [axis, cut, total] : null;
}

/**
 * Runs one gemm call (`run`: the trainer's gemm export), split with the
 * helper thread when one is ready and the product is big enough.
 */
export function runGemm(backend: WasmBackendLike, run: (...args: number[]) => unknown, args: GemmArgs): void {
  const [nb, nh, m, n, k] = args.slice(15, 20);
  const p = readyPool(backend);
  const split = p && 2 * nb * nh * m * n * k >= MIN_SPLIT_FLOPS ? splitOf(nb, nh, m, n) : null;
  if (!p || !split || !partsApart(args, split[0], split[1])) {
    run(...args);
    return;
  }
  const [axis, cut, total] = split;
  const theirs = part(args, axis, cut, total);
  // The helper packs its operands into its own scratch (the trainer's is in use).
  const [mH, nH] = [theirs[17], theirs[18]];
  const ap = scratch(backend, (Math.ceil(mH / 4) * 4 * k + (k + 1) * Math.ceil(nH / 8) * 8) * 4, 'helper');
  theirs[21] = ap;
  theirs[22] = ap + Math.ceil(mH / 4) * 4 * k * 4;
  both(p, GEMM_WASM, 'gemm', run, part(args, axis, 0, cut), theirs, ALPHA);
}

/**
 * Runs an elementwise kernel `name` of `binaries` (`run`: the trainer's
 * export) whose arguments are the byte addresses of float32 arrays, then
 * their length: split at a multiple of 4 elements when the helper is ready
 * and there are enough of them.
 */
export function runElementwise(
  backend: WasmBackendLike,
  binaries: KernelBinaries,
  name: string,
  run: (...args: number[]) => unknown,
  arrays: number[],
  n: number,
): void {
  const p = readyPool(backend);
  if (!p || n < MIN_SPLIT_ELEMENTS) {
    run(...arrays, n);
    return;
  }
  const cut = Math.floor(n / 8) * 4;
  both(p, binaries, name, run, [...arrays, cut], [...arrays.map((a) => a + 4 * cut), n - cut]);
}

/**
 * Runs a row-wise kernel `name` of `binaries` (`run`: the trainer's export),
 * each row independent of the others: `args(from, count)` gives its
 * arguments for rows [from, from + count). `elements` sizes the work;
 * `floats` marks the float32 arguments (bit i: argument i).
 */
export function runRows(
  backend: WasmBackendLike,
  binaries: KernelBinaries,
  name: string,
  run: (...args: number[]) => unknown,
  rows: number,
  elements: number,
  args: (from: number, count: number) => number[],
  floats = 0,
): void {
  const p = readyPool(backend);
  if (!p || rows < 2 || elements < MIN_SPLIT_ELEMENTS) {
    run(...args(0, rows));
    return;
  }
  const cut = rows >> 1;
  both(p, binaries, name, run, args(0, cut), args(cut, rows - cut), floats);
}
