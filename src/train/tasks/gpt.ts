// The GPT task: tiny decoder-only models trained on next-token prediction,
// one per arm, all on the same batches in the same order. Arms may differ in
// optimiser and schedule (the engine's business) and here in initialisation,
// a batch-size ramp and simulated mixed precision.
import * as tf from '@tensorflow/tfjs-core';
import { batchSizeAt, makeRng, sampleBatch, seedFor, type Rng } from '../../core';
import {
  countParams,
  disposeParams,
  GPT2_INIT,
  gptLoss,
  gptParamInfo,
  initGptParams,
  NORMAL_INIT,
  paramView,
  T5_INIT,
  XAVIER_INIT,
  type GptConfig,
  type GptParams,
  type InitScheme,
} from '../../models/gpt';
import type { ArmMetrics, GptArmSpec, GptRunSpec, InitName, PrecisionSpec, TrackSpec } from '../contract';
import type { GptData } from '../data/gpt';
import type { ArmInput, ArmModel, EngineArm, Task } from '../engine';
import { TensorAdam } from '../optim/adam';
import { globalNorm } from '../optim/clip';
import { paramGroup } from '../optim/decay';
import { factoredRelativeError } from '../optim/factoredError';

/** Held-out loss is the mean over this many fixed batches (the memory page counts them). */
export const EVAL_BATCHES = 4;

const INIT_SCHEMES: Record<InitName, InitScheme> = {
  gpt2: GPT2_INIT,
  normal: NORMAL_INIT,
  xavier: XAVIER_INIT,
  t5: T5_INIT,
};

/** Inputs and next-token targets, int32 [rows, T] each. */
export interface GptBatch {
  ids: tf.Tensor2D;
  targets: tf.Tensor2D;
}

export interface GptArm extends ArmModel {
  spec: GptArmSpec;
  /** The run's model, with T5's folded attention scale when the arm uses T5's init. */
  cfg: GptConfig;
  params: GptParams;
  precision?: PrecisionSpec;
}

export class GptTask implements Task<GptRunSpec, GptArm, GptBatch> {
  readonly name = 'gpt' as const;
  readonly divergence = 'drop' as const;
  readonly evalMetrics = ['total', 'weightNorm', 'matrixNorm'] as const;
  readonly cfg: GptConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  readonly referenceArm: number;
  readonly track: readonly TrackSpec[];
  /** The fixed held-out batches, drawn once from the eval stream, shared by every arm. */
  readonly evalBatches: GptBatch[];
  private readonly batchRng: Rng;

  constructor(
    readonly run: GptRunSpec,
    readonly data: GptData,
  ) {
    const m = run.model;
    this.vocabSize = data.tokenizer.vocab.length;
    this.cfg = {
      vocabSize: this.vocabSize,
      contextLength: m.contextLength,
      dModel: m.dModel,
      nLayers: m.nLayers,
      nHeads: m.nHeads,
    };
    this.paramCount = countParams(this.cfg);
    this.referenceArm = run.referenceArm ?? 0;
    this.track = run.track ?? [];
    for (const t of this.track) {
      const size = this.sizeOf(t.name);
      if (!(t.index >= 0 && t.index < size))
        throw new RangeError(`Tracked element ${t.name}[${t.index}] is outside the parameter (size ${size}).`);
    }
    this.batchRng = makeRng(seedFor(run.seed, 'data'));
    const evalRng = makeRng(seedFor(run.seed, 'eval'));
    const B = run.batchSize;
    this.evalBatches = Array.from({ length: EVAL_BATCHES }, () =>
      this.toTensors(sampleBatch(data.heldOut, B, m.contextLength, evalRng), B),
    );
  }

  private sizeOf(name: string): number {
    const info = gptParamInfo(this.cfg).find((p) => p.name === name);
    if (!info) throw new RangeError(`The model has no parameter '${name}'.`);
    return info.shape.reduce((a, b) => a * b, 1);
  }

  private toTensors(b: { inputs: Int32Array; targets: Int32Array }, rows: number): GptBatch {
    const T = this.cfg.contextLength;
    return { ids: tf.tensor2d(b.inputs, [rows, T], 'int32'), targets: tf.tensor2d(b.targets, [rows, T], 'int32') };
  }

