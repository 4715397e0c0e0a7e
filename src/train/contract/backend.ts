// The tfjs backends a page can ask its worker for, and what the worker reports back.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendReport {
  name: BackendName;
  /** Why this backend runs: the auto decision or the fallback chain, in words. */
  reason: string;
}
