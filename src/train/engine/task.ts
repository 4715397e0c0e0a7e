// What the engine needs from a task (GPT, BERT, encoder-decoder): the model
// and data of each arm, the shared batch of a step, an arm's objective on it,
// and its held-out metrics. The engine does the rest the same way for every
// task: schedules, optimisers, clipping, simulated precision, read-back,
// throughput, tracking and the divergence policy.
import type * as tf from '@tensorflow/tfjs-core';
import type { ArmBase, ArmMetrics, PrecisionSpec, RunSpec, TrackSpec } from '../contract';
import type { PrecisionStepper } from '../precision/precisionStepper';
import type { TensorOptimizer } from '../optim/tensorOptimizer';
import type { Objective, Stepper } from '../step';

/** What a task builds for one arm; a task adds its own fields (model config, data streams, eval batches). */
export interface ArmModel {
  /** The trainable weights by name; the engine builds the arm's optimiser over them. */
  params: Record<string, tf.Variable>;
  /** Simulated mixed precision: the engine then steps the arm through a PrecisionStepper. */
  precision?: PrecisionSpec;
}

/** One arm as the engine holds it: the task's model plus the engine's training state. */
export interface EngineArm<A extends ArmModel = ArmModel> {
  readonly index: number;
  readonly spec: ArmBase;
  readonly model: A;
  readonly optimizer: TensorOptimizer;
  readonly stepper: Stepper;
  readonly precision: PrecisionStepper | null;
  /** Tokens this arm has trained on (arms differ with a batch-size ramp, or by their input format). */
  tokens: number;
  /** The untrained model's held-out total: the divergence baseline (set by initialEval). */
  startLoss: number | null;
  /** Blown up and no longer trained (only under the 'drop' policy); its numbers are NaN from then on. */
  dropped: boolean;
}

/** One arm's share of a step, built by the task from the shared batch. */
export interface ArmInput {
  /**
   * The arm's objective on its batch, computed with `params`: the arm's own
   * weights, or the FP16 view of them a PrecisionStepper passes (same names).
   * Called inside the engine's gradient scope.
   */
  objective(params: Record<string, tf.Tensor>): Objective;
  /** Tokens the arm trains on in this step. */
  tokens: number;
  /** Host-side numbers for the step's readout (e.g. the batch rows used). */
  metrics?: ArmMetrics;
  /** Frees what the input made for this arm alone (e.g. a slice of the batch). */
  dispose?(): void;
}

/**
 * A task adapter. `Run` is its run spec, `A` what it builds per arm and
 * `Batch` the shared batch of one step (drawn once, host side, from the run's
 * data stream, whatever the number of arms).
 */
export interface Task<Run extends RunSpec = RunSpec, A extends ArmModel = ArmModel, Batch = unknown> {
  readonly name: Run['task'];
  readonly run: Run;
  readonly paramCount: number;
  readonly vocabSize: number;
  /** The arm whose numbers are the trainer's (StepPoint.loss, lr, gradNorm; EvalPoint.heldOutLoss). */
  readonly referenceArm: number;
  /**
   * 'drop': an arm other than the reference that blows up is dropped (its
   * curve ends) and the run stops only when the reference arm does.
   * 'stop': any arm blowing up stops the run (a comparison is only fair while all train).
   */
  readonly divergence: 'drop' | 'stop';
  /** The held-out metric names: a dropped arm reports NaN for each. */
  readonly evalMetrics: readonly string[];
  /** Elements of the reference arm whose g, m and v every step reports (none by default). */
  readonly track?: readonly TrackSpec[];
  makeArm(spec: Run['arms'][number], index: number): A;
  disposeArm(arm: A): void;
  drawBatch(): Batch;
  disposeBatch(batch: Batch): void;
  /** Arm `arm`'s input for this step; called once per live arm, in arm order, before its update. */
  armInput(arm: EngineArm<A>, batch: Batch): ArmInput;
  /** The tokens StepPoint.tokensSeen counts for a step, given each arm's (null: dropped). */
  stepTokens(batch: Batch, armTokens: readonly (number | null)[]): number;
  /** Held-out metrics of a live arm at its current weights; `total` is its held-out loss. */
  evaluate(arm: EngineArm<A>): Promise<ArmMetrics>;
  /** Frees the task's own tensors (held-out batches). */
  dispose(): void;
}

/** Any task, the engine's type parameter (methods are bivariant, so every adapter is one). */
export type AnyTask = Task<RunSpec, ArmModel, unknown>;
export type ArmOf<T extends AnyTask> = ReturnType<T['makeArm']>;
export type BatchOf<T extends AnyTask> = ReturnType<T['drawBatch']>;
