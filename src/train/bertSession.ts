// A BERT run inside the worker: one or more arms (tiny BERTs with their own
// parameters and optimisers) trained in lockstep on the same sentence pairs.
// Everything is seeded from RunSpec.seed, so a run replays from its URL.
import * as tf from '@tensorflow/tfjs-core';
import {
  buildBertBatch,
  buildFullSentences,
  buildNspPair,
  lrAt,
  makeRng,
  mixSeed,
  ownTokenBatch,
  type BertBatch,
  type BertRow,
  type NspExample,
  type Rng,
} from '../core';
import { crossEntropy } from '../models/layers';
import {
  bertHidden,
  bertLosses,
  countBertParams,
  disposeBertParams,
  initBertParams,
  mlmLogits,
  type BertConfig,
  type BertInputs,
  type BertParams,
  type BertTargets,
} from '../models/bert';
import type { BertData, TokenizedDocs } from './bertData';
import type { TensorAdam } from './optim/adam';
import { adamFor, chunkPoints, scheduleOf, STREAMS, Throughput } from './sessionParts';
import type { ArmMetrics, BertArmSpec, BertExample, BertRunSpec, EvalPoint, FillPrediction, StepPoint } from './contract';
import { makeStepper, type Stepper } from './step';
import { divergedLoss, type TrainingSession } from './trainingSession';

/** Held-out metrics use this many batches' worth of fixed sequences. */
const EVAL_BATCHES = 4;
const TOP_K = 5;

interface Arm {
  spec: BertArmSpec;
  params: BertParams;
  optimizer: TensorAdam;
  step: Stepper;
  /** Dynamic masking's stream; every arm's starts from the same seed. */
  maskRng: Rng;
  startLoss: number | null;
  eval: { masked: BertBatch; own: BertBatch };
}

function toInputs(b: BertBatch): BertInputs {
  return { B: b.rows, T: b.T, ids: b.ids, segments: b.segments, lengths: b.lengths };
}

function toTargets(b: BertBatch): BertTargets {
  return { maskedRows: b.maskedRows, maskedTargets: b.maskedTargets, nspLabels: b.nspLabels };
}

/** Share of rows where argmax(logits) equals the label. logits [N, C], labels [N] -> scalar. */
function accuracy(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.tensor1d(labels, 'int32')), 'float32'));
}

export class BertSession implements TrainingSession {
  readonly cfg: BertConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  step = 0;
  private readonly arms: Arm[];
  private readonly pairRng: Rng;
  /** The training documents pairs are drawn from: all, or the run's first trainDocuments. */
  private readonly trainDocs: TokenizedDocs;
  private readonly protectedIds: ReadonlySet<number>;
  private tokensSeen = 0;
  private readonly throughput = new Throughput();

  constructor(
    readonly run: BertRunSpec,
    readonly data: BertData,
  ) {
    if (run.arms.length === 0) throw new Error('A BERT run needs at least one arm');
    const m = run.model;
    this.vocabSize = data.tokenizer.vocab.length;
    this.cfg = {
      vocabSize: this.vocabSize,
      maxLength: m.maxLength,
      dModel: m.dModel,
      nLayers: m.nLayers,
      nHeads: m.nHeads,
      segmentTypes: 2,
    };
    this.paramCount = countBertParams(this.cfg);
    const { pad, cls, sep } = data.ids;
    // <unk> is protected too: "an unknown word goes here" teaches nothing,
    // and the Brown corpus has many of them at this vocabulary size.
    this.protectedIds = new Set([pad, cls, sep, data.tokenizer.unkId]);
    this.pairRng = makeRng(run.seed ^ STREAMS.data);
    this.trainDocs = run.trainDocuments === undefined ? data.train : data.train.slice(0, run.trainDocuments);
    if (this.trainDocs.length < 2) throw new Error('A BERT run needs at least two training documents (next-sentence pairs draw B from another one).');
    // The held-out sequences are drawn once, the same for every arm.
    const evalRng = makeRng(run.seed ^ STREAMS.eval);
    const evalPairs = Array.from({ length: EVAL_BATCHES * run.optim.batchSize }, () => this.drawPair(data.heldOut, evalRng));
    const o = run.optim;
    this.arms = run.arms.map((spec) => {
      // Same seed for every arm: arms differ only in what their spec changes.
      const params = initBertParams(this.cfg, makeRng(run.seed ^ STREAMS.init));
      const optimizer = adamFor(params, o);
      const rows = evalPairs.map((p) => this.rowFor(spec, data.heldOut, p));
      const evalMaskRng = makeRng(run.seed ^ STREAMS.eval ^ STREAMS.noise);
      return {
        spec,
        params,
        optimizer,
        step: makeStepper(params, optimizer),
        maskRng: makeRng(run.seed ^ STREAMS.noise),
        startLoss: null,
        eval: {
          masked: this.batch(spec, rows, () => evalMaskRng),
          own: ownTokenBatch(rows, this.cfg.maxLength, pad, this.protectedIds),
        },
      };
    });
  }

