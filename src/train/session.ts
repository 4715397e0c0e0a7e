// One training run inside the worker: a tiny GPT, its optimiser and its data.
// Everything is seeded from RunSpec.seed, so a run replays exactly from its URL.
import * as tf from '@tensorflow/tfjs-core';
import { lrAt, makeRng, sampleBatch, sampleFromLogits } from '../core';
import {
  countParams,
  disposeParams,
  gptLogits,
  gptLoss,
  gptTokenNll,
  initGptParams,
  type GptConfig,
  type GptParams,
} from '../models/gpt';
import type { TensorAdam } from './optim/adam';
import { factoredRelativeError } from './optim/factoredError';
import { adamFor, scheduleOf, STREAMS, Throughput } from './sessionParts';
import { makeTrainStep } from './step';
import type { PreparedData } from './data';
import { divergedLoss, type TrainingSession } from './trainingSession';
import type { EvalPoint, GptRunSpec, StepPoint, TokenScore } from './contract';

/** Independent streams for initialisation and batches, derived from one seed. */
/** Held-out loss is averaged over this many fixed batches. */
const EVAL_BATCHES = 4;

export class Session implements TrainingSession {
  readonly cfg: GptConfig;
  readonly params: GptParams;
  readonly paramCount: number;
  readonly vocabSize: number;
  step = 0;
  private readonly optimizer: TensorAdam;
  private readonly trainStep: ReturnType<typeof makeTrainStep>;
  private readonly batchRng: () => number;
  private readonly evalBatches: { ids: tf.Tensor2D; targets: tf.Tensor2D }[];
  private readonly throughput = new Throughput();
  private startLoss: number | null = null;

  constructor(
    readonly run: GptRunSpec,
    readonly data: PreparedData,
  ) {
    const m = run.model;
    this.cfg = {
      vocabSize: data.tokenizer.vocab.length,
      contextLength: m.contextLength,
      dModel: m.dModel,
      nLayers: m.nLayers,
      nHeads: m.nHeads,
    };
    this.params = initGptParams(this.cfg, makeRng(run.seed ^ STREAMS.init));
    this.paramCount = countParams(this.cfg);
    this.vocabSize = this.cfg.vocabSize;
    const o = run.optim;
    this.optimizer = adamFor(this.params, o);
    this.trainStep = makeTrainStep(this.params, this.cfg, this.optimizer);
    this.batchRng = makeRng(run.seed ^ STREAMS.data);
    const evalRng = makeRng(run.seed ^ STREAMS.eval);
    this.evalBatches = Array.from({ length: EVAL_BATCHES }, () => {
      const b = sampleBatch(data.heldOut, o.batchSize, m.contextLength, evalRng);
      return this.toTensors(b, o.batchSize);
    });
  }

  private toTensors(b: { inputs: Int32Array; targets: Int32Array }, rows: number) {
    const T = this.cfg.contextLength;
    return {
      ids: tf.tensor2d(b.inputs, [rows, T], 'int32'),
      targets: tf.tensor2d(b.targets, [rows, T], 'int32'),
    };
  }

  /** Runs `count` optimiser steps; reads the losses back once at the end. */
  async trainSteps(count: number): Promise<StepPoint[]> {
    const { batchSize, clipNorm } = this.run.optim;
    const T = this.cfg.contextLength;
    const pending: { step: number; lr: number; loss: tf.Scalar; gradNorm: tf.Scalar }[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const lr = lrAt(this.step, scheduleOf(this.run.optim));
      const batch = this.toTensors(sampleBatch(this.data.train, batchSize, T, this.batchRng), batchSize);
      const out = this.trainStep(batch.ids, batch.targets, lr, clipNorm);
      batch.ids.dispose();
      batch.targets.dispose();
      this.step += 1;
      pending.push({ step: this.step, lr, loss: out.loss, gradNorm: out.gradNorm });
    }
    // One read-back for the whole chunk keeps GPU pipelines full.
    const values = await Promise.all(pending.map(async (p) => [await p.loss.data(), await p.gradNorm.data()] as const));
    const elapsed = performance.now() - started;
    this.throughput.note(elapsed / count);
    const tps = this.throughput.tokensPerSecond(batchSize * T);
    return pending.map((p, i) => {
      p.loss.dispose();
      p.gradNorm.dispose();
      return {
        step: p.step,
        lr: p.lr,
        loss: values[i][0][0],
        gradNorm: values[i][1][0],
        tokensSeen: p.step * batchSize * T,
        tokensPerSecond: tps,
        stepMs: elapsed / count,
      };
    });
  }

