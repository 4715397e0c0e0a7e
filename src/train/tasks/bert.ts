// The BERT task: tiny encoders trained on masked language modelling (and,
// for BERT-style arms, next-sentence prediction), one per arm, all on the
// same drawn sentence pairs. An arm turns the shared pairs into its own input
// (BERT's pair, or RoBERTa's contiguous sentences) and masks them its way.
import * as tf from '@tensorflow/tfjs-core';
import {
  buildBertBatch,
  buildFullSentences,
  buildNspPair,
  makeRng,
  ownTokenBatch,
  seedFor,
  type BertBatch,
  type BertRow,
  type NspExample,
  type Rng,
} from '../../core';
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
} from '../../models/bert';
import { crossEntropy } from '../../models/layers';
import type { ArmMetrics, BertArmSpec, BertRunSpec } from '../contract';
import type { BertData, TokenizedDocs } from '../data/bert';
import type { ArmInput, ArmModel, EngineArm, Task } from '../engine';

/** Held-out metrics use this many batches' worth of fixed sequences. */
const EVAL_BATCHES = 4;

export interface BertArm extends ArmModel {
  spec: BertArmSpec;
  params: BertParams;
  /** Dynamic masking's stream; every arm's starts from the same seed. */
  maskRng: Rng;
  /** The held-out sequences as this arm sees them: masked, and unmasked for the own-token probe. */
  eval: { masked: BertBatch; own: BertBatch };
}

/** A row with the key of the text it came from (static masking seeds its mask with it). */
type KeyedRow = BertRow & { key: number[] };

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

export class BertTask implements Task<BertRunSpec, BertArm, NspExample[]> {
  readonly name = 'bert' as const;
  readonly divergence = 'stop' as const;
  readonly referenceArm = 0;
  readonly evalMetrics = ['total', 'mlm', 'mlmAcc', 'ownAcc', 'ownNll'] as const;
  readonly cfg: BertConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  private readonly pairRng: Rng;
  /** The training documents pairs are drawn from: all, or the run's first trainDocuments. */
  private readonly trainDocs: TokenizedDocs;
  private readonly protectedIds: ReadonlySet<number>;
  /** The held-out pairs, drawn once, the same for every arm. */
  private readonly evalPairs: NspExample[];

  constructor(
    readonly run: BertRunSpec,
    readonly data: BertData,
  ) {
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
    this.pairRng = makeRng(seedFor(run.seed, 'data'));
    this.trainDocs = run.trainDocuments === undefined ? data.train : data.train.slice(0, run.trainDocuments);
    if (this.trainDocs.length < 2)
      throw new Error(
        'A BERT run needs at least two training documents (next-sentence pairs draw B from another one).',
      );
    const evalRng = makeRng(seedFor(run.seed, 'eval'));
    this.evalPairs = Array.from({ length: EVAL_BATCHES * run.batchSize }, () => this.drawPair(data.heldOut, evalRng));
  }

  drawPair(docs: TokenizedDocs, rng: Rng): NspExample {
    const { cls, sep } = this.data.ids;
    return buildNspPair(docs, { clsId: cls, sepId: sep, maxLength: this.cfg.maxLength, rng });
  }

  /** The sequence an arm trains on for a drawn pair: the pair itself (BERT) or contiguous text from A on (RoBERTa). */
  rowFor(spec: BertArmSpec, docs: TokenizedDocs, pair: NspExample): KeyedRow {
    const label = pair.label === 'IsNext' ? 1 : 0;
    if (spec.nsp) {
      return {
        ids: pair.ids,
        segments: pair.segments,
        label,
        key: [pair.docIndex, pair.sentenceIndex, pair.bDocIndex, pair.bSentenceIndex],
      };
    }
    const { cls, sep } = this.data.ids;
    const full = buildFullSentences(docs, pair.docIndex, pair.sentenceIndex, {
      clsId: cls,
      sepId: sep,
      maxLength: this.cfg.maxLength,
    });
    return { ...full, label, key: [pair.docIndex, pair.sentenceIndex] };
  }

