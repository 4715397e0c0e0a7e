// A second thread for the big matrix products, when the page is cross-origin
// isolated (SharedArrayBuffer) and the machine has two cores or more.
//
// tfjs-backend-wasm's memory is not shared (its threaded build is off:
// backendSelect.ts), so the helper cannot read tensors where tfjs keeps them.
// It owns a shared WebAssembly.Memory running gemm.wat's shared build, at the
// same level (relaxed or SIMD) as the trainer's. For one product the trainer
//   1. copies the bytes the helper's part reads (its rows or batches of A, B,
//      the bias) into the shared memory, keeping each address's offset mod 16;
//   2. posts the job (the gemm arguments, rebased) and notifies the helper;
//   3. computes its own part in place on tfjs's memory;
//   4. spins until the helper is done and copies the helper's part of C back.
// Both parts run the same code on the same 4-row tiles (a row split is a
// multiple of 4), so every element of C is bit-identical to one thread's.
//
// Shared memory layout (bytes): [0, 128) the control words below, then the
// helper's operands, then its scratch. The helper spins for SPIN_MS after a
// job, then sleeps in Atomics.wait until the next.
import type { KernelBinaries, KernelLevel } from './runtime';

/** What the trainer needs of a helper: a Worker or a worker_threads Worker. */
export interface HelperPort {
  postMessage(message: HelperInit): void;
  terminate(): unknown;
}

export interface HelperInit {
  memory: WebAssembly.Memory;
  bytes: Uint8Array<ArrayBuffer>;
  spinMs: number;
}

export type HelperSpawner = () => HelperPort;

/** Control words (Int32 indices into the shared memory). */
const SEQ = 0; // the trainer's job counter
const DONE = 1; // the last job the helper finished
const READY = 2; // 1 once the helper has instantiated gemm
const ARGS = 4; // the 24 gemm arguments; index ARGS + 20 (alpha) is a float32
const CONTROL_BYTES = 128;
const SPIN_MS = 2;
/** The trainer gives up on a helper that has not answered in this long and computes its part itself. */
const STUCK_MS = 5000;
/** Products below this many flops (2 m n k per batch and head) stay on one thread: the hand-off costs ~20 us. */
export const MIN_SPLIT_FLOPS = 2e6;

/**
 * The helper's loop (runs in the helper thread). Self-contained, so it also
 * runs from its source text (Node tests: worker_threads with eval); index
 * constants are written out for that reason.
 */
export function gemmHelperLoop({ memory, bytes, spinMs }: HelperInit): void {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  const gemm = exports.gemm as (...args: number[]) => void;
  const ctl = new Int32Array(memory.buffer, 0, 32);
  const ctlF = new Float32Array(memory.buffer, 0, 32);
  Atomics.store(ctl, 2, 1); // READY
  let seen = 0;
  for (;;) {
    const start = performance.now();
    let seq = Atomics.load(ctl, 0);
    while (seq === seen) {
      if (performance.now() - start > spinMs) Atomics.wait(ctl, 0, seen);
      seq = Atomics.load(ctl, 0);
    }
    seen = seq;
    const a = (i: number) => ctl[4 + i];
    gemm(
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map(a),
      ctlF[4 + 20],
      a(21),
      a(22),
      a(23),
    );
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
  if (threads === 1) stopHelper();
}

/** Why products run on one thread here, or null when two are allowed. */
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
  level: KernelLevel;
  port: HelperPort;
  ctl: Int32Array;
  ctlF: Float32Array;
  seq: number;
  broken: boolean;
}

let pool: Pool | null = null;

function stopHelper(): void {
  pool?.port.terminate();
  pool = null;
}

