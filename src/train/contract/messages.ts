// The messages between a page (main thread) and its training worker, and the
// numbers they carry. The main thread only draws; every tensor lives in the worker.
import type { Log2Histogram } from '../../core';
import type { BackendChoice, BackendReport, KernelLevel } from './backend';
import type { RunSpec } from './run';

/** A tracked element after a step: the gradient it got and the optimiser's moments after the update. */
export interface TrackedValue {
  g: number;
  m: number;
  v: number;
}

/** A held-out passage, its noised input and target, and what a model wrote for it. */
export interface Reconstruction {
  input: string[];
  target: string[];
  output: string[];
}

/**
 * What a page asks of its worker. A run's identity, `runId`, is a counter the
 * page sends with `create`; every message about a run (its progress, its state,
 * its errors) carries it back, so a page can drop what a replaced run still says.
 * Train, Step and the queries name the run they are meant for, and the worker
 * refuses them for any other. Every query (a message with a `requestId`) gets
 * exactly one reply: its answer, or `failed` with the same `requestId`.
 */
export type ToWorker =
  | {
      type: 'init';
      backend: BackendChoice;
      /** Test flag: `auto` may time software GPU adapters (SwiftShader) too, so the timing can be tested here. */
      trialSoftware?: boolean;
      /** `?kernels=simd|off`: caps the own wasm kernels' build, so each fallback can be tried in a browser that has all. */
      kernels?: KernelLevel;
      /** `?threads=1`, or a spread run's second and later workers: keeps the kernels on one thread where two are allowed. */
      threads?: 1;
    }
  | {
      type: 'create';
      runId: number;
      run: RunSpec;
      /**
       * The arms this worker trains, by index into run.arms (default: all).
       * A multi-arm run spread over workers (contract/shards.ts) sends each
       * its part; their numbers (StepPoint.arms, EvalPoint.arms) then come in
       * this order, and queries name arms by their position in it.
       */
      arms?: number[];
    }
  /**
   * Train until paused; with `until`, stop at that step and wait, still
   * running, for a train message with a higher one. A spread run's workers
   * get steps this way, a few ahead of the slowest, so none runs far ahead.
   */
  | { type: 'train'; runId: number; until?: number }
  | { type: 'pause' }
  /**
   * One step; with `until`, as many as bring the run to that step (none when
   * it is there): how the workers of a spread run catch up with each other.
   */
  | { type: 'step'; runId: number; until?: number }
  | QueryMessage
  | { type: 'dispose' };

/** The read-only questions about a run's model; each is answered by a message of the same type, or by `failed`. */
export type QueryMessage =
  | {
      type: 'sample';
      requestId: number;
      runId: number;
      prompt: string;
      length: number;
      temperature: number;
      seed: number;
    }
  | { type: 'score'; requestId: number; runId: number; text: string }
  | { type: 'memory'; requestId: number; runId: number }
  | { type: 'fill'; requestId: number; runId: number; text: string; arm: number }
  | { type: 'examples'; requestId: number; runId: number; count: number; seed: number }
  | { type: 'reconstruct'; requestId: number; runId: number; count: number; arm: number }
  | { type: 'matrix'; requestId: number; runId: number; arm: number; name: string; what: 'v' | 'step' }
  | { type: 'gradients'; requestId: number; runId: number; arm: number };

/**
 * Per-arm numbers of a multi-model run, by metric name (e.g. mlm, nsp, mlmAcc).
 * Optimiser races report total, gradNorm (before clipping; unscaled), lr, rows
 * (batch rows used), tokens (this arm's tokens seen), and for precision arms
 * lossScale (the scale this step used) and skipped (1 if the step was skipped
 * for overflow, else 0). Their evaluations report total (held-out loss),
 * weightNorm (all parameters) and matrixNorm (the weight matrices alone, the
 * parameters weight decay applies to by default).
 */
export type ArmMetrics = Record<string, number>;