  /** Rows padded to maxLength and masked by the arm's masking function, each row's draws from rngFor(row). */
  batch(spec: BertArmSpec, rows: BertRow[], rngFor: (r: number) => Rng): BertBatch {
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

  makeArm(spec: BertArmSpec): BertArm {
    const { seed } = this.run;
    // Same seed for every arm: arms differ only in what their spec changes.
    const params = initBertParams(this.cfg, makeRng(seedFor(seed, 'init')));
    const rows = this.evalPairs.map((p) => this.rowFor(spec, this.data.heldOut, p));
    const evalMaskRng = makeRng(seedFor(seed, 'evalNoise'));
    return {
      spec,
      params,
      maskRng: makeRng(seedFor(seed, 'noise')),
      eval: {
        masked: this.batch(spec, rows, () => evalMaskRng),
        own: ownTokenBatch(rows, this.cfg.maxLength, this.data.ids.pad, this.protectedIds),
      },
    };
  }

  disposeArm(arm: BertArm): void {
    disposeBertParams(arm.params);
  }

  /** The step's sentence pairs (host side: each arm builds and masks its own rows from them). */
  drawBatch(): NspExample[] {
    return Array.from({ length: this.run.batchSize }, () => this.drawPair(this.trainDocs, this.pairRng));
  }

  disposeBatch(): void {}

  /** Static masking: the mask is a function of the sequence, so a sequence seen twice is masked the same way. */
  private maskRngFor(arm: BertArm, rows: KeyedRow[]): (r: number) => Rng {
    if (arm.spec.dynamicMasking) return () => arm.maskRng;
    return (r) => makeRng(seedFor(this.run.seed, 'staticMask', ...rows[r].key));
  }

  armInput(arm: EngineArm<BertArm>, pairs: NspExample[]): ArmInput {
    const { spec } = arm.model;
    const rows = pairs.map((p) => this.rowFor(spec, this.trainDocs, p));
    const b = this.batch(spec, rows, this.maskRngFor(arm.model, rows));
    return {
      objective: (p) => {
        // The engine passes the arm's own weights (BERT arms have no FP16 view): same names, same tensors.
        const l = bertLosses(p as BertParams, this.cfg, toInputs(b), toTargets(b));
        const parts: Record<string, tf.Scalar> = { mlm: l.mlm };
        if (l.nsp) parts.nsp = l.nsp;
        return { total: l.total, parts };
      },
      // Real (unpadded) tokens.
      tokens: b.lengths.reduce((s, n) => s + n, 0),
    };
  }

  /** Arm 0's real tokens (the trainer's count, as before arms had their own). */
  stepTokens(_pairs: NspExample[], armTokens: readonly (number | null)[]): number {
    return armTokens[0] ?? 0;
  }

  /**
   * MLM loss and accuracy on the selected positions, NSP loss and accuracy
   * (BERT-style arms), and the own-token accuracy and NLL on input with no
   * [MASK] at all (the distribution-shift probe).
   */
  async evaluate(arm: EngineArm<BertArm>): Promise<ArmMetrics> {
    const { params, eval: ev } = arm.model;
    const t = tf.tidy(() => {
      const l = bertLosses(params, this.cfg, toInputs(ev.masked), toTargets(ev.masked));
      const own = ev.own;
      const ownLogits = mlmLogits(params, bertHidden(params, this.cfg, toInputs(own)), own.maskedRows);
      const named: Record<string, tf.Scalar> = {
        total: l.total,
        mlm: l.mlm,
        mlmAcc: accuracy(l.mlmLogits, ev.masked.maskedTargets),
        ownAcc: accuracy(ownLogits, own.maskedTargets),
        // Mean -log p of the word actually there: moves before the argmax does.
        ownNll: crossEntropy(ownLogits, tf.tensor1d(own.maskedTargets, 'int32'), 'mean'),
      };
      if (l.nsp && l.nspLogits && ev.masked.nspLabels) {
        named.nsp = l.nsp;
        named.nspAcc = accuracy(l.nspLogits, ev.masked.nspLabels);
      }
      return named;
    });
    const entries = await Promise.all(Object.entries(t).map(async ([k, v]) => [k, (await v.data())[0]] as const));
    tf.dispose(Object.values(t));
    return Object.fromEntries(entries);
  }

  dispose(): void {}
}
