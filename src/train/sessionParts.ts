// Pieces every training session shares: the seed streams, the optimiser the
// run spec describes, the schedule and a throughput meter.
import * as tf from '@tensorflow/tfjs-core';
import type { ScheduleConfig } from '../core';
import { TensorAdam } from './optim/adam';
import { decaysFor } from './optim/decay';
import type { ArmMetrics, OptimSpec, StepPoint } from './contract';
import type { StepResult } from './step';

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

/**
 * AdamW with the run's betas, epsilon and decay (the learning rate comes per
 * step from the schedule); the decay applies to the weight matrices only
 * unless the run says decayAll.
 */
export function adamFor(params: Record<string, tf.Variable>, o: OptimSpec): TensorAdam {
  const config = {
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    weightDecay: o.weightDecay,
    decoupledWeightDecay: true,
    biasCorrection: true,
  };
  return new TensorAdam(params, config, decaysFor(Object.keys(params), o.decayAll));
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

/**
 * One arm's numbers from a step, read back from the device: total (the
 * objective), gradNorm and each named part. Disposes the step's scalars.
 */
export async function readArmStep(o: StepResult): Promise<ArmMetrics> {
  const scalars: [string, tf.Tensor][] = [['total', o.loss], ['gradNorm', o.gradNorm], ...Object.entries(o.parts)];
  const values = await Promise.all(scalars.map(async ([k, t]) => [k, (await t.data())[0]] as const));
  tf.dispose([o.loss, o.gradNorm, ...Object.values(o.parts)]);
  return Object.fromEntries(values);
}

/**
 * A multi-arm chunk's step points, read back in one go (which keeps GPU
 * pipelines full): every arm's numbers per step, the trainer's being arm 0's.
 * `started` is when the chunk began (performance.now()); the chunk's time
 * per step goes into `throughput`, which turns `tokensPerStep` into a rate.
 */
export async function chunkPoints(
  pending: readonly { step: number; lr: number; tokens: number; out: StepResult[] }[],
  started: number,
  throughput: Throughput,
  tokensPerStep: number,
): Promise<StepPoint[]> {
  const values = await Promise.all(pending.map((p) => Promise.all(p.out.map(readArmStep))));
  const stepMs = (performance.now() - started) / pending.length;
  throughput.note(stepMs);
  const tokensPerSecond = throughput.tokensPerSecond(tokensPerStep);
  return pending.map((p, i) => ({
    step: p.step,
    lr: p.lr,
    loss: values[i][0].total,
    gradNorm: values[i][0].gradNorm,
    tokensSeen: p.tokens,
    tokensPerSecond,
    stepMs,
    arms: values[i],
  }));
}
