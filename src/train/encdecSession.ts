// An encoder-decoder run inside the worker: one tiny encoder-decoder per arm,
// each trained with its own denoising objective on the same passages, in
// lockstep, so their loss curves can share a chart.
import * as tf from '@tensorflow/tfjs-core';
import { applyObjective, lrAt, makeRng, type ObjectiveId, type Rng } from '../core';
import {
  countEncDecParams,
  disposeEncDecParams,
  encDecLoss,
  greedyDecode,
  initEncDecParams,
  type EncDecBatch,
  type EncDecConfig,
  type EncDecParams,
} from '../models/encdec';
import { drawPassage, type EncDecData } from './encdecData';
import type { TensorAdam } from './optim/adam';
import { adamFor, chunkPoints, scheduleOf, STREAMS, Throughput } from './sessionParts';
import type { ArmMetrics, EncDecArmSpec, EncDecRunSpec, EvalPoint, Reconstruction, StepPoint } from './contract';
import { makeStepper, type Stepper } from './step';
import { divergedLoss, type TrainingSession } from './trainingSession';

const EVAL_BATCHES = 4;
/** Inserted masks and sentinels can make an input or target longer than its passage. */
const SLACK = 8;

/** A noised pair, as ids: encoder input and decoder target (ending in </s>). */
interface Pair {
  input: number[];
  target: number[];
}

interface Arm {
  spec: EncDecArmSpec;
  params: EncDecParams;
  optimizer: TensorAdam;
  step: Stepper;
  noiseRng: Rng;
  startLoss: number | null;
  evalPairs: Pair[];
  evalBatches: EncDecBatch[];
}

export class EncDecSession implements TrainingSession {
  readonly cfg: EncDecConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  step = 0;
  private readonly arms: Arm[];
  private readonly passageRng: Rng;
  private tokensSeen = 0;
  private readonly throughput = new Throughput();

  constructor(
    readonly run: EncDecRunSpec,
    readonly data: EncDecData,
  ) {
    if (run.arms.length === 0) throw new Error('An encoder-decoder run needs at least one arm');
    const m = run.model;
    this.vocabSize = data.tokenizer.vocab.length;
    const maxLen = m.passageLength + SLACK;
    this.cfg = { vocabSize: this.vocabSize, maxSource: maxLen, maxTarget: maxLen, dModel: m.dModel, nLayers: m.nLayers, nHeads: m.nHeads };
    this.paramCount = countEncDecParams(this.cfg);
    this.passageRng = makeRng(run.seed ^ STREAMS.data);
    const evalRng = makeRng(run.seed ^ STREAMS.eval);
    const B = run.optim.batchSize;
    const evalPassages = Array.from({ length: EVAL_BATCHES * B }, () => drawPassage(data.heldOut, m.passageLength, evalRng));
    const o = run.optim;
    this.arms = run.arms.map((spec) => {
      const params = initEncDecParams(this.cfg, makeRng(run.seed ^ STREAMS.init));
      const optimizer = adamFor(params, o);
      const noise = makeRng(run.seed ^ STREAMS.eval ^ STREAMS.noise);
      const evalPairs = evalPassages.map((p) => this.noised(spec, p, noise));
      const evalBatches = Array.from({ length: EVAL_BATCHES }, (_, i) => this.batch(evalPairs.slice(i * B, (i + 1) * B)));
      return {
        spec,
        params,
        optimizer,
        step: makeStepper(params, optimizer),
        noiseRng: makeRng(run.seed ^ STREAMS.noise),
        startLoss: null,
        evalPairs,
        evalBatches,
      };
    });
  }

  /** The arm's objective applied to a passage, cut to the model's lengths; the target ends with </s>. */
  private noised(spec: EncDecArmSpec, passage: number[][], rng: Rng): Pair {
    const { mask, sentinels, eos } = this.data.ids;
    const r = applyObjective(spec.objective as ObjectiveId, passage, { rate: spec.rate, span: spec.span }, { maskId: mask, sentinelIds: sentinels, vocabSize: this.vocabSize }, rng);
    return {
      input: r.input.slice(0, this.cfg.maxSource),
      target: [...r.target.slice(0, this.cfg.maxTarget - 1), eos],
    };
  }

