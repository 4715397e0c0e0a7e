// The encoder-decoder task: one tiny encoder-decoder per arm, each trained
// with its own denoising objective (BART's and T5's) on the same passages,
// in lockstep, so their loss curves can share a chart.
import * as tf from '@tensorflow/tfjs-core';
import { applyObjective, makeRng, seedFor, type ObjectiveId, type Rng } from '../../core';
import {
  countEncDecParams,
  disposeEncDecParams,
  encDecLoss,
  greedyDecode,
  initEncDecParams,
  type EncDecBatch,
  type EncDecConfig,
  type EncDecParams,
} from '../../models/encdec';
import {
  ENCDEC_LENGTH_SLACK,
  type ArmMetrics,
  type EncDecArmSpec,
  type EncDecRunSpec,
  type Reconstruction,
} from '../contract';
import { drawPassage, type EncDecData } from '../data/encdec';
import type { ArmInput, ArmModel, Engine, EngineArm, Task } from '../engine';

const EVAL_BATCHES = 4;
/** Inserted masks and sentinels can make an input or target longer than its passage (the step budget prices this too). */
const SLACK = ENCDEC_LENGTH_SLACK;

/** A passage: sentences of word ids. */
type Passage = number[][];

/** A noised pair, as ids: encoder input and decoder target (ending in </s>). */
interface Pair {
  input: number[];
  target: number[];
}

export interface EncDecArm extends ArmModel {
  spec: EncDecArmSpec;
  params: EncDecParams;
  /** The training noise stream; every arm's starts from the same seed. */
  noiseRng: Rng;
  /** The held-out passages under this arm's objective, and the same as padded batches. */
  evalPairs: Pair[];
  evalBatches: EncDecBatch[];
}

export class EncDecTask implements Task<EncDecRunSpec, EncDecArm, Passage[]> {
  readonly name = 'encdec' as const;
  readonly divergence = 'stop' as const;
  readonly referenceArm = 0;
  readonly evalMetrics = ['total', 'targetTokens'] as const;
  readonly cfg: EncDecConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  private readonly passageRng: Rng;
  /** The held-out passages, drawn once, the same for every arm. */
  private readonly evalPassages: Passage[];

  constructor(
    readonly run: EncDecRunSpec,
    readonly data: EncDecData,
  ) {
    const m = run.model;
    this.vocabSize = data.tokenizer.vocab.length;
    const maxLen = m.passageLength + SLACK;
    this.cfg = {
      vocabSize: this.vocabSize,
      maxSource: maxLen,
      maxTarget: maxLen,
      dModel: m.dModel,
      nLayers: m.nLayers,
      nHeads: m.nHeads,
    };
    this.paramCount = countEncDecParams(this.cfg);
    this.passageRng = makeRng(seedFor(run.seed, 'data'));
    const evalRng = makeRng(seedFor(run.seed, 'eval'));
    this.evalPassages = Array.from({ length: EVAL_BATCHES * run.batchSize }, () =>
      drawPassage(data.heldOut, m.passageLength, evalRng),
    );
  }

  /** The arm's objective applied to a passage, cut to the model's lengths; the target ends with </s>. */
  private noised(spec: EncDecArmSpec, passage: Passage, rng: Rng): Pair {
    const { mask, sentinels, eos } = this.data.ids;
    const r = applyObjective(
      spec.objective as ObjectiveId,
      passage,
      { rate: spec.rate, span: spec.span },
      { maskId: mask, sentinelIds: sentinels, vocabSize: this.vocabSize },
      rng,
    );
    return {
      input: r.input.slice(0, this.cfg.maxSource),
      target: [...r.target.slice(0, this.cfg.maxTarget - 1), eos],
    };
  }

