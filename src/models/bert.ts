// A tiny BERT as pure functions over named tf.Variables.
//
//   x_0    = E[ids] + P[0..T) + S[segments]       token, position and segment (e_A / e_B) embeddings
//   x_L    = the pre-norm blocks of transformer.ts, every token attending to every
//            real (non-padding) token: bidirectional, no causal mask
//   phi(x) = LN_f(x_L)
//   MLM:  p(x_i | x~) = softmax(E phi(x~)_i + b)     at the selected positions, E tied to the input
//   NSP:  p(c | x)    = softmax(W phi(x)_1 + c)      on the [CLS] position
//
// Our tiny BERT uses the same pre-norm blocks as the GPT (BERT's own are
// post-norm), so the two pages differ only in the objective.
//
// Parameter names (d = dModel, V = vocabSize, T = maxLength, S = segmentTypes):
//   wte [V, d]  wpe [T, d]  wse [S, d]  h{i}.* (transformer.ts)  lnf.g [d]  lnf.b [d]
//   mlm.b [V]   nsp.w [d, 2]  nsp.b [2]
import * as tf from '@tensorflow/tfjs-core';
import { GPT2_INIT, type InitScheme } from './init';
import { crossEntropy, embed, layerNorm, linear, selectRows, tiedLogits } from './layers';
import {
  blockParamInfo,
  checkPositive,
  checkStack,
  initParams,
  MASKED,
  param,
  sizeOf,
  transformerStack,
  type ParamInfo,
  type Params,
} from './transformer';

export interface BertConfig {
  vocabSize: number;
  /** Longest input, [CLS] and [SEP]s included. */
  maxLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** 2 for BERT (e_A, e_B); RoBERTa keeps one. */
  segmentTypes: number;
}

export type BertParams = Params;

export function bertParamInfo(cfg: BertConfig): ParamInfo[] {
  checkPositive('BertConfig', { vocabSize: cfg.vocabSize, maxLength: cfg.maxLength, segmentTypes: cfg.segmentTypes });
  checkStack('BertConfig', cfg);
  const { vocabSize: V, maxLength: T, dModel: d, segmentTypes: S } = cfg;
  const info: ParamInfo[] = [
    { name: 'wte', shape: [V, d], kind: 'embedding', residual: false },
    { name: 'wpe', shape: [T, d], kind: 'embedding', residual: false },
    { name: 'wse', shape: [S, d], kind: 'embedding', residual: false },
  ];
  blockParamInfo(cfg, info);
  info.push(
    { name: 'lnf.g', shape: [d], kind: 'gain', residual: false },
    { name: 'lnf.b', shape: [d], kind: 'bias', residual: false },
    { name: 'mlm.b', shape: [V], kind: 'bias', residual: false },
    { name: 'nsp.w', shape: [d, 2], kind: 'weight', residual: false },
    { name: 'nsp.b', shape: [2], kind: 'bias', residual: false },
  );
  return info;
}

export function countBertParams(cfg: BertConfig): number {
  return sizeOf(bertParamInfo(cfg));
}

export function initBertParams(cfg: BertConfig, rng: () => number, init: InitScheme = GPT2_INIT): BertParams {
  return initParams(bertParamInfo(cfg), cfg, rng, init);
}

export function disposeBertParams(p: BertParams): void {
  for (const v of Object.values(p)) v.dispose();
}

/** One padded batch, as flat host arrays (row-major [B, T]). */
export interface BertInputs {
  B: number;
  T: number;
  ids: Int32Array;
  segments: Int32Array;
  /** Real tokens per row; positions >= length are padding no query may attend to. */
  lengths: Int32Array;
}

/** [B, 1, 1, T] additive mask: -1e9 on padding keys, broadcast over heads and queries. */
function paddingMask(x: BertInputs): tf.Tensor4D {
  const values = new Float32Array(x.B * x.T);
  for (let b = 0; b < x.B; b++) for (let t = x.lengths[b]; t < x.T; t++) values[b * x.T + t] = MASKED;
  return tf.tensor4d(values, [x.B, 1, 1, x.T]);
}

