// A tiny encoder-decoder Transformer (the shape of T5 and BART) as pure
// functions over named tf.Variables.
//
//   encoder:  x_0  = E[src] + P_enc[0..S)            token + learned source positions
//             x_L  = the pre-norm blocks of transformer.ts, every token attending to
//                    every real (non-padding) source token: bidirectional, as BERT
//             mem  = LN_enc(x_L)                      [B*S, d], what the decoder reads
//   decoder:  y_0  = E[dec_in] + P_dec[0..T)          dec_in = BOS + target shifted right
//             y   += SelfAttn(LN1(y))                causal: position t sees dec_in[0..t]
//             y   += CrossAttn(LN3(y), mem)          queries from y, keys and values from
//                                                    mem, source padding masked
//             y   += MLP(LN2(y))                     d -> 4d -> GELU (tanh) -> d
//             phi  = LN_dec(y)
//   p(target_t | target_<t, src) = softmax(E phi_t)   the same E a third time: tied logits
//
// One embedding E serves the encoder input, the decoder input and the output,
// as in T5 and BART (they share one vocabulary). Unlike T5 there is no
// d^-1/2 on the tied logits and no relative position bias, and unlike BART no
// final logits bias and post-norm blocks: the blocks are the GPT's pre-norm
// ones, so the BART/T5 page differs from the GPT and BERT pages only in the
// architecture around them and the objective. Target padding needs no mask:
// it sits after every real target position, which the causal mask already
// hides it from, and it carries no loss (only targetRows are scored).
//
// Parameter names (d = dModel, V = vocabSize, S = maxSource, T = maxTarget):
//   wte [V, d]  enc.wpe [S, d]  dec.wpe [T, d]
//   enc.h{i}.*  the shared block (transformer.ts)            enc.lnf.g [d]  enc.lnf.b [d]
//   dec.h{i}.ln1.*, dec.h{i}.attn.*  causal self-attention, as the shared block
//   dec.h{i}.ln3.g [d]  dec.h{i}.ln3.b [d]
//   dec.h{i}.xattn.wq [d, d]  xattn.bq [d]                    queries, from the decoder
//   dec.h{i}.xattn.wkv [d, 2d]  xattn.bkv [2d]                columns [k | v], from mem
//   dec.h{i}.xattn.wo [d, d]  xattn.bo [d]
//   dec.h{i}.ln2.*, dec.h{i}.mlp.*   as the shared block      dec.lnf.g [d]  dec.lnf.b [d]
// In every attention head j takes columns j*dh..(j+1)*dh of its q, k or v block.
import * as tf from '@tensorflow/tfjs-core';
import { GPT2_INIT, type InitScheme } from './init';
import { crossEntropy, embed, layerNorm, linear, selectRows, tiedLogits } from './layers';
import {
  attentionScale,
  blockParamInfo,
  checkPositive,
  checkStack,
  initParams,
  MASKED,
  mlp,
  param,
  selfAttention,
  sizeOf,
  transformerStack,
  type ParamInfo,
  type Params,
} from './transformer';
import { attendHeads } from './attention';

export interface EncDecConfig {
  vocabSize: number;
  /** Longest encoder input. */
  maxSource: number;
  /** Longest decoder input (BOS + target without its last token), so also the longest target. */
  maxTarget: number;
  dModel: number;
  /** Blocks in the encoder, and again in the decoder. */
  nLayers: number;
  nHeads: number;
}

export type EncDecParams = Params;

/** Every parameter in a fixed order: the order the init draws random numbers in. */
export function encDecParamInfo(cfg: EncDecConfig): ParamInfo[] {
  checkPositive('EncDecConfig', { vocabSize: cfg.vocabSize, maxSource: cfg.maxSource, maxTarget: cfg.maxTarget });
  checkStack('EncDecConfig', cfg);
  const { vocabSize: V, maxSource: S, maxTarget: T, dModel: d } = cfg;
  const info: ParamInfo[] = [
    { name: 'wte', shape: [V, d], kind: 'embedding', residual: false },
    { name: 'enc.wpe', shape: [S, d], kind: 'embedding', residual: false },
    { name: 'dec.wpe', shape: [T, d], kind: 'embedding', residual: false },
  ];
  blockParamInfo(cfg, info, 'enc.');
  info.push(
    { name: 'enc.lnf.g', shape: [d], kind: 'gain', residual: false },
    { name: 'enc.lnf.b', shape: [d], kind: 'bias', residual: false },
  );
  decoderBlockParamInfo(cfg, info);
  info.push(
    { name: 'dec.lnf.g', shape: [d], kind: 'gain', residual: false },
    { name: 'dec.lnf.b', shape: [d], kind: 'bias', residual: false },
  );
  return info;
}