  /** Pads pairs into one batch, source [B, S] and decoder input [B, T]: <s> + target without its last token. */
  private batch(pairs: Pair[]): EncDecBatch {
    const { pad, bos } = this.data.ids;
    const B = pairs.length;
    const S = this.cfg.maxSource;
    const T = this.cfg.maxTarget;
    const sourceIds = new Int32Array(B * S).fill(pad);
    const sourceLengths = new Int32Array(B);
    const decoderInput = new Int32Array(B * T).fill(pad);
    const targetRows: number[] = [];
    const targetIds: number[] = [];
    pairs.forEach((p, b) => {
      // An empty input (e.g. everything deleted) still needs one key to attend to.
      const input = p.input.length > 0 ? p.input : [pad];
      sourceIds.set(input, b * S);
      sourceLengths[b] = input.length;
      decoderInput.set([bos, ...p.target.slice(0, -1)], b * T);
      p.target.forEach((id, t) => {
        targetRows.push(b * T + t);
        targetIds.push(id);
      });
    });
    return {
      B,
      S,
      T,
      sourceIds,
      sourceLengths,
      decoderInput,
      targetRows: Int32Array.from(targetRows),
      targetIds: Int32Array.from(targetIds),
    };
  }

  makeArm(spec: EncDecArmSpec): EncDecArm {
    const { seed, batchSize: B } = this.run;
    const params = initEncDecParams(this.cfg, makeRng(seedFor(seed, 'init')));
    const noise = makeRng(seedFor(seed, 'evalNoise'));
    const evalPairs = this.evalPassages.map((p) => this.noised(spec, p, noise));
    const evalBatches = Array.from({ length: EVAL_BATCHES }, (_, i) => this.batch(evalPairs.slice(i * B, (i + 1) * B)));
    return { spec, params, noiseRng: makeRng(seedFor(seed, 'noise')), evalPairs, evalBatches };
  }

  disposeArm(arm: EncDecArm): void {
    disposeEncDecParams(arm.params);
  }

  /** The step's passages (host side: each arm noises them with its own objective). */
  drawBatch(): Passage[] {
    return Array.from({ length: this.run.batchSize }, () =>
      drawPassage(this.data.train, this.run.model.passageLength, this.passageRng),
    );
  }

  disposeBatch(): void {}

  armInput(arm: EngineArm<EncDecArm>, passages: Passage[]): ArmInput {
    const { spec, noiseRng } = arm.model;
    const b = this.batch(passages.map((p) => this.noised(spec, p, noiseRng)));
    return {
      // The engine passes the arm's own weights (no FP16 view here): same names, same tensors.
      objective: (p) => ({ total: encDecLoss(p as EncDecParams, this.cfg, b).loss }),
      tokens: b.targetIds.length,
    };
  }

  /** Arm 0's target tokens (the trainer's count). */
  stepTokens(_passages: Passage[], armTokens: readonly (number | null)[]): number {
    return armTokens[0] ?? 0;
  }

  /**
   * Held-out loss per target token (on the arm's own objective's version of
   * the shared passages), and targetTokens, the mean number of tokens
   * (</s> included) the decoder writes per held-out passage.
   */
  async evaluate(arm: EngineArm<EncDecArm>): Promise<ArmMetrics> {
    const { params, evalBatches, evalPairs } = arm.model;
    const sum = tf.tidy(() => tf.addN(evalBatches.map((b) => encDecLoss(params, this.cfg, b).loss)));
    const total = (await sum.data())[0] / evalBatches.length;
    sum.dispose();
    const targetTokens = evalPairs.reduce((n, p) => n + p.target.length, 0) / evalPairs.length;
    return { total, targetTokens };
  }

  dispose(): void {}
}

/** The first `count` held-out passages of an arm: input, target, and the model's greedy output. */
export async function reconstruct(e: Engine<EncDecTask>, count: number, armIndex: number): Promise<Reconstruction[]> {
  const arm = e.arms[armIndex];
  if (!arm) return [];
  const { data, cfg } = e.task;
  const { bos, eos, pad } = data.ids;
  const vocab = data.tokenizer.vocab;
  const words = (ids: readonly number[]) => ids.map((id) => vocab[id]);
  const out: Reconstruction[] = [];
  for (const pair of arm.model.evalPairs.slice(0, count)) {
    // As in batch(): an input with every token deleted is read as one padding token.
    const source = pair.input.length > 0 ? pair.input : [pad];
    const output = await greedyDecode(arm.model.params, cfg, source, {
      bosId: bos,
      eosId: eos,
      maxLength: cfg.maxTarget,
    });
    out.push({ input: words(pair.input), target: words(pair.target.slice(0, -1)), output: words(output) });
  }
  return out;
}