/** Terminates the helper thread, if any (a backend is disposed; tests). */
export function disposeKernelThreads(): void {
  stopHelper();
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * Starts the helper for `binaries` at `level` if two threads are allowed,
 * and says how many threads the products use (2 once it is started; it
 * takes jobs as soon as it has compiled, one thread until then).
 */
export function startKernelThreads(binaries: KernelBinaries, level: KernelLevel): 1 | 2 {
  if (level === 'off' || singleThreadReason() !== null) return 1;
  const base64 = level === 'relaxed' ? binaries.shared?.relaxed : binaries.shared?.simd;
  if (!base64) return 1;
  if (pool && pool.level === level && !pool.broken) return 2;
  stopHelper();
  try {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const port = spawner!();
    port.postMessage({ memory, bytes: decode(base64), spinMs: SPIN_MS });
    const ctl = new Int32Array(memory.buffer, 0, 32);
    pool = { memory, level, port, ctl, ctlF: new Float32Array(memory.buffer, 0, 32), seq: 0, broken: false };
    return 2;
  } catch {
    return 1;
  }
}

/** Threads the products use now: 2 while a working helper is started, else 1. */
export function kernelThreads(): 1 | 2 {
  return pool && !pool.broken ? 2 : 1;
}

/** True once the helper has compiled its gemm and takes jobs. */
export function helperReady(): boolean {
  return pool !== null && !pool.broken && Atomics.load(pool.ctl, READY) === 1;
}

/** Jobs the helper has finished since it started (tests check that products were split). */
export function helperJobs(): number {
  return pool ? Atomics.load(pool.ctl, DONE) : 0;
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

/** The byte range [start, end) an operand at `base` with these strides and extents touches; null if a stride is negative. */
function span(base: number, strides: number[], extents: number[]): [number, number] | null {
  let end = base + 4;
  for (let i = 0; i < strides.length; i++) {
    if (strides[i] < 0) return null;
    end += strides[i] * (extents[i] - 1);
  }
  return [base, end];
}

type Axis = 'batch' | 'row' | 'col';

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

/**
 * How one operand of the helper's part travels: `runs` pieces of `runBytes`
 * contiguous bytes, `runStride` apart in tfjs's memory and back to back in
 * the shared one. A whole span is one run (strides unchanged); a matrix whose
 * rows (or columns) are contiguous but spaced apart, such as the right half
 * of B, is packed run after run, and its outer stride becomes runBytes.
 */
interface Runs {
  src: number;
  runs: number;
  runStride: number;
  runBytes: number;
  /** The operand's [outer stride index, new stride] when packed. */
  packed: [number, number] | null;
}

/**
 * The runs of operand `at` (argument indices: address, then 4 strides) with
 * extents [nb, nh, rows, cols]; null if it cannot be copied (a negative
 * stride). `exact`: never a span with gaps (C's part next to the trainer's:
 * copying a gap back would overwrite what the trainer wrote there).
 */
function runsOf(args: GemmArgs, at: number, extents: number[], exact = false): Runs | null {
  const strides = args.slice(at + 1, at + 5);
  const range = span(args[at], strides, extents);
  if (!range) return null;
  const whole: Runs = { src: range[0], runs: 1, runStride: 0, runBytes: range[1] - range[0], packed: null };
  const bytes = 4 * extents.reduce((x, y) => x * y, 1);
  if (extents[0] !== 1 || extents[1] !== 1) return whole;
  const [rows, cols] = [extents[2], extents[3]];
  const [sr, sc] = [strides[2], strides[3]];
  // Pack when the span is more than a fifth gaps (or has any, for `exact`).
  if (whole.runBytes === bytes || (!exact && bytes * 1.25 >= whole.runBytes)) return whole;
  if (sc === 4) return { src: args[at], runs: rows, runStride: sr, runBytes: 4 * cols, packed: [at + 3, 4 * cols] };
  if (sr === 4) return { src: args[at], runs: cols, runStride: sc, runBytes: 4 * rows, packed: [at + 4, 4 * rows] };
  return exact ? null : whole;
}

function copyRuns(from: Float32Array, fromAt: number, fromStride: number, to: Float32Array, toAt: number, r: Runs) {
  const toStride = r.runBytes;
  const n = r.runBytes >> 2;
  for (let i = 0; i < r.runs; i++) {
    const f = (fromAt + i * fromStride) >> 2;
    to.set(from.subarray(f, f + n), (toAt + i * toStride) >> 2);
  }
}

const align16 = (x: number) => (x + 15) & ~15;

/**
 * Whether the trainer's part of C and the helper's share no byte: batches
 * whose spans do not meet, or rows and columns of a C whose rows (or columns)
 * do not overlap one another, so each element has its own address.
 */
function partsApart(args: GemmArgs, axis: Axis, mine: GemmArgs): boolean {
  const [csb, csh, csr, csc] = args.slice(11, 15);
  const [nb, nh, m, n] = args.slice(15, 19);
  if (axis !== 'batch') return csr > 0 && csc > 0 && (csr >= n * csc || csc >= m * csr);
  const own = span(mine[10], [csb, csh, csr, csc], [mine[15], nh, m, n]);
  const other = span(args[10] + mine[15] * csb, [csb, csh, csr, csc], [nb - mine[15], nh, m, n]);
  return own !== null && other !== null && (own[1] <= other[0] || other[1] <= own[0]);
}

/**
 * Which way to split a product: its batches when it has several, else the
 * rows of C or its columns (multiples of 4 and 8: the kernel's tile), whichever
 * copies fewer bytes: rows copy half of A and all of B, columns all of A and
 * half of B (a^T b: A is small, B large). Returns the axis and the trainer's
 * share [0, cut), or null to stay on one thread.
 */
function splitOf(nb: number, nh: number, m: number, n: number, k: number): [Axis, number, number] | null {
  if (nb >= 2) return ['batch', nb >> 1, nb];
  if (nh !== 1) return null;
  const byRows = (m * k) / 2 + k * n;
  const byCols = m * k + (k * n) / 2;
  const [axis, total, tile] = byRows <= byCols ? (['row', m, 4] as const) : (['col', n, 8] as const);
  const cut = Math.floor(total / (2 * tile)) * tile;
  return cut >= tile && cut < total ? [axis, cut, total] : null;
}

/**
 * Runs one gemm call, splitting it with the helper thread when one is ready
 * and the product is big enough. `run` is the trainer's gemm on tfjs's
 * memory, `heap` a view of that memory made after the output was allocated.
 */
export function runGemm(run: (...args: number[]) => void, args: GemmArgs, heap: () => Float32Array): void {
  const [nb, nh, m, n, k] = args.slice(15, 20);
  const p = pool;
  const split = p && helperReady() && 2 * nb * nh * m * n * k >= MIN_SPLIT_FLOPS ? splitOf(nb, nh, m, n, k) : null;
  if (!p || !split) {
    run(...args);
    return;
  }
  const [axis, cut, total] = split;
  const mine = part(args, axis, 0, cut);
  const theirs = part(args, axis, cut, total);
  const [nbH, mH, nH] = [theirs[15], theirs[17], theirs[18]];
  const a = runsOf(theirs, 0, [nbH, nh, mH, k]);
  const b = runsOf(theirs, 5, [nbH, nh, k, nH]);
  const c = runsOf(theirs, 10, [nbH, nh, mH, nH], axis !== 'batch');
  if (!a || !b || !c || !partsApart(args, axis, mine)) {
    run(...args);
    return;
  }
  const bias: Runs | null = theirs[23]
    ? { src: theirs[23], runs: 1, runStride: 0, runBytes: 4 * nH, packed: null }
    : null;
  // C's runs must be read in first unless the helper writes every byte of them.
  const cDense = c.runs * c.runBytes === 4 * nbH * nh * mH * nH;

  // Lay the operands out in the shared memory, each at its tfjs address mod 16.
  const job = [...theirs] as GemmArgs;
  const operands: [number, Runs | null][] = [
    [0, a],
    [5, b],
    [10, c],
    [23, bias],
  ];
  let at = CONTROL_BYTES;
  const placed = operands.map(([index, r]) => {
    if (!r) return 0;
    const dst = align16(at) + (r.src & 15);
    at = dst + r.runs * r.runBytes;
    job[index] = dst + (theirs[index] - r.src);
    if (r.packed) job[r.packed[0]] = r.packed[1];
    return dst;
  });
  const ap = align16(at);
  const bp = ap + Math.ceil(mH / 4) * 4 * k * 4;
  job[21] = ap;
  job[22] = bp;
  const end = bp + (k + 1) * Math.ceil(nH / 8) * 8 * 4;
  const have = p.memory.buffer.byteLength;
  if (end > have) p.memory.grow(Math.ceil((end - have) / 65536));

  const shared = new Float32Array(p.memory.buffer);
  const src = heap();
  operands.forEach(([index, r], i) => {
    if (r && !(index === 10 && cDense)) copyRuns(src, r.src, r.runStride, shared, placed[i], r);
  });
  for (let i = 0; i < 24; i++) {
    if (i === 20) p.ctlF[ARGS + i] = job[i];
    else p.ctl[ARGS + i] = job[i];
  }
  const seq = ++p.seq;
  Atomics.store(p.ctl, SEQ, seq);
  Atomics.notify(p.ctl, SEQ, 1);

  run(...mine);

  const start = performance.now();
  for (let spins = 0; Atomics.load(p.ctl, DONE) !== seq; spins++) {
    if ((spins & 1023) === 1023 && performance.now() - start > STUCK_MS) {
      // The helper stopped answering: compute its part here, and never hand it another.
      p.broken = true;
      run(...theirs);
      return;
    }
  }
  // Back: each run from its packed place to its tfjs address.
  const out = heap();
  for (let i = 0; i < c.runs; i++) {
    const f = (placed[2] + i * c.runBytes) >> 2;
    out.set(shared.subarray(f, f + (c.runBytes >> 2)), (c.src + i * c.runStride) >> 2);
  }
}
