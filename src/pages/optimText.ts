// The optimiser a page trains with, named in one phrase from the run's own
// settings, so the prose cannot drift from what actually trains.
import type { OptimSpec } from '../train/contract';

const DECAY: Record<Exclude<OptimSpec['schedule'], 'constant'>, string> = {
  linear: 'a linear decay',
  cosine: 'a cosine decay',
  'inverse-sqrt': 'an inverse-square-root decay',
};

/**
 * E.g. "Adam (β₁ = 0.9, β₂ = 0.99), a 20-step linear warmup to a constant
 * rate, gradient clipping at norm 1". Without weight decay the optimiser is
 * plain Adam (AdamW with λ = 0 is the same update), so it is called Adam.
 */
export function describeOptim(o: OptimSpec): string {
  const betas = `β₁ = ${o.beta1}, β₂ = ${o.beta2}`;
  const name = o.weightDecay > 0 ? `AdamW (${betas}, weight decay ${o.weightDecay})` : `Adam (${betas})`;
  const after = o.schedule === 'constant' ? 'a constant rate' : `the peak rate, then ${DECAY[o.schedule]}`;
  const schedule = o.warmupSteps > 0 ? `a ${o.warmupSteps}-step linear warmup to ${after}` : o.schedule === 'constant' ? 'a constant rate without warmup' : `no warmup, ${DECAY[o.schedule]}`;
  const clip = o.clipNorm === null ? 'no gradient clipping' : `gradient clipping at norm ${o.clipNorm}`;
  return `${name}, ${schedule}, ${clip}`;
}