/**
 * The decoder blocks: the shared block's parameters under 'dec.h{i}.', with
 * the cross-attention's (ln3, xattn.*) between self-attention and MLP, in
 * the order the block uses them.
 */
function decoderBlockParamInfo(cfg: EncDecConfig, info: ParamInfo[]): void {
  const d = cfg.dModel;
  const shared: ParamInfo[] = [];
  blockParamInfo(cfg, shared, 'dec.');
  const perBlock = shared.length / cfg.nLayers;
  for (let i = 0; i < cfg.nLayers; i++) {
    const h = `dec.h${i}`;
    const block = shared.slice(i * perBlock, (i + 1) * perBlock);
    const mlpStart = block.findIndex((p) => p.name === `${h}.ln2.g`); // ln1 + attn.* come before
    const cross: ParamInfo[] = [
      { name: `${h}.ln3.g`, shape: [d], kind: 'gain', residual: false },
      { name: `${h}.ln3.b`, shape: [d], kind: 'bias', residual: false },
      { name: `${h}.xattn.wq`, shape: [d, d], kind: 'weight', residual: false },
      { name: `${h}.xattn.bq`, shape: [d], kind: 'bias', residual: false },
      { name: `${h}.xattn.wkv`, shape: [d, 2 * d], kind: 'weight', residual: false },
      { name: `${h}.xattn.bkv`, shape: [2 * d], kind: 'bias', residual: false },
      // Writes into the residual stream: GPT-2's 1/sqrt(2 nLayers) like attn.wo and mlp.w2.
      { name: `${h}.xattn.wo`, shape: [d, d], kind: 'weight', residual: true },
      { name: `${h}.xattn.bo`, shape: [d], kind: 'bias', residual: false },
    ];
    info.push(...block.slice(0, mlpStart), ...cross, ...block.slice(mlpStart));
  }
}

/** V d + (S + T) d + L (12 d^2 + 13 d) encoder + L (16 d^2 + 19 d) decoder + 4 d. */
export function countEncDecParams(cfg: EncDecConfig): number {
  return sizeOf(encDecParamInfo(cfg));
}

/**
 * Fresh parameters. Matrices and embeddings are drawn from `rng` in
 * encDecParamInfo order (default GPT-2: N(0, 0.02^2); attn.wo, xattn.wo and
 * mlp.w2 times 1/sqrt(2 nLayers), nLayers per stack); biases are 0 and
 * layer-norm gains 1.
 */
export function initEncDecParams(cfg: EncDecConfig, rng: () => number, init: InitScheme = GPT2_INIT): EncDecParams {
  return initParams(encDecParamInfo(cfg), cfg, rng, init);
}

export function disposeEncDecParams(p: EncDecParams): void {
  for (const v of Object.values(p)) v.dispose();
}

/** The encoder's side of a batch, as flat host arrays (row-major [B, S]). */
export interface EncDecSource {
  B: number;
  S: number;
  /** [B*S]; positions >= the row's length are padding. */
  sourceIds: Int32Array;
  /** Real source tokens per row, 1..S: [B]. */
  sourceLengths: Int32Array;
}

/** One padded batch with what the loss is computed on. */
export interface EncDecBatch extends EncDecSource {
  T: number;
  /** BOS + target shifted right, padded: [B*T] (the caller builds it). */
  decoderInput: Int32Array;
  /** Flat row index (b * T + t) of every real target position: [M]. */
  targetRows: Int32Array;
  /** The target token at each of those rows: [M]. */
  targetIds: Int32Array;
}

/** [B, 1, 1, S] additive mask: -1e9 on the source's padding keys, for every head and query. */
function sourcePaddingMask(sourceLengths: Int32Array, S: number): tf.Tensor4D {
  const B = sourceLengths.length;
  const values = new Float32Array(B * S);
  for (let b = 0; b < B; b++) {
    const n = sourceLengths[b];
    if (!Number.isInteger(n) || n < 1 || n > S)
      throw new RangeError(`source length ${n} of row ${b} is not in 1..${S}`);
    for (let s = n; s < S; s++) values[b * S + s] = MASKED;
  }
  return tf.tensor4d(values, [B, 1, 1, S]);
}

