// The optimiser every objective page trains with: Adam (beta1 0.9, beta2
// 0.99; the AdamW update with weight decay 0, which is plain Adam), a 20-step
// linear warmup to a constant rate, clipping at norm 1. The pages name it
// from these settings (optimText.ts). Schedules, betas and decay get their
// own pages in the optimisation part.
import type { ArmBase } from '../train/contract';

/** An arm's training settings: its optimiser, its schedule (peak rate `lr`) and its clipping. */
export type ArmTraining = Pick<ArmBase, 'optimizer' | 'schedule' | 'clipNorm'>;

export function demoOptim(lr: number): ArmTraining {
  return {
    optimizer: { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 },
    schedule: { kind: 'constant', lr, warmupSteps: 20, totalSteps: 100_000, minLrRatio: 1 },
    clipNorm: 1,
  };
}
