// `auto` by measurement: the decisions, pure so they are unit-tested without
// a browser. The timing itself is autoTrial.ts.
import type { BackendName, BackendTrial, RunSpec } from '../contract';

/**
 * What decides a backend's speed: the task, the model's shape and the batch
 * (not the seed, the optimiser or the learning rate). A choice measured for one
 * key is reused for every run with the same key.
 */
export function modelKey(run: RunSpec): string {
  return JSON.stringify({ task: run.task, model: run.model, batch: run.batchSize, arms: run.arms.length });
}

/** The median of `xs` (not empty). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The fastest candidate that ran; wasm when none did (it is always present and reliable). */
export function fastest(trials: readonly BackendTrial[]): BackendName {
  let best: BackendTrial | null = null;
  for (const t of trials) if (t.msPerStep !== null && (best === null || t.msPerStep < best.msPerStep!)) best = t;
  return best?.name ?? 'wasm';
}

function formatTrial(t: BackendTrial): string {
  return t.msPerStep === null
    ? `${t.name} failed (${t.failure ?? 'no result'})`
    : `${t.name} ${t.msPerStep.toFixed(1)} ms`;
}

/** The badge's reason: every candidate's median step time on this model, and the pick. */
export function describeTrials(trials: readonly BackendTrial[], chosen: BackendName, remembered: boolean): string {
  const list = trials.map(formatTrial).join(', ');
  return `auto: ${remembered ? 'measured earlier' : 'measured'} on this model, median ms per training step: ${list}; ${chosen} is fastest`;
}
