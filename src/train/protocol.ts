import type { Log2Histogram, LossScaleConfig } from '../core';
import type { OptimizerSpec } from './optim/optimizer';
// The typed message protocol between a page (main thread) and its training
// worker. The main thread only draws; every tensor lives in the worker.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendReport {
  name: BackendName;
  /** Why this backend runs: the auto decision or the fallback chain, in words. */
  reason: string;
}

/** Where the training text comes from. */
export type DataSource =
  | { kind: 'corpus'; name: 'brown' | 'toy'; /** Absolute same-origin URL of the JSON asset. */ url: string }
  | { kind: 'text'; train: string; heldOut: string };

export interface ModelSpec {
  tokenizer: 'char' | 'word';
  /** Word-level vocabulary cap (most frequent words plus <unk>). */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  contextLength: number;
}

export interface OptimSpec {
  batchSize: number;
  lr: number;
  warmupSteps: number;
  totalSteps: number;
  schedule: 'constant' | 'linear' | 'cosine' | 'inverse-sqrt';
  minLrRatio: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Decay every parameter; default false: the weight matrices only (see OptimizerSpec's DecaySet). */
  decayAll?: boolean;
  clipNorm: number | null;
}

interface RunBase {
  seed: number;
  optim: OptimSpec;
  data: DataSource;
  /** Steps between held-out evaluations. */
  evalEvery: number;
}

/** A tiny GPT trained on next-token prediction. */
export interface GptRunSpec extends RunBase {
  task: 'gpt';
  model: ModelSpec;
  /**
   * Also report, at every evaluation, how far AdaFactor's factored second
   * moment is from Adam's full one (EvalPoint.arms[0].factorError; about 30
   * small kernels). Default false: only the memory page shows it.
   */
  factorError?: boolean;
}

export interface BertModelSpec {
  /** Word-level vocabulary cap, specials included. */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Longest input in tokens, [CLS] and [SEP]s included; shorter ones are padded. */
  maxLength: number;
}

/**
 * One model of a BERT run. Several arms train side by side on the same
 * sentence pairs, each with its own parameters and optimiser, so their curves
 * differ only by what the arm changes.
 */
export interface BertArmSpec {
  label: string;
  /** The masking function A: share of positions selected, and of those the [MASK] and random-word shares. */
  selectRate: number;
  maskProb: number;
  randomProb: number;
  /**
   * true: BERT, [CLS] A [SEP] B [SEP] with B the true next sentence half the
   * time, and the NSP loss. false: RoBERTa, contiguous sentences of one
   * document, one segment, no NSP loss.
   */
  nsp: boolean;
  /** A fresh mask every time a sequence is drawn (RoBERTa) rather than one fixed mask per sequence (BERT). */
  dynamicMasking: boolean;
}

/** A tiny BERT (or several arms of it) trained on masked language modelling. */
export interface BertRunSpec extends RunBase {
  task: 'bert';
  model: BertModelSpec;
  arms: BertArmSpec[];
  /**
   * Train on only the first this-many training documents (default: all), so
   * sequences repeat within a minute and a static mask repeats with them.
   */
  trainDocuments?: number;
}

export interface EncDecModelSpec {
  /** Word-level vocabulary cap, specials and sentinels included. */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Longest passage in words; the encoder input and the decoder target are at most this plus a few. */
  passageLength: number;
}

/** One encoder-decoder trained with one denoising objective; several arms train on the same passages. */
export interface EncDecArmSpec {
  label: string;
  /** An ObjectiveId of src/core/noising/objectives.ts. */
  objective: string;
  rate: number;
  /** Poisson lambda or mean span length, where the objective has one. */
  span: number;
}

/** Tiny encoder-decoders trained on denoising objectives (BART's and T5's). */
export interface EncDecRunSpec extends RunBase {
  task: 'encdec';
  model: EncDecModelSpec;
  arms: EncDecArmSpec[];
}

/** One tiny GPT of an optimiser race: same data, seed and initialisation, its own optimiser and peak rate. */
export interface GptRaceArmSpec {
  label: string;
  optimizer: OptimizerSpec;
  /** This arm's own schedule, where it differs from the run's (e.g. no warmup). */
  schedule?: Partial<Pick<OptimSpec, 'schedule' | 'warmupSteps' | 'totalSteps' | 'minLrRatio'>>;
  /** How the weights are drawn (default 'gpt2'); see InitName. */
  init?: InitName;
  /** This arm's global-norm clipping threshold (null = none), where it differs from the run's. */
  clipNorm?: number | null;
  /**
   * GPT-3's gradual batch-size increase: this arm uses the first
   * batchSizeAt(its tokens seen, {start, end: run batch size, rampTokens}) rows
   * of each shared batch. Without it, every row.
   */
  batchRamp?: { start: number; rampTokens: number };
  /** Simulated mixed precision (default: plain FP32). */
  precision?: PrecisionSpec;
}

/**
 * Weight initialisation of a race arm (biases 0, layer-norm gains 1 in all):
 *   gpt2    N(0, 0.02^2), attn.wo and mlp.w2 times 1/sqrt(2 nLayers)
 *   normal  N(0, 0.02^2) everywhere
 *   xavier  N(0, 1/fan_in)
 *   t5      N(0, 1/fan_in), and the query projection times 1/sqrt(d_head) with
 *           attention logits q.k left unscaled (T5 folds the 1/sqrt(d) into the init)
 */
export type InitName = 'gpt2' | 'normal' | 'xavier' | 't5';
export const INIT_NAMES: readonly InitName[] = ['gpt2', 'normal', 'xavier', 't5'];

/**
 * Simulated FP16 training of one race arm. The arithmetic stays FP32; values
 * are rounded to the nearest FP16 number where real mixed precision would
 * store them in FP16.
 */
export interface PrecisionSpec {
  /** Round the (scaled) gradients to FP16: below 2^-24 they become 0, above 65504 Infinity. */
  fp16Grads: boolean;
  /** The forward and backward pass see FP16 weights. */
  fp16Weights: boolean;
  /**
   * With fp16Weights: the update goes into an FP32 master copy, and the model
   * uses its FP16 rounding. Without: the weights themselves are rounded after
   * every update, so an update smaller than half an FP16 spacing is lost.
   */
  masterWeights: boolean;
  /**
   * A teaching device, not part of mixed precision: the loss is multiplied by
   * this (default 1) before the backward pass, so every gradient is this much
   * smaller, as a large model's are. The reported loss and gradient norm are
   * divided back. Pair it with Adam's eps and the clipping threshold times
   * the same factor and an FP32 arm trains exactly as without it.
   */
  lossMultiplier?: number;
  /**
   * Loss scaling (null = none): the loss is multiplied by the scale before the
   * backward pass and the gradients divided by it (in FP32) before the update;
   * a step whose scaled gradients overflow is skipped. Same fields as core's
   * LossScaleConfig: 'static' keeps initScale, 'dynamic' halves on overflow
   * (backoffFactor) and grows by growthFactor after growthInterval clean steps.
   */
  lossScale: LossScaleConfig | null;
}

/** One parameter element whose gradient and optimiser moments are reported every step. */
export interface TrackSpec {
  name: string;
  /** Flat (row-major) index into the parameter. */
  index: number;
}

/** Several tiny GPTs, one per optimiser, trained in lockstep on the same batches. */
export interface GptRaceRunSpec extends RunBase {
  task: 'gpt-race';
  model: ModelSpec;
  arms: GptRaceArmSpec[];
  /** Elements of arm `trackArm` (an Adam arm) to report g, m and v for. */
  track: TrackSpec[];
  /** The reference arm: its moments are tracked, and the trainer's loss numbers are its. */
  trackArm: number;
}

export type RunSpec = GptRunSpec | BertRunSpec | EncDecRunSpec | GptRaceRunSpec;

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

export type ToWorker =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'create'; run: RunSpec }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'sample'; requestId: number; prompt: string; length: number; temperature: number; seed: number }
  | { type: 'score'; requestId: number; text: string }
  | { type: 'memory'; requestId: number }
  | { type: 'fill'; requestId: number; text: string; arm: number }
  | { type: 'examples'; requestId: number; count: number; seed: number }
  | { type: 'reconstruct'; requestId: number; count: number; arm: number }
  | { type: 'matrix'; requestId: number; arm: number; name: string; what: 'v' | 'step' }
  | { type: 'gradients'; requestId: number; arm: number }
  | { type: 'dispose' };

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
  | { type: 'created'; params: number; vocabSize: number; /** The untrained model's held-out evaluation: the curves' step 0. */ initial: EvalPoint }
  | { type: 'progress'; points: StepPoint[]; evals: EvalPoint[] }
  | { type: 'state'; running: boolean }
  | { type: 'diverged'; step: number; message: string }
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
  | { type: 'gradients'; requestId: number; histogram: Log2Histogram | null; scale: number; count: number; step: number }
  | { type: 'error'; message: string; during: ToWorker['type'] };