  /** Mean held-out NLL per token over the fixed evaluation batches. */
  async heldOutLoss(): Promise<number> {
    const total = tf.tidy(() => tf.addN(this.evalBatches.map((b) => gptLoss(this.params, this.cfg, b.ids, b.targets))));
    const value = (await total.data())[0] / this.evalBatches.length;
    total.dispose();
    return value;
  }

  /**
   * Held-out loss, and (when the run asks for it) how far AdaFactor's factored
   * estimate (row and column sums) is from Adam's full second moment over all
   * weight matrices.
   */
  async evaluate(): Promise<EvalPoint> {
    const heldOutLoss = await this.heldOutLoss();
    if (!this.run.factorError) return { step: this.step, heldOutLoss, arms: [{ total: heldOutLoss }] };
    const err = factoredRelativeError(this.optimizer.state().v);
    const factorError = (await err.data())[0];
    err.dispose();
    return { step: this.step, heldOutLoss, arms: [{ total: heldOutLoss, factorError }] };
  }

  /** The untrained model's held-out loss: the curve's starting point at step 0. */
  async initialEval(): Promise<EvalPoint> {
    const point = await this.evaluate();
    this.startLoss = point.heldOutLoss;
    return point;
  }

  /**
   * A loss that is not finite, or DIVERGED_FACTOR times worse than the
   * untrained model's, means the run has blown up.
   */
  isDiverged(point: StepPoint): boolean {
    return divergedLoss(point.loss, this.startLoss);
  }

  /** Autoregressive sampling: each new token from softmax(E phi(x_{1:i})_i / temperature). */
  async sample(prompt: string, length: number, temperature: number, seed: number): Promise<string> {
    const tok = this.data.tokenizer;
    const rng = makeRng(seed);
    const ids = tok.encode(prompt);
    if (ids.length === 0) ids.push(this.data.train[Math.floor(rng() * this.data.train.length)]);
    const T = this.cfg.contextLength;
    const generated: number[] = [];
    for (let i = 0; i < length; i++) {
      const window = ids.slice(-T);
      const last = tf.tidy(() => {
        const logits = gptLogits(this.params, this.cfg, tf.tensor2d([window], [1, window.length], 'int32'));
        return tf.reshape(tf.slice(logits, [0, window.length - 1, 0], [1, 1, -1]), [-1]);
      });
      const values = await last.data();
      last.dispose();
      const next = sampleFromLogits(values, temperature, rng);
      ids.push(next);
      generated.push(next);
    }
    return tok.decode(generated);
  }

  /**
   * Per-token -log p(x_i | x_{1:i-1}) for a text. Long texts are scored in
   * windows of length T with stride T/2, so every token after the first window
   * still sees at least T/2 tokens of context; all windows go in one batch.
   */
  async score(text: string): Promise<{ tokens: TokenScore[]; total: number }> {
    const tok = this.data.tokenizer;
    const ids = tok.encode(text);
    const pieces = ids.map((id) => tok.decode([id]));
    const nll: (number | null)[] = ids.map(() => null);
    if (ids.length >= 2) {
      const T = this.cfg.contextLength;
      const stride = Math.max(1, Math.floor(T / 2));
      const starts: number[] = [];
      for (let s = 0; ; s += stride) {
        starts.push(s);
        if (s + T >= ids.length - 1) break;
      }
      const width = Math.min(T, ids.length - 1);
      const inputs: number[] = [];
      const targets: number[] = [];
      for (const s0 of starts) {
        const s = Math.min(s0, ids.length - 1 - width);
        inputs.push(...ids.slice(s, s + width));
        targets.push(...ids.slice(s + 1, s + 1 + width));
      }
      const out = tf.tidy(() =>
        gptTokenNll(
          this.params,
          this.cfg,
          tf.tensor2d(inputs, [starts.length, width], 'int32'),
          tf.tensor2d(targets, [starts.length, width], 'int32'),
        ),
      );
      const values = await out.data();
      out.dispose();
      starts.forEach((s0, w) => {
        const s = Math.min(s0, ids.length - 1 - width);
        // The earliest window holding a position sees it near its end, with the
        // most context; later windows only fill positions not yet scored.
        for (let j = 0; j < width; j++) {
          const pos = s + 1 + j;
          if (nll[pos] === null) nll[pos] = values[w * width + j];
        }
      });
    }
    const tokens = pieces.map((p, i) => ({ text: p, nll: nll[i] }));
    const total = nll.reduce<number>((a, b) => a + (b ?? 0), 0);
    return { tokens, total };
  }

  dispose() {
    this.optimizer.dispose();
    disposeParams(this.params);
    for (const b of this.evalBatches) {
      b.ids.dispose();
      b.targets.dispose();
    }
  }
}
