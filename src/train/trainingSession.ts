// What the worker needs from a training run, whatever the model: the GPT's
// Session and the BERT's BertSession both implement it.
import type { EvalPoint, RunSpec, StepPoint } from './contract';

export interface TrainingSession {
  readonly run: RunSpec;
  readonly paramCount: number;
  readonly vocabSize: number;
  /** Optimiser steps taken. */
  readonly step: number;
  /** Runs `count` optimiser steps and reads their numbers back once. */
  trainSteps(count: number): Promise<StepPoint[]>;
  /** Held-out metrics at the current step. */
  evaluate(): Promise<EvalPoint>;
  /** The untrained model's evaluation (the curves' step 0); also the divergence baseline. */
  initialEval(): Promise<EvalPoint>;
  /** A step whose loss is not finite or far above the untrained model's. */
  isDiverged(point: StepPoint): boolean;
  dispose(): void;
}

/** See isDiverged: with Adam and layer norm a far too large rate sends the loss to the hundreds long before it overflows. */
export const DIVERGED_FACTOR = 3;

export function divergedLoss(loss: number, start: number | null): boolean {
  return !Number.isFinite(loss) || (start !== null && loss > DIVERGED_FACTOR * start);
}