  private drawPair(docs: TokenizedDocs, rng: Rng): NspExample {
    const { cls, sep } = this.data.ids;
    return buildNspPair(docs, { clsId: cls, sepId: sep, maxLength: this.cfg.maxLength, rng });
  }

  /** The sequence an arm trains on for a drawn pair: the pair itself (BERT) or contiguous text from A on (RoBERTa). */
  private rowFor(spec: BertArmSpec, docs: TokenizedDocs, pair: NspExample): BertRow & { key: number[] } {
    const label = pair.label === 'IsNext' ? 1 : 0;
    if (spec.nsp) {
      return { ids: pair.ids, segments: pair.segments, label, key: [pair.docIndex, pair.sentenceIndex, pair.bDocIndex, pair.bSentenceIndex] };
    }
    const { cls, sep } = this.data.ids;
    const full = buildFullSentences(docs, pair.docIndex, pair.sentenceIndex, { clsId: cls, sepId: sep, maxLength: this.cfg.maxLength });
    return { ...full, label, key: [pair.docIndex, pair.sentenceIndex] };
  }

  private batch(spec: BertArmSpec, rows: (BertRow & { key?: number[] })[], rngFor: (r: number) => Rng): BertBatch {
    const { pad, mask } = this.data.ids;
    return buildBertBatch(rows, {
      T: this.cfg.maxLength,
      padId: pad,
      maskId: mask,
      vocabSize: this.vocabSize,
      protectedIds: this.protectedIds,
      selectRate: spec.selectRate,
      maskProb: spec.maskProb,
      randomProb: spec.randomProb,
      rngFor,
      nsp: spec.nsp,
    });
  }

  /** Static masking: the mask is a function of the sequence, so a sequence seen twice is masked the same way. */
  private maskRngFor(arm: Arm, rows: { key: number[] }[]): (r: number) => Rng {
    if (arm.spec.dynamicMasking) return () => arm.maskRng;
    return (r) => makeRng(mixSeed(this.run.seed, ...rows[r].key));
  }

  async trainSteps(count: number): Promise<StepPoint[]> {
    const { batchSize, clipNorm } = this.run.optim;
    const pending: { step: number; lr: number; tokens: number; out: ReturnType<Stepper>[] }[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const lr = lrAt(this.step, scheduleOf(this.run.optim));
      const pairs = Array.from({ length: batchSize }, () => this.drawPair(this.trainDocs, this.pairRng));
      let tokens = 0;
      const out = this.arms.map((arm, a) => {
        const rows = pairs.map((p) => this.rowFor(arm.spec, this.trainDocs, p));
        const b = this.batch(arm.spec, rows, this.maskRngFor(arm, rows));
        if (a === 0) tokens = b.lengths.reduce((s, n) => s + n, 0);
        return arm.step(() => {
          const l = bertLosses(arm.params, this.cfg, toInputs(b), toTargets(b));
          const parts: Record<string, tf.Scalar> = { mlm: l.mlm };
          if (l.nsp) parts.nsp = l.nsp;
          return { total: l.total, parts };
        }, lr, clipNorm);
      });
      this.step += 1;
      this.tokensSeen += tokens;
      pending.push({ step: this.step, lr, tokens: this.tokensSeen, out });
    }
    // Real (unpadded) tokens of arm 0 per step, averaged over the run.
    return chunkPoints(pending, started, this.throughput, this.tokensSeen / this.step);
  }