  /** Pads pairs into one batch: decoder input is <s> + target without its last token. */
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
    return { B, S, T, sourceIds, sourceLengths, decoderInput, targetRows: Int32Array.from(targetRows), targetIds: Int32Array.from(targetIds) };
  }

  async trainSteps(count: number): Promise<StepPoint[]> {
    const { batchSize, clipNorm } = this.run.optim;
    const pending: { step: number; lr: number; tokens: number; out: ReturnType<Stepper>[] }[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const lr = lrAt(this.step, scheduleOf(this.run.optim));
      const passages = Array.from({ length: batchSize }, () => drawPassage(this.data.train, this.run.model.passageLength, this.passageRng));
      let tokens = 0;
      const out = this.arms.map((arm, a) => {
        const b = this.batch(passages.map((p) => this.noised(arm.spec, p, arm.noiseRng)));
        if (a === 0) tokens = b.targetIds.length;
        return arm.step(() => ({ total: encDecLoss(arm.params, this.cfg, b).loss }), lr, clipNorm);
      });
      this.step += 1;
      this.tokensSeen += tokens;
      pending.push({ step: this.step, lr, tokens: this.tokensSeen, out });
    }
    // Target tokens of arm 0 per step, averaged over the run.
    return chunkPoints(pending, started, this.throughput, this.tokensSeen / this.step);
  }

  /**
   * Per arm: held-out loss per target token (each on its own objective's
   * version of the same passages), and targetTokens, the mean number of
   * tokens (</s> included) the decoder writes per held-out passage.
   */
  async evaluate(): Promise<EvalPoint> {
    const arms = await Promise.all(
      this.arms.map(async (arm) => {
        const sum = tf.tidy(() => tf.addN(arm.evalBatches.map((b) => encDecLoss(arm.params, this.cfg, b).loss)));
        const total = (await sum.data())[0] / arm.evalBatches.length;
        sum.dispose();
        const targetTokens = arm.evalPairs.reduce((n, p) => n + p.target.length, 0) / arm.evalPairs.length;
        return { total, targetTokens } as ArmMetrics;
      }),
    );
    return { step: this.step, heldOutLoss: arms[0].total, arms };
  }

  async initialEval(): Promise<EvalPoint> {
    const point = await this.evaluate();
    this.arms.forEach((arm, i) => (arm.startLoss = point.arms![i].total));
    return point;
  }

  isDiverged(point: StepPoint): boolean {
    return (point.arms ?? [{ total: point.loss }]).some((m, i) => divergedLoss(m.total, this.arms[i]?.startLoss ?? null));
  }

  /** The first `count` held-out passages of an arm: input, target, and the model's greedy output. */
  async reconstruct(count: number, armIndex: number): Promise<Reconstruction[]> {
    const arm = this.arms[armIndex];
    if (!arm) return [];
    const { bos, eos, pad } = this.data.ids;
    const vocab = this.data.tokenizer.vocab;
    const words = (ids: readonly number[]) => ids.map((id) => vocab[id]);
    const out: Reconstruction[] = [];
    for (const pair of arm.evalPairs.slice(0, count)) {
      // As in batch(): an input with every token deleted is read as one padding token.
      const source = pair.input.length > 0 ? pair.input : [pad];
      const output = await greedyDecode(arm.params, this.cfg, source, { bosId: bos, eosId: eos, maxLength: this.cfg.maxTarget });
      out.push({ input: words(pair.input), target: words(pair.target.slice(0, -1)), output: words(output) });
    }
    return out;
  }

  dispose() {
    for (const arm of this.arms) {
      arm.optimizer.dispose();
      disposeEncDecParams(arm.params);
    }
  }
}
