// The tfjs backends a page can ask its worker for, and what the worker reports back.
import type { KernelLevel } from '../../models/kernels/runtime';

export type { KernelLevel };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** One candidate `auto` timed on the run's own model: its median ms per training step, or why it could not run. */
export interface BackendTrial {
  name: BackendName;
  msPerStep: number | null;
  failure?: string;
}

export interface BackendReport {
  name: BackendName;
  /** Why this backend runs: the auto decision or the fallback chain, in words. */
  reason: string;
  /** `auto` with a GPU candidate: what each candidate measured on this model (fastest chosen). */
  trials?: BackendTrial[];
  /**
   * wasm only: the build of the notebook's own kernels that runs, whether
   * `?kernels=` capped it, the threads the matrix products use, and why one
   * when it is one.
   */
  kernels?: { level: KernelLevel; capped: boolean; threads: 1 | 2; oneThreadBecause?: string };
  /**
   * Set by the page, not the worker: the run's `arms` train on `workers`
   * workers at once (contract/shards.ts); the others keep their kernels on one thread.
   */
  spread?: { workers: number; arms: number };
}

/** The builds of the notebook's own WebAssembly kernels, best first (models/kernels/runtime.ts). */
export const KERNEL_LEVELS: readonly KernelLevel[] = ['relaxed', 'simd', 'off'];
