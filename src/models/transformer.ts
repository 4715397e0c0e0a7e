// The pieces every model here shares: named parameters, their seeded
// initialisation, and the stack of pre-norm Transformer blocks. What differs
// between a GPT and a BERT is only the attention mask (causal versus padding)
// and what sits before and after the stack. The encoder-decoder (encdec.ts)
// runs this stack as its encoder and builds its decoder blocks from the same
// pieces (selfAttention, mlp; attention.ts's attendHeads) plus a cross-attention.
//
// Block parameter names (d = dModel; an encoder-decoder prefixes them with
// 'enc.' / 'dec.', GPT and BERT use no prefix):
//   h{i}.ln1.g [d]  h{i}.ln1.b [d]
//   h{i}.attn.wqkv [d, 3d]  h{i}.attn.bqkv [3d]   columns [q | k | v], head j at j*dh..(j+1)*dh
//   h{i}.attn.wo [d, d]     h{i}.attn.bo [d]
//   h{i}.ln2.g [d]  h{i}.ln2.b [d]
//   h{i}.mlp.w1 [d, 4d]  h{i}.mlp.b1 [4d]  h{i}.mlp.w2 [4d, d]  h{i}.mlp.b2 [d]
// Matrices are [in, out] (y = x W + b), as in GPT-2's Conv1D. The residual
// stream is kept flat as [B*T, d] so every projection is one 2-D matMul;
// attention (attention.ts) finds its heads inside the flat projections.
import * as tf from '@tensorflow/tfjs-core';
import { GPT2_INIT, normalArray, type InitScheme } from './init';
import { attendHeads } from './attention';
import { geluTanh, layerNorm, linear } from './layers';

/** Named trainable tensors. */
export type Params = Record<string, tf.Variable>;

export type ParamKind = 'embedding' | 'weight' | 'bias' | 'gain';

export interface ParamInfo {
  name: string;
  shape: number[];
  kind: ParamKind;
  /** Writes into the residual stream (GPT-2 scales its init by 1/sqrt(2 nLayers)). */
  residual: boolean;
}

export interface StackConfig {
  dModel: number;
  nLayers: number;
  nHeads: number;
  /**
   * T5's attention: logits q.k without the 1/sqrt(d_head) factor, which the
   * initialisation folds into the query projection instead (InitScheme
   * foldAttentionScale). Default false: softmax(q k^T / sqrt(d_head)).
   */
  foldedAttentionScale?: boolean;
}