/** phi(x), flat: [B*T, d]. Call inside tf.tidy. */
export function bertHidden(p: BertParams, cfg: BertConfig, x: BertInputs): tf.Tensor2D {
  const { B, T } = x;
  const d = cfg.dModel;
  if (T > cfg.maxLength) throw new RangeError(`sequence length ${T} exceeds maxLength ${cfg.maxLength}`);
  const wpe = param<tf.Rank.R2>(p, 'wpe');
  const pos = T === cfg.maxLength ? wpe : tf.slice(wpe, [0, 0], [T, d]); // [T, d]
  const ids = tf.tensor2d(x.ids, [B, T], 'int32');
  const tokens = embed(param(p, 'wte'), pos, ids); // [B*T, d]
  // Segment embeddings: row segments[b, t] of S for every position, [B*T, d].
  const seg = selectRows(param<tf.Rank.R2>(p, 'wse'), tf.tensor1d(x.segments, 'int32'));
  const h0 = tf.add(tokens, seg) as tf.Tensor2D;
  const hL = transformerStack(p, cfg, h0, B, T, paddingMask(x));
  return layerNorm(hL, param(p, 'lnf.g'), param(p, 'lnf.b'));
}

/** Vocabulary logits E phi_i + b for the flat rows `rowIdx`: [M, V]. */
export function mlmLogits(p: BertParams, hidden: tf.Tensor2D, rowIdx: Int32Array): tf.Tensor2D {
  const picked = selectRows(hidden, tf.tensor1d(rowIdx, 'int32')); // [M, d]
  return tf.add(tiedLogits(picked, param(p, 'wte')), param(p, 'mlm.b')) as tf.Tensor2D;
}

/** IsNext / NotNext logits from each row's [CLS] (position 0): [B, 2], column 1 = IsNext. */
export function nspLogits(p: BertParams, hidden: tf.Tensor2D, B: number, T: number): tf.Tensor2D {
  const cls = selectRows(
    hidden,
    tf.tensor1d(
      Int32Array.from({ length: B }, (_, b) => b * T),
      'int32',
    ),
  ); // [B, d]
  return linear(cls, param(p, 'nsp.w'), param(p, 'nsp.b'));
}

/** What the MLM and NSP losses are computed on. */
export interface BertTargets {
  /** Flat row index (b * T + t) of every selected position: [M]. */
  maskedRows: Int32Array;
  /** The original token at each selected position: [M]. */
  maskedTargets: Int32Array;
  /** 1 = IsNext, 0 = NotNext, per row: [B]; null trains no NSP head (RoBERTa). */
  nspLabels: Int32Array | null;
}

export interface BertLosses {
  /** Mean -log p(x_i | x~) over the selected positions (nats). */
  mlm: tf.Scalar;
  /** Mean -log p(c | phi(x)_1) over the rows; null without NSP. */
  nsp: tf.Scalar | null;
  /** mlm + nsp: the objective. */
  total: tf.Scalar;
  mlmLogits: tf.Tensor2D;
  nspLogits: tf.Tensor2D | null;
}

/** BERT's objective for one batch. Call inside tf.tidy (or a gradient function). */
export function bertLosses(p: BertParams, cfg: BertConfig, x: BertInputs, y: BertTargets): BertLosses {
  if (y.maskedRows.length === 0) throw new RangeError('bertLosses: no position was selected for prediction');
  const hidden = bertHidden(p, cfg, x);
  const logits = mlmLogits(p, hidden, y.maskedRows);
  const mlm = crossEntropy(logits, tf.tensor1d(y.maskedTargets, 'int32'), 'mean');
  if (!y.nspLabels) return { mlm, nsp: null, total: mlm, mlmLogits: logits, nspLogits: null };
  const cls = nspLogits(p, hidden, x.B, x.T);
  const nsp = crossEntropy(cls, tf.tensor1d(y.nspLabels, 'int32'), 'mean');
  return { mlm, nsp, total: tf.add(mlm, nsp), mlmLogits: logits, nspLogits: cls };
}
