// Which backends to try, in order, for a user's choice and what the device
// offers. Pure, so the decision is unit-tested without a browser.
import { BACKEND_ORDER, type BackendChoice, type BackendName } from '../contract';

export type AdapterKind = 'hardware' | 'software' | 'absent';

export interface DeviceProbe {
  webgpu: AdapterKind;
  webgl: AdapterKind;
  /** Human-readable findings, e.g. "WebGL renderer is software (SwiftShader)". */
  detail: string[];
}

export interface BackendPlan {
  order: BackendName[];
  why: string;
  /**
   * `auto` with a GPU backend to consider: the backends to time on the run's
   * own model before training it (autoChoice.ts), wasm last. Empty when there
   * is nothing to compare (wasm is the only candidate) or the user chose.
   */
  candidates: BackendName[];
}

/**
 * "auto": which backend is fastest depends on the model. For a model this
 * small a GPU's per-dispatch overhead can outweigh its arithmetic (public
 * reports put wasm ahead of WebGPU by up to ~10x at ~100k parameters), so
 * a hardware GPU backend is only a candidate: the worker starts on wasm and
 * times the candidates on the run's own model when it builds it. A software
 * adapter (SwiftShader, llvmpipe) is never a candidate, being slower than
 * wasm, unless `trialSoftware` (a test flag) asks for it. An explicit choice
 * goes first and the remaining backends follow as fallbacks (WebGPU is never
 * a fallback: on a software adapter its first step takes ~15 s).
 */
export function planBackends(choice: BackendChoice, probe: DeviceProbe | null, trialSoftware = false): BackendPlan {
  if (choice !== 'auto') {
    const rest = BACKEND_ORDER.filter((b) => b !== choice && b !== 'webgpu');
    return { order: [choice, ...rest], why: `requested ${choice}`, candidates: [] };
  }
  const p = probe ?? { webgpu: 'absent', webgl: 'absent', detail: ['no GPU probe'] };
  const usable = (kind: AdapterKind) => kind === 'hardware' || (trialSoftware && kind === 'software');
  const gpus: BackendName[] = [];
  if (usable(p.webgpu)) gpus.push('webgpu');
  if (usable(p.webgl)) gpus.push('webgl');
  const findings = p.detail.join('; ');
  if (gpus.length === 0)
    return {
      order: ['wasm', 'cpu'],
      why: `auto: ${findings || 'no GPU backend available'}, so wasm is fastest here`,
      candidates: [],
    };
  return {
    order: ['wasm', 'cpu'],
    why: `auto: ${gpus.join(' and ')} ${gpus.length > 1 ? 'are' : 'is a'} candidate${gpus.length > 1 ? 's' : ''}${trialSoftware ? ' (software adapters allowed for testing)' : ''}; starting on wasm until the model is timed on each`,
    candidates: [...gpus, 'wasm'],
  };
}

/** Joins the plan's reason with the failures met on the way to the backend that started. */
export function describeStart(plan: BackendPlan, failures: readonly string[], started: BackendName): string {
  return failures.length ? `${plan.why}; ${failures.join('; ')}; fell back to ${started}` : plan.why;
}