  /**
   * Held-out metrics per arm: MLM loss and accuracy on the selected
   * positions, NSP loss and accuracy, and the own-token accuracy on input
   * with no [MASK] at all (the distribution-shift probe).
   */
  async evaluate(): Promise<EvalPoint> {
    const arms = await Promise.all(
      this.arms.map(async (arm) => {
        const t = tf.tidy(() => {
          const l = bertLosses(arm.params, this.cfg, toInputs(arm.eval.masked), toTargets(arm.eval.masked));
          const own = arm.eval.own;
          const ownLogits = mlmLogits(arm.params, bertHidden(arm.params, this.cfg, toInputs(own)), own.maskedRows);
          const named: Record<string, tf.Scalar> = {
            total: l.total,
            mlm: l.mlm,
            mlmAcc: accuracy(l.mlmLogits, arm.eval.masked.maskedTargets),
            ownAcc: accuracy(ownLogits, own.maskedTargets),
            // Mean -log p of the word actually there: moves before the argmax does.
            ownNll: crossEntropy(ownLogits, tf.tensor1d(own.maskedTargets, 'int32'), 'mean'),
          };
          if (l.nsp && l.nspLogits && arm.eval.masked.nspLabels) {
            named.nsp = l.nsp;
            named.nspAcc = accuracy(l.nspLogits, arm.eval.masked.nspLabels);
          }
          return named;
        });
        const entries = await Promise.all(Object.entries(t).map(async ([k, v]) => [k, (await v.data())[0]] as const));
        tf.dispose(Object.values(t));
        return Object.fromEntries(entries) as ArmMetrics;
      }),
    );
    return { step: this.step, heldOutLoss: arms[0].total, arms };
  }

  async initialEval(): Promise<EvalPoint> {
    const point = await this.evaluate();
    this.arms.forEach((arm, i) => (arm.startLoss = point.arms![i].total));
    return point;
  }

  /** Any arm blowing up stops the run: the comparison is only fair while all train. */
  isDiverged(point: StepPoint): boolean {
    if (divergedLoss(point.loss, this.arms[0].startLoss)) return true;
    return (point.arms ?? []).some((m, i) => divergedLoss(m.total, this.arms[i]?.startLoss ?? null));
  }

  /**
   * Fill in the blank: the text with each "[MASK]" (any case) as the mask
   * token, in [CLS] ... [SEP]; the arm's top guesses at every mask.
   */
  async fill(text: string, armIndex: number): Promise<{ tokens: string[]; predictions: FillPrediction[]; error: string | null }> {
    const arm = this.arms[armIndex];
    if (!arm) return { tokens: [], predictions: [], error: `This run has no model ${armIndex}.` };
    const { cls, sep, mask, pad } = this.data.ids;
    const tok = this.data.tokenizer;
    const ids: number[] = [cls];
    text.split(/\[mask\]/i).forEach((piece, i) => {
      if (i > 0) ids.push(mask);
      ids.push(...tok.encode(piece));
    });
    ids.push(sep);
    const tokens = ids.map((id) => tok.vocab[id]);
    const positions = ids.flatMap((id, i) => (id === mask ? [i] : []));
    if (positions.length === 0) return { tokens, predictions: [], error: 'Write [MASK] where the model should guess a word.' };
    const T = this.cfg.maxLength;
    if (ids.length > T) {
      return { tokens, predictions: [], error: `The sentence has ${ids.length} tokens with [CLS] and [SEP]; this model reads at most ${T}.` };
    }
    const padded = new Int32Array(T).fill(pad);
    padded.set(ids);
    const input: BertInputs = { B: 1, T, ids: padded, segments: new Int32Array(T), lengths: Int32Array.of(ids.length) };
    const top = tf.tidy(() => {
      const logits = mlmLogits(arm.params, bertHidden(arm.params, this.cfg, input), Int32Array.from(positions));
      return tf.topk(tf.softmax(logits), TOP_K);
    });
    const [p, idx] = await Promise.all([top.values.data(), top.indices.data()]);
    tf.dispose([top.values, top.indices]);
    const predictions = positions.map((position, m) => ({
      position,
      candidates: Array.from({ length: TOP_K }, (_, k) => ({ token: tok.vocab[idx[m * TOP_K + k]], p: p[m * TOP_K + k] })),
    }));
    return { tokens, predictions, error: null };
  }

  /** Training examples as arm 0 would see them, drawn from their own seed (the run is not disturbed). */
  examples(count: number, seed: number): BertExample[] {
    const rng = makeRng(seed);
    const vocab = this.data.tokenizer.vocab;
    const spec = this.arms[0].spec;
    const pairs = Array.from({ length: count }, () => this.drawPair(this.data.train, rng));
    const rows = pairs.map((p) => this.rowFor(spec, this.data.train, p));
    const b = this.batch(spec, rows, () => rng);
    return rows.map((row, r) => ({
      tokens: row.ids.map((id) => vocab[id]),
      input: Array.from(b.ids.slice(r * b.T, r * b.T + row.ids.length), (id) => vocab[id]),
      segments: [...row.segments],
      kinds: b.kinds[r],
      label: row.label === 1 ? 'IsNext' : 'NotNext',
    }));
  }

  dispose() {
    for (const arm of this.arms) {
      arm.optimizer.dispose();
      disposeBertParams(arm.params);
    }
  }
}
