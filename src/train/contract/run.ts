// What a page asks its worker to train: a run is a task (the model and its
// objective) plus arms. Every arm is one model trained on the same batches in
// lockstep, with its own optimiser and schedule; a single-model page is a
// one-arm run. A run spec is plain data: it crosses to the worker as JSON and
// replays exactly from the seed in the page's link.
import type { LossScaleConfig, OptimizerSpec, ScheduleConfig } from '../../core';

/** Where the training text comes from. */
export type DataSource =
  | { kind: 'corpus'; name: 'brown' | 'toy'; /** Absolute same-origin URL of the JSON asset. */ url: string }
  | { kind: 'text'; train: string; heldOut: string };

/**
 * What every arm has, whatever the task: its optimiser, its learning-rate
 * schedule (schedule.lr is the peak rate; lrAt(step, schedule) is the `lr`
 * the optimiser's update receives) and its clipping threshold.
 */
export interface ArmBase {
  /** The arm's name in legends and readouts. */
  label: string;
  optimizer: OptimizerSpec;
  schedule: ScheduleConfig;
  /** Global-norm clipping threshold; null = no clipping. */
  clipNorm: number | null;
}

/** What every run has, whatever the task. */
interface RunBase<Task extends string, Model, Arm extends ArmBase> {
  task: Task;
  /** The one seed every random stream derives from (core's seedFor). */
  seed: number;
  data: DataSource;
  /** Rows per batch: sequences, sentence pairs or passages. */
  batchSize: number;
  /** Steps between held-out evaluations. */
  evalEvery: number;
  model: Model;
  arms: Arm[];
}

// ---- GPT (decoder-only) -------------------------------------------------------

export interface ModelSpec {
  tokenizer: 'char' | 'word';
  /** Word-level vocabulary cap (most frequent words plus <unk>). */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  contextLength: number;
}

/**
 * Weight initialisation of a GPT arm (biases 0, layer-norm gains 1 in all):
 *   gpt2    N(0, 0.02^2), attn.wo and mlp.w2 times 1/sqrt(2 nLayers)
 *   normal  N(0, 0.02^2) everywhere
 *   xavier  N(0, 1/fan_in)
 *   t5      N(0, 1/fan_in), and the query projection times 1/sqrt(d_head) with
 *           attention logits q.k left unscaled (T5 folds the 1/sqrt(d) into the init)
 */
export type InitName = 'gpt2' | 'normal' | 'xavier' | 't5';
export const INIT_NAMES: readonly InitName[] = ['gpt2', 'normal', 'xavier', 't5'];

/**
 * Simulated FP16 training of one arm. The arithmetic stays FP32; values are
 * rounded to the nearest FP16 number where real mixed precision would store
 * them in FP16.
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

/** One tiny GPT of a run: same data and seed as the others, its own optimiser, schedule and options. */
export interface GptArmSpec extends ArmBase {
  /** How the weights are drawn (default 'gpt2'). */
  init?: InitName;
  /**
   * GPT-3's gradual batch-size increase: this arm uses the first
   * batchSizeAt(its tokens seen, {start, end: run batch size, rampTokens}) rows
   * of each shared batch. Without it, every row.
   */
  batchRamp?: { start: number; rampTokens: number };
  /** Simulated mixed precision (default: plain FP32). */
  precision?: PrecisionSpec;
}

/** One parameter element whose gradient and optimiser moments are reported every step. */
export interface TrackSpec {
  name: string;
  /** Flat (row-major) index into the parameter. */
  index: number;
}

/** Tiny GPTs trained on next-token prediction. */
export interface GptRunSpec extends RunBase<'gpt', ModelSpec, GptArmSpec> {
  /**
   * The reference arm (default 0): the trainer's loss numbers are its, its
   * moments are tracked, samples and scores come from it, and the run stops
   * when it diverges (another arm that blows up is dropped, its curve ends).
   */
  referenceArm?: number;
  /** Elements of the reference arm (an Adam arm) to report g, m and v for every step. */
  track?: TrackSpec[];
  /**
   * Also report, at every evaluation, how far AdaFactor's factored second
   * moment is from the reference (Adam) arm's full one (arms[0].factorError;
   * about 30 small kernels). Default false: only the memory page shows it.
   */
  factorError?: boolean;
}

// ---- BERT (encoder-only) ------------------------------------------------------

export interface BertModelSpec {
  /** Word-level vocabulary cap, specials included. */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Longest input in tokens, [CLS] and [SEP]s included; shorter ones are padded. */
  maxLength: number;
}

/** One tiny BERT of a run; the arms differ only by what their spec changes. */
export interface BertArmSpec extends ArmBase {
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

/** Tiny BERTs trained on masked language modelling; any arm that diverges stops the run. */
export interface BertRunSpec extends RunBase<'bert', BertModelSpec, BertArmSpec> {
  /**
   * Train on only the first this-many training documents (default: all), so
   * sequences repeat within a minute and a static mask repeats with them.
   */
  trainDocuments?: number;
}

// ---- Encoder-decoder ----------------------------------------------------------

export interface EncDecModelSpec {
  /** Word-level vocabulary cap, specials and sentinels included. */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Longest passage in words; the encoder input and the decoder target are at most this plus a few. */
  passageLength: number;
}

/** One encoder-decoder trained with one denoising objective on the run's passages. */
export interface EncDecArmSpec extends ArmBase {
  /** An ObjectiveId of src/core/noising/objectives.ts. */
  objective: string;
  rate: number;
  /** Poisson lambda or mean span length, where the objective has one. */
  span: number;
}

/** Tiny encoder-decoders trained on denoising objectives (BART's and T5's); any arm that diverges stops the run. */
export type EncDecRunSpec = RunBase<'encdec', EncDecModelSpec, EncDecArmSpec>;

export type RunSpec = GptRunSpec | BertRunSpec | EncDecRunSpec;
export type TaskName = RunSpec['task'];
export type AnyArmSpec = RunSpec['arms'][number];