export interface StepPoint {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensSeen: number;
  /** Training throughput measured over the last few steps. */
  tokensPerSecond: number;
  /** Wall time of this step in the worker (its chunk's time divided by the chunk size). */
  stepMs: number;
  /** BERT runs: each arm's losses this step (mlm, nsp, total); `loss` is arm 0's total. */
  arms?: ArmMetrics[];
  /** Optimiser races: the tracked elements, in TrackSpec order. */
  tracked?: TrackedValue[];
}

export interface EvalPoint {
  step: number;
  heldOutLoss: number;
  /** BERT runs: each arm's held-out metrics; `heldOutLoss` is arm 0's total. */
  arms?: ArmMetrics[];
}

/** The model's top guesses for one [MASK] of a fill-in-the-blank query. */
export interface FillPrediction {
  /** Index of the [MASK] in the query's token list. */
  position: number;
  candidates: { token: string; p: number }[];
}

/** One BERT training example as the model sees it, for display. */
export interface BertExample {
  /** Original tokens, [CLS] and [SEP] included. */
  tokens: string[];
  /** The noised input x~ after the masking function. */
  input: string[];
  /** 0 = e_A, 1 = e_B. */
  segments: number[];
  /** What the masking function did at each position (null = not selected). */
  kinds: ('mask' | 'random' | 'keep' | null)[];
  label: 'IsNext' | 'NotNext';
}

export interface TokenScore {
  text: string;
  /** -log p(x_i | x_{1:i-1}) in nats; null for the first token, which has no context. */
  nll: number | null;
}

export type FromWorker =
  | { type: 'ready'; backend: BackendReport }
  /** `auto` timed its candidates on a run's model and now runs the fastest (report.trials has the times). */
  | { type: 'backend'; backend: BackendReport }
  | {
      type: 'created';
      runId: number;
      params: number;
      vocabSize: number;
      /** The untrained model's held-out evaluation: the curves' step 0. */ initial: EvalPoint;
    }
  | { type: 'progress'; runId: number; points: StepPoint[]; evals: EvalPoint[] }
  /**
   * While run `runId` is being built: bytes of the corpus downloaded so far,
   * and its size (null until known, when the server does not say it).
   */
  | { type: 'loading'; runId: number; what: 'corpus'; loaded: number; total: number | null }
  | { type: 'state'; runId: number; running: boolean }
  | { type: 'diverged'; runId: number; step: number; message: string }
  | { type: 'sample'; requestId: number; text: string }
  | { type: 'score'; requestId: number; tokens: TokenScore[]; total: number }
  /** tf.memory()'s tensors and bytes; on wasm also the size of its linear memory (tensors, XNNPACK caches, scratch). */
  | { type: 'memory'; requestId: number; numTensors: number; numBytes: number; wasmHeapBytes: number | null }
  | { type: 'fill'; requestId: number; tokens: string[]; predictions: FillPrediction[]; error: string | null }
  | { type: 'examples'; requestId: number; examples: BertExample[] }
  | { type: 'reconstruct'; requestId: number; reconstructions: Reconstruction[] }
  | { type: 'matrix'; requestId: number; shape: number[]; values: Float32Array | null; step: number }
  /**
   * An optimiser-race arm's gradients on one held-out batch at its current
   * weights, multiplied by its current loss scale (1 without loss scaling) and
   * its loss multiplier, and
   * not rounded: histogram of floor(log2 |g * scale|) over every element
   * (core's histogramLog2, buckets -40..20). null when the arm is gone.
   */
  | {
      type: 'gradients';
      requestId: number;
      histogram: Log2Histogram | null;
      scale: number;
      count: number;
      step: number;
    }
  /** A query that could not be answered (another run, no model yet, a model of another task, an error): its one reply. */
  | { type: 'failed'; requestId: number; message: string }
  /**
   * Something went wrong outside a query: starting the backend (`runId` null),
   * or building or training run `runId`.
   */
  | { type: 'error'; runId: number | null; message: string; during: ToWorker['type'] };

/** The messages about one run, which carry its `runId`. */
export type RunMessage = Extract<FromWorker, { runId: number | null }>;
