/**
 * Learning-rate schedules: linear warmup followed by one of four decays.
 * Transformers need the warmup because Adam's early second-moment estimates
 * are noisy; GPT-3 used warmup then cosine decay to 10% of the peak.
 */

export type ScheduleKind = 'constant' | 'linear' | 'cosine' | 'inverse-sqrt';

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** The peak learning rate, reached at the end of warmup; lrAt gives step t's rate. */
  lr: number;
  /** Number of warmup steps (0 = no warmup). */
  warmupSteps: number;
  /** Step at which linear and cosine decay reach their floor. */
  totalSteps: number;
  /** Floor of linear/cosine decay as a fraction of lr (GPT-3: 0.1). */
  minLrRatio: number;
}

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'linear', 'cosine', 'inverse-sqrt'];

/**
 * Learning rate for 0-based `step`.
 *
 * Warmup uses (step + 1) / warmupSteps so the very first update already has a
 * non-zero rate and step warmupSteps - 1 reaches exactly the peak rate lr.
 * After warmup, with p = clamp((step - warmupSteps) / max(1, totalSteps - warmupSteps), 0, 1)
 * and min = lr * minLrRatio:
 *   1. constant:     lr
 *   2. linear:       lr - (lr - min) * p
 *   3. cosine:       min + (lr - min) * (1 + cos(pi * p)) / 2
 *   4. inverse-sqrt: lr * sqrt(max(1, warmupSteps) / (step + 1))   (no floor, never reaches 0)
 * Steps past totalSteps stay at the floor (p is clamped).
 */
export function lrAt(step: number, cfg: ScheduleConfig): number {
  const { kind, lr, warmupSteps, totalSteps, minLrRatio } = cfg;
  if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
  const p = Math.min(1, Math.max(0, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps)));
  const min = lr * minLrRatio;
  switch (kind) {
    case 'constant':
      return lr;
    case 'linear':
      return lr - (lr - min) * p;
    case 'cosine':
      return min + ((lr - min) * (1 + Math.cos(Math.PI * p))) / 2;
    case 'inverse-sqrt':
      return lr * Math.sqrt(Math.max(1, warmupSteps) / (step + 1));
    default: {
      const never: never = kind;
      throw new Error(`lrAt: unknown schedule kind ${String(never)}`);
    }
  }
}

/** The whole curve for steps 0..totalSteps-1, e.g. for plotting. */
export function lrCurve(cfg: ScheduleConfig, steps: number = cfg.totalSteps): Float64Array {
  const out = new Float64Array(Math.max(0, steps));
  for (let s = 0; s < out.length; s++) out[s] = lrAt(s, cfg);
  return out;
}
