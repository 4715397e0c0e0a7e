// The optimiser every objective page trains with: Adam (beta1 0.9, beta2
// 0.99; the AdamW update with weight decay 0, which is plain Adam), a 20-step
// linear warmup to a constant rate, clipping at norm 1. The pages name it
// from these settings (optimText.ts). Schedules, betas and decay get their
// own pages in the optimisation part.
import type { OptimSpec } from '../train/contract';

export function demoOptim(batchSize: number, lr: number): OptimSpec {
  return {
    batchSize,
    lr,
    schedule: 'constant',
    warmupSteps: 20,
    totalSteps: 100_000,
    minLrRatio: 1,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    clipNorm: 1,
  };
}