/** [T, T] additive mask: 0 where key j <= query i, -1e9 above the diagonal. */
function causalMask(T: number): tf.Tensor2D {
  const values = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = MASKED;
  return tf.tensor2d(values, [T, T]);
}

/** Token + the first `n` rows of a position table. ids: flat [B*n] -> [B*n, d]. */
function embedWith(p: EncDecParams, posName: string, ids: Int32Array, B: number, n: number, max: number): tf.Tensor2D {
  if (n > max) throw new RangeError(`${posName}: sequence length ${n} exceeds ${max}`);
  if (ids.length !== B * n) throw new RangeError(`${posName}: expected ${B}x${n} ids, got ${ids.length}`);
  const wpe = param<tf.Rank.R2>(p, posName);
  const pos = n === max ? wpe : tf.slice(wpe, [0, 0], [n, wpe.shape[1]]); // [n, d]
  return embed(param(p, 'wte'), pos, tf.tensor2d(ids, [B, n], 'int32'));
}

/** mem = LN_enc(encoder blocks(E[src] + P_enc)), flat: [B*S, d]. Call inside tf.tidy. */
export function encode(p: EncDecParams, cfg: EncDecConfig, src: EncDecSource): tf.Tensor2D {
  const { B, S } = src;
  if (src.sourceLengths.length !== B)
    throw new RangeError(`expected ${B} source lengths, got ${src.sourceLengths.length}`);
  const x0 = embedWith(p, 'enc.wpe', src.sourceIds, B, S, cfg.maxSource); // [B*S, d]
  const xL = transformerStack(p, cfg, x0, B, S, sourcePaddingMask(src.sourceLengths, S), 'enc.');
  return layerNorm(xL, param(p, 'enc.lnf.g'), param(p, 'enc.lnf.b'));
}

/**
 * Cross-attention of decoder block `h`: queries from the decoder stream,
 * keys and values from the encoder output. y: [B*T, d], mem: [B*S, d],
 * mask broadcasting to [B, H, T, S] -> [B*T, d].
 */
function crossAttention(
  p: EncDecParams,
  h: string,
  y: tf.Tensor2D,
  mem: tf.Tensor2D,
  B: number,
  H: number,
  mask: tf.Tensor,
): tf.Tensor2D {
  const T = y.shape[0] / B;
  const S = mem.shape[0] / B;
  const q = linear(y, param(p, `${h}.xattn.wq`), param(p, `${h}.xattn.bq`)); // [B*T, d]
  const kv = linear(mem, param(p, `${h}.xattn.wkv`), param(p, `${h}.xattn.bkv`)); // [B*S, 2d]: [k | v]
  const d = q.shape[1];
  const dh = d / H;
  const att = attendHeads(
    { x: q, offset: 0 },
    { x: kv, offset: 0 },
    { x: kv, offset: d },
    { B, H, Tq: T, Tk: S, dh },
    mask,
    attentionScale(dh),
  );
  return linear(att, param(p, `${h}.xattn.wo`), param(p, `${h}.xattn.bo`)); // [B*T, d]
}

/**
 * phi = LN_dec(decoder blocks(E[dec_in] + P_dec)), flat: [B*T, d]. memory:
 * encode()'s [B*S, d]; sourceLengths: [B]; decoderInput: flat [B*T] with
 * B = sourceLengths.length. Call inside tf.tidy.
 */
export function decodeHidden(
  p: EncDecParams,
  cfg: EncDecConfig,
  memory: tf.Tensor2D,
  sourceLengths: Int32Array,
  decoderInput: Int32Array,
): tf.Tensor2D {
  const B = sourceLengths.length;
  const T = decoderInput.length / B;
  const S = memory.shape[0] / B;
  if (!Number.isInteger(T) || T < 1)
    throw new RangeError(`${decoderInput.length} decoder ids do not split into ${B} rows`);
  if (!Number.isInteger(S)) throw new RangeError(`memory's ${memory.shape[0]} rows do not split into ${B} sources`);
  const H = cfg.nHeads;
  const selfMask = causalMask(T); // [T, T]
  const crossMask = sourcePaddingMask(sourceLengths, S); // [B, 1, 1, S]
  let y = embedWith(p, 'dec.wpe', decoderInput, B, T, cfg.maxTarget); // [B*T, d]
  for (let i = 0; i < cfg.nLayers; i++) {
    const h = `dec.h${i}`;
    y = tf.add(y, selfAttention(p, h, layerNorm(y, param(p, `${h}.ln1.g`), param(p, `${h}.ln1.b`)), B, T, H, selfMask));
    y = tf.add(
      y,
      crossAttention(p, h, layerNorm(y, param(p, `${h}.ln3.g`), param(p, `${h}.ln3.b`)), memory, B, H, crossMask),
    );
    y = tf.add(y, mlp(p, h, layerNorm(y, param(p, `${h}.ln2.g`), param(p, `${h}.ln2.b`))));
  }
  return layerNorm(y, param(p, 'dec.lnf.g'), param(p, 'dec.lnf.b'));
}