  makeArm(spec: GptArmSpec): GptArm {
    const init = spec.init ?? 'gpt2';
    if (!(init in INIT_SCHEMES)) throw new RangeError(`Unknown initialisation '${init}'.`);
    if (spec.batchRamp) {
      const { start, rampTokens } = spec.batchRamp;
      const B = this.run.batchSize;
      if (!(Number.isInteger(start) && start >= 1 && start <= B)) {
        throw new RangeError(
          `The batch ramp's first batch (${start}) must be a whole number from 1 to the batch size ${B}.`,
        );
      }
      if (!(rampTokens >= 0 && Number.isFinite(rampTokens)))
        throw new RangeError(`The batch ramp's length must be 0 or more tokens, got ${rampTokens}.`);
    }
    const cfg: GptConfig = { ...this.cfg, foldedAttentionScale: init === 't5' };
    // Every arm draws from the same stream: arms with the same scheme start identical.
    const params = initGptParams(cfg, makeRng(seedFor(this.run.seed, 'init')), INIT_SCHEMES[init]);
    return { spec, cfg, params, precision: spec.precision };
  }

  disposeArm(arm: GptArm): void {
    disposeParams(arm.params);
  }

  drawBatch(): GptBatch {
    const B = this.run.batchSize;
    return this.toTensors(sampleBatch(this.data.train, B, this.cfg.contextLength, this.batchRng), B);
  }

  disposeBatch(batch: GptBatch): void {
    tf.dispose([batch.ids, batch.targets]);
  }

  /** Rows of the shared batch this arm trains on now: batchSizeAt(its tokens seen) with a ramp, else all. */
  private rowsFor(arm: EngineArm<GptArm>): number {
    const B = this.run.batchSize;
    const ramp = arm.model.spec.batchRamp;
    return ramp ? batchSizeAt(arm.tokens, { start: ramp.start, end: B, rampTokens: ramp.rampTokens }) : B;
  }

  armInput(arm: EngineArm<GptArm>, batch: GptBatch): ArmInput {
    const T = this.cfg.contextLength;
    const rows = this.rowsFor(arm);
    const part: GptBatch =
      rows === this.run.batchSize
        ? batch
        : { ids: tf.slice(batch.ids, [0, 0], [rows, T]), targets: tf.slice(batch.targets, [0, 0], [rows, T]) };
    const { params, cfg } = arm.model;
    return {
      objective: (p) => ({ total: gptLoss(paramView(params, p), cfg, part.ids, part.targets) }),
      tokens: rows * T,
      metrics: { rows },
      dispose: part === batch ? undefined : () => tf.dispose([part.ids, part.targets]),
    };
  }

  /** Every row of the shared batch counts, ramp or not. */
  stepTokens(): number {
    return this.run.batchSize * this.cfg.contextLength;
  }

  /**
   * Held-out loss (mean over the eval batches, with the weights the arm
   * computes with), the global weight norm and the norm of the weight
   * matrices alone (those weight decay applies to by default). With
   * run.factorError, the reference arm's Adam also reports how far
   * AdaFactor's factored estimate (row and column sums) is from its full v.
   */
  async evaluate(arm: EngineArm<GptArm>): Promise<ArmMetrics> {
    const { params, cfg } = arm.model;
    const three = tf.tidy(() => {
      const view = weightsOf(arm);
      const sum = tf.addN(this.evalBatches.map((b) => gptLoss(view, cfg, b.ids, b.targets)));
      const matrices = Object.fromEntries(Object.entries(params).filter(([name]) => paramGroup(name) === 'matrix'));
      return tf.stack([tf.div(sum, this.evalBatches.length), globalNorm(params), globalNorm(matrices)]);
    });
    const [total, weightNorm, matrixNorm] = await three.data();
    three.dispose();
    const out: ArmMetrics = { total, weightNorm, matrixNorm };
    if (this.run.factorError && arm.index === this.referenceArm && arm.optimizer instanceof TensorAdam) {
      const err = factoredRelativeError(arm.optimizer.state().v);
      out.factorError = (await err.data())[0];
      err.dispose();
    }
    return out;
  }

  dispose(): void {
    for (const b of this.evalBatches) this.disposeBatch(b);
  }
}

/** What an arm's model computes with: its FP16 view under simulated precision, else its weights. Call inside a tidy. */
export function weightsOf(arm: EngineArm<GptArm>): GptParams {
  return arm.precision ? paramView(arm.model.params, arm.precision.view()) : arm.model.params;
}
