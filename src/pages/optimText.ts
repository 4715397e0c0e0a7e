// The optimiser a page trains with, named in one phrase from the run's own
// settings, so the prose cannot drift from what actually trains.
import type { ScheduleKind } from '../core';
import type { ArmTraining } from './demoOptim';

const DECAY: Record<Exclude<ScheduleKind, 'constant'>, string> = {
  linear: 'a linear decay',
  cosine: 'a cosine decay',
  'inverse-sqrt': 'an inverse-square-root decay',
};

const NAMES = { sgd: 'SGD', momentum: 'SGD with momentum', adafactor: 'AdaFactor' } as const;

/**
 * E.g. "Adam (β₁ = 0.9, β₂ = 0.99), a 20-step linear warmup to a constant
 * rate, gradient clipping at norm 1". Without weight decay the optimiser is
 * plain Adam (AdamW with λ = 0 is the same update), so it is called Adam.
 */
export function describeOptim({ optimizer: o, schedule: s, clipNorm }: ArmTraining): string {
  let name: string;
  if (o.kind === 'adam' || o.kind === 'adamw') {
    const betas = `β₁ = ${o.beta1 ?? 0.9}, β₂ = ${o.beta2 ?? 0.999}`;
    const decay = o.weightDecay ?? (o.kind === 'adamw' ? 0.01 : 0);
    name = decay > 0 ? `AdamW (${betas}, weight decay ${decay})` : `Adam (${betas})`;
  } else {
    name = NAMES[o.kind];
  }
  const after = s.kind === 'constant' ? 'a constant rate' : `the peak rate, then ${DECAY[s.kind]}`;
  const schedule =
    s.warmupSteps > 0
      ? `a ${s.warmupSteps}-step linear warmup to ${after}`
      : s.kind === 'constant'
        ? 'a constant rate without warmup'
        : `no warmup, ${DECAY[s.kind]}`;
  const clip = clipNorm === null ? 'no gradient clipping' : `gradient clipping at norm ${clipNorm}`;
  return `${name}, ${schedule}, ${clip}`;
}