export interface EncDecLoss {
  /** Mean -log p(target | earlier targets, source) over the target rows (nats). */
  loss: tf.Scalar;
  /** Tied logits at the target rows: [M, V]. */
  logits: tf.Tensor2D;
}

/** The sequence-to-sequence objective for one batch. Call inside tf.tidy (or a gradient function). */
export function encDecLoss(p: EncDecParams, cfg: EncDecConfig, batch: EncDecBatch): EncDecLoss {
  const { targetRows, targetIds } = batch;
  if (targetRows.length === 0) throw new RangeError('encDecLoss: no target position to score');
  if (targetIds.length !== targetRows.length) {
    throw new RangeError(`encDecLoss: ${targetRows.length} target rows but ${targetIds.length} target ids`);
  }
  const N = batch.B * batch.T;
  for (const r of targetRows)
    if (!(r >= 0 && r < N)) throw new RangeError(`encDecLoss: target row ${r} is not in 0..${N - 1}`);
  if (batch.decoderInput.length !== N)
    throw new RangeError(`expected ${batch.B}x${batch.T} decoder ids, got ${batch.decoderInput.length}`);
  const memory = encode(p, cfg, batch);
  const hidden = decodeHidden(p, cfg, memory, batch.sourceLengths, batch.decoderInput); // [B*T, d]
  const picked = selectRows(hidden, tf.tensor1d(targetRows, 'int32')); // [M, d]
  const logits = tiedLogits(picked, param(p, 'wte')); // [M, V]
  return { loss: crossEntropy(logits, tf.tensor1d(targetIds, 'int32'), 'mean'), logits };
}

export interface GreedyOptions {
  /** Start token of every decoder input. */
  bosId: number;
  /** Generation stops when this is the most likely next token. */
  eosId: number;
  /** Most tokens to generate (EOS included), at most maxTarget. */
  maxLength: number;
}

/**
 * Greedy decoding of one source: the most likely token, appended, until EOS
 * or maxLength tokens. Encodes once, then runs the whole decoder again per
 * token (no key/value cache: at these lengths that is simpler and cheap).
 * Returns the generated ids without BOS and EOS. Frees every tensor it makes.
 */
export async function greedyDecode(
  p: EncDecParams,
  cfg: EncDecConfig,
  srcIds: number[],
  opts: GreedyOptions,
): Promise<number[]> {
  const { bosId, eosId, maxLength } = opts;
  const S = srcIds.length;
  if (S < 1 || S > cfg.maxSource)
    throw new RangeError(`greedyDecode: source length ${S} is not in 1..${cfg.maxSource}`);
  if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > cfg.maxTarget) {
    throw new RangeError(`greedyDecode: maxLength ${maxLength} is not in 0..${cfg.maxTarget}`);
  }
  const sourceLengths = Int32Array.from([S]);
  const memory = tf.tidy(() => encode(p, cfg, { B: 1, S, sourceIds: Int32Array.from(srcIds), sourceLengths }));
  try {
    const out: number[] = [];
    while (out.length < maxLength) {
      const decoderInput = Int32Array.from([bosId, ...out]); // [1*T], T = out.length + 1
      const next = tf.tidy(() => {
        const hidden = decodeHidden(p, cfg, memory, sourceLengths, decoderInput); // [T, d]
        const last = tf.slice(hidden, [decoderInput.length - 1, 0], [1, cfg.dModel]); // [1, d]
        return tf.argMax(tiedLogits(last, param(p, 'wte')), 1); // [1]
      });
      const id = (await next.data())[0];
      next.dispose();
      if (id === eosId) break;
      out.push(id);
    }
    return out;
  } finally {
    memory.dispose();
  }
}
