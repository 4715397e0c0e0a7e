// Pieces every training session shares: the seed streams, the optimiser the
// run spec describes, the schedule and a throughput meter.
import type * as tf from '@tensorflow/tfjs-core';
import type { ScheduleConfig } from '../core';
import { TensorAdam } from './optim/adam';
import type { OptimSpec } from './protocol';

/**
 * Independent random streams derived from one run seed (seed ^ stream), so
 * initialisation, data order, noise and evaluation never share draws.
 */
export const STREAMS = {
  init: 0x243f6a88,
  data: 0x85a308d3,
  noise: 0x3707344a,
  eval: 0x13198a2e,
} as const;

/** AdamW with the run's betas, epsilon and decay (the learning rate comes per step from the schedule). */
export function adamFor(params: Record<string, tf.Variable>, o: OptimSpec): TensorAdam {
  return new TensorAdam(params, {
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    weightDecay: o.weightDecay,
    decoupledWeightDecay: true,
    biasCorrection: true,
  });
}

export function scheduleOf(o: OptimSpec): ScheduleConfig {
  return { kind: o.schedule, peakLr: o.lr, warmupSteps: o.warmupSteps, totalSteps: o.totalSteps, minLrRatio: o.minLrRatio };
}

/** Tokens per second over the last `window` chunks. */
export class Throughput {
  private times: number[] = [];
  constructor(private readonly window = 20) {}

  note(msPerStep: number): void {
    this.times.push(msPerStep);
    if (this.times.length > this.window) this.times.shift();
  }

  tokensPerSecond(tokensPerStep: number): number {
    const mean = this.times.reduce((a, b) => a + b, 0) / Math.max(1, this.times.length);
    return mean > 0 ? (tokensPerStep * 1000) / mean : 0;
  }
}
