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
}

/**
 * "auto": GPU backends only on real hardware, since a software adapter is
 * slower than wasm; then wasm, then cpu. An explicit choice goes first and the
 * remaining backends follow as fallbacks (WebGPU is never a fallback: on a
 * software adapter its first step takes ~15 s).
 */
export function planBackends(choice: BackendChoice, probe: DeviceProbe | null): BackendPlan {
  if (choice !== 'auto') {
    const rest = BACKEND_ORDER.filter((b) => b !== choice && b !== 'webgpu');
    return { order: [choice, ...rest], why: `requested ${choice}` };
  }
  const p = probe ?? { webgpu: 'absent', webgl: 'absent', detail: ['no GPU probe'] };
  const order: BackendName[] = [];
  if (p.webgpu === 'hardware') order.push('webgpu');
  if (p.webgl === 'hardware') order.push('webgl');
  order.push('wasm', 'cpu');
  const chosen = order[0];
  const findings = p.detail.join('; ');
  const why =
    chosen === 'wasm'
      ? `auto: ${findings || 'no GPU backend available'}, so wasm is fastest here`
      : `auto: ${chosen} on a hardware GPU${findings ? ` (${findings})` : ''}`;
  return { order, why };
}

/** Joins the plan's reason with the failures met on the way to the backend that started. */
export function describeStart(plan: BackendPlan, failures: readonly string[], started: BackendName): string {
  return failures.length ? `${plan.why}; ${failures.join('; ')}; fell back to ${started}` : plan.why;
}