export function checkPositive(what: string, values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what}.${k} must be a positive integer, got ${v}`);
  }
}

export function checkStack(what: string, cfg: StackConfig): void {
  checkPositive(what, { dModel: cfg.dModel, nLayers: cfg.nLayers, nHeads: cfg.nHeads });
  if (cfg.dModel % cfg.nHeads !== 0) {
    throw new RangeError(`dModel (${cfg.dModel}) must be divisible by nHeads (${cfg.nHeads})`);
  }
}

/** Appends the blocks' parameters in init order, named `${prefix}h{i}.*`. */
export function blockParamInfo(cfg: StackConfig, info: ParamInfo[], prefix = ''): void {
  const d = cfg.dModel;
  const add = (name: string, shape: number[], kind: ParamKind, residual = false) =>
    info.push({ name, shape, kind, residual });
  for (let i = 0; i < cfg.nLayers; i++) {
    const h = `${prefix}h${i}`;
    add(`${h}.ln1.g`, [d], 'gain');
    add(`${h}.ln1.b`, [d], 'bias');
    add(`${h}.attn.wqkv`, [d, 3 * d], 'weight');
    add(`${h}.attn.bqkv`, [3 * d], 'bias');
    add(`${h}.attn.wo`, [d, d], 'weight', true);
    add(`${h}.attn.bo`, [d], 'bias');
    add(`${h}.ln2.g`, [d], 'gain');
    add(`${h}.ln2.b`, [d], 'bias');
    add(`${h}.mlp.w1`, [d, 4 * d], 'weight');
    add(`${h}.mlp.b1`, [4 * d], 'bias');
    add(`${h}.mlp.w2`, [4 * d, d], 'weight', true);
    add(`${h}.mlp.b2`, [d], 'bias');
  }
}

export function sizeOf(info: readonly ParamInfo[]): number {
  return info.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Fresh parameters. Matrices and embeddings are drawn from `rng` in `info`
 * order (default GPT-2: N(0, 0.02^2), residual projections times
 * 1/sqrt(2 nLayers)); biases are 0 and layer-norm gains 1.
 */
export function initParams(
  info: readonly ParamInfo[],
  cfg: StackConfig,
  rng: () => number,
  init: InitScheme = GPT2_INIT,
): Params {
  const params: Params = {};
  for (const p of info) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (p.kind === 'bias') values = new Float32Array(size);
    else if (p.kind === 'gain') values = new Float32Array(size).fill(1);
    else {
      const fanIn = p.kind === 'embedding' ? cfg.dModel : p.shape[0];
      let std = init.weights === 'xavier' ? 1 / Math.sqrt(fanIn) : init.std;
      if (init.residualScaling && p.residual) std /= Math.sqrt(2 * cfg.nLayers);
      values = normalArray(size, std, rng);
      if (init.foldAttentionScale && p.name.endsWith('attn.wqkv')) scaleQueryColumns(values, p.shape, cfg);
    }
    const t = tf.tensor(values, p.shape, 'float32');
    params[p.name] = tf.variable(t, true);
    t.dispose();
  }
  return params;
}

/**
 * T5's folded attention scale: the query block (the first d of the 3d
 * columns of a row-major [d, 3d] wqkv) times 1/sqrt(d_head), so q.k at
 * initialisation has the spread q.k / sqrt(d_head) would have.
 */
function scaleQueryColumns(values: Float32Array, shape: number[], cfg: StackConfig): void {
  const [rows, cols] = shape;
  const d = cols / 3;
  const factor = 1 / Math.sqrt(d / cfg.nHeads);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) values[r * cols + c] *= factor;
}

export function param<R extends tf.Rank>(p: Params, name: string): tf.Tensor<R> {
  const v = p[name];
  if (!v) throw new Error(`model parameter '${name}' is missing`);
  return v as unknown as tf.Tensor<R>;
}

/** The factor on q.k in the softmax: 1/sqrt(dh), or 1 when T5's initialisation folded it into the queries. */
export function attentionScale(dh: number, folded = false): number {
  return folded ? 1 : 1 / Math.sqrt(dh);
}

/**
 * Multi-head self-attention of block `h` (e.g. 'h0', 'enc.h1') on a flat
 * stream. x: [B*T, d] -> [B*T, d]; `mask` is added to the scores and
 * broadcasts to [B, H, T, T]: 0 where a query may look at a key and -1e9
 * where not (causal: [T, T]; padding: [B, 1, 1, T]). `folded` (T5) drops the
 * 1/sqrt(dh) from the scores.
 */
export function selfAttention(
  p: Params,
  h: string,
  x: tf.Tensor2D,
  B: number,
  T: number,
  H: number,
  mask: tf.Tensor,
  folded = false,
): tf.Tensor2D {
  const qkv = linear(x, param(p, `${h}.attn.wqkv`), param(p, `${h}.attn.bqkv`)); // [B*T, 3d]
  const d = qkv.shape[1] / 3;
  const dh = d / H;
  // Heads read in place from the q, k and v column blocks of qkv.
  const att = attendHeads(
    { x: qkv, offset: 0 },
    { x: qkv, offset: d },
    { x: qkv, offset: 2 * d },
    { B, H, Tq: T, Tk: T, dh },
    mask,
    attentionScale(dh, folded),
  );
  return linear(att, param(p, `${h}.attn.wo`), param(p, `${h}.attn.bo`)); // [B*T, d]
}

/** The MLP of block `h`: d -> 4d -> GELU (tanh) -> d. u: [N, d] -> [N, d]. */
export function mlp(p: Params, h: string, u: tf.Tensor2D): tf.Tensor2D {
  const a = geluTanh(linear(u, param(p, `${h}.mlp.w1`), param(p, `${h}.mlp.b1`))); // [N, 4d]
  return linear(a, param(p, `${h}.mlp.w2`), param(p, `${h}.mlp.b2`));
}

/**
 * The blocks: x_l+½ = x_l + Attn(LN(x_l)), x_l+1 = x_l+½ + MLP(LN(x_l+½)),
 * MLP d -> 4d -> GELU (tanh) -> d. x: [B*T, d] -> [B*T, d], before the final LN.
 * Reads the parameters `${prefix}h{i}.*`.
 */
export function transformerStack(
  p: Params,
  cfg: StackConfig,
  x: tf.Tensor2D,
  B: number,
  T: number,
  mask: tf.Tensor,
  prefix = '',
): tf.Tensor2D {
  for (let i = 0; i < cfg.nLayers; i++) {
    const h = `${prefix}h${i}`;
    const attn = selfAttention(
      p,
      h,
      layerNorm(x, param(p, `${h}.ln1.g`), param(p, `${h}.ln1.b`)),
      B,
      T,
      cfg.nHeads,
      mask,
      cfg.foldedAttentionScale,
    );
    x = tf.add(x, attn);
    x = tf.add(x, mlp(p, h, layerNorm(x, param(p, `${h}.ln2.g`), param(p, `${h}.ln2.b`))));
  }
  return x;
}

/** -1e9 rather than -Infinity: exp underflows to exactly 0 either way, and a finite value cannot make NaNs. */
export const MASKED = -1e9;
