// The tiny GPT of the lecture as pure functions over named tf.Variables.
//
//   x_0   = E[ids] + P[0..T)                           token + learned position embeddings
//   x_l+½ = x_l   + Attn(LN(x_l))                      causal multi-head self-attention
//   x_l+1 = x_l+½ + MLP(LN(x_l+½))                     d -> 4d -> GELU (tanh) -> d
//   logits = LN_f(x_L) E^T                             the same E: softmax(E phi(x)_i)
//
// Parameter names (shapes with d = dModel, V = vocabSize, T = contextLength):
//   wte [V, d]   wpe [T, d]
//   h{i}.ln1.g [d]  h{i}.ln1.b [d]
//   h{i}.attn.wqkv [d, 3d]  h{i}.attn.bqkv [3d]   columns [q | k | v], head j at j*dh..(j+1)*dh
//   h{i}.attn.wo [d, d]     h{i}.attn.bo [d]
//   h{i}.ln2.g [d]  h{i}.ln2.b [d]
//   h{i}.mlp.w1 [d, 4d]  h{i}.mlp.b1 [4d]  h{i}.mlp.w2 [4d, d]  h{i}.mlp.b2 [d]
//   lnf.g [d]  lnf.b [d]
// Matrices are [in, out] (y = x W + b), as in GPT-2's Conv1D.
//
// The residual stream is kept flat as [B*T, d] so every projection is one 2-D
// matMul; only attention reshapes to heads.
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, embed, geluTanh, layerNorm, linear, tiedLogits } from './layers';
import { GPT2_INIT, normalArray, type InitScheme } from './init';

export { GPT2_INIT, NORMAL_INIT, XAVIER_INIT, type InitScheme } from './init';

export interface GptConfig {
  vocabSize: number;
  contextLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
}

/** Named trainable tensors; see the name table at the top of this file. */
export type GptParams = Record<string, tf.Variable>;

export type ParamKind = 'embedding' | 'weight' | 'bias' | 'gain';

export interface GptParamInfo {
  name: string;
  shape: number[];
  kind: ParamKind;
  /** Writes into the residual stream (GPT-2 scales its init by 1/sqrt(2 nLayers)). */
  residual: boolean;
}

/** Every parameter in a fixed order: the order the init draws random numbers in. */
export function gptParamInfo(cfg: GptConfig): GptParamInfo[] {
  checkConfig(cfg);
  const { vocabSize: V, contextLength: T, dModel: d, nLayers: L } = cfg;
  const info: GptParamInfo[] = [];
  const add = (name: string, shape: number[], kind: ParamKind, residual = false) =>
    info.push({ name, shape, kind, residual });
  add('wte', [V, d], 'embedding');
  add('wpe', [T, d], 'embedding');
  for (let i = 0; i < L; i++) {
    const h = `h${i}`;
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
  add('lnf.g', [d], 'gain');
  add('lnf.b', [d], 'bias');
  return info;
}

/** V d + T d + L (12 d^2 + 13 d) + 2 d. */
export function countParams(cfg: GptConfig): number {
  return gptParamInfo(cfg).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Fresh parameters. Matrices and embeddings are drawn from `rng` in
 * gptParamInfo order (default GPT-2: N(0, 0.02^2), attn.wo and mlp.w2 times
 * 1/sqrt(2 nLayers)); biases are 0 and layer-norm gains 1.
 */
export function initGptParams(cfg: GptConfig, rng: () => number, init: InitScheme = GPT2_INIT): GptParams {
  const params: GptParams = {};
  for (const p of gptParamInfo(cfg)) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (p.kind === 'bias') values = new Float32Array(size);
    else if (p.kind === 'gain') values = new Float32Array(size).fill(1);
    else {
      const fanIn = p.kind === 'embedding' ? cfg.dModel : p.shape[0];
      let std = init.weights === 'xavier' ? 1 / Math.sqrt(fanIn) : init.std;
      if (init.residualScaling && p.residual) std /= Math.sqrt(2 * cfg.nLayers);
      values = normalArray(size, std, rng);
    }
    const t = tf.tensor(values, p.shape, 'float32');
    params[p.name] = tf.variable(t, true);
    t.dispose();
  }
  return params;
}

/** Frees the parameters and the constants cached for them (causal masks). */
export function disposeParams(p: GptParams): void {
  for (const v of Object.values(p)) v.dispose();
  const masks = maskCache.get(p);
  if (masks) for (const m of masks.values()) m.dispose();
  maskCache.delete(p);
}

// Causal masks per parameter set and sequence length, built once outside any
// tidy and freed by disposeParams. A WeakMap, so a forgotten parameter set
// does not pin its masks through this table.
const maskCache = new WeakMap<GptParams, Map<number, tf.Tensor2D>>();

/** [T, T] additive mask: 0 where key j <= query i, -1e9 above the diagonal. */
function causalMask(p: GptParams, T: number): tf.Tensor2D {
  let masks = maskCache.get(p);
  if (!masks) maskCache.set(p, (masks = new Map()));
  let mask = masks.get(T);
  if (!mask) {
    const values = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = -1e9;
    // -1e9 rather than -Infinity: exp underflows to exactly 0 either way, and a
    // finite value cannot make NaNs (e.g. -Inf - -Inf) on any backend.
    mask = tf.keep(tf.tensor2d(values, [T, T]));
    masks.set(T, mask);
  }
  return mask;
}

function checkConfig(cfg: GptConfig) {
  const { vocabSize, contextLength, dModel, nLayers, nHeads } = cfg;
  for (const [k, v] of Object.entries({ vocabSize, contextLength, dModel, nLayers, nHeads })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`GptConfig.${k} must be a positive integer, got ${v}`);
  }
  if (dModel % nHeads !== 0) throw new RangeError(`dModel (${dModel}) must be divisible by nHeads (${nHeads})`);
}

function param<R extends tf.Rank>(p: GptParams, name: string): tf.Tensor<R> {
  const v = p[name];
  if (!v) throw new Error(`GPT parameter '${name}' is missing`);
  return v as unknown as tf.Tensor<R>;
}

/** Causal multi-head self-attention on a flat stream. x: [B*T, d] -> [B*T, d]. */
function attention(p: GptParams, h: string, x: tf.Tensor2D, B: number, T: number, H: number): tf.Tensor2D {
  const d = x.shape[1];
  const dh = d / H;
  const qkv = linear(x, param(p, `${h}.attn.wqkv`), param(p, `${h}.attn.bqkv`)); // [B*T, 3d]
  // [B*T, 3d] -> [B, T, 3H, dh] -> [B, 3H, T, dh]; heads 0..H-1 are q, then k, then v.
  const heads = tf.transpose(tf.reshape(qkv, [B, T, 3 * H, dh]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(heads, 3, 1); // each [B, H, T, dh]
  // Scaling q ([.., T, dh]) is cheaper than scaling the scores ([.., T, T]).
  // These batched products (and the four in their backward pass) are ~40% of
  // a wasm step: its BatchMatMul uses XNNPACK only for batch 1, so batched
  // ones run a plain loop (~3 GFLOP/s here) whatever the transpose flags.
  const scores = tf.add(tf.matMul(tf.mul(q, 1 / Math.sqrt(dh)), k, false, true), causalMask(p, T)); // [B, H, T, T]
  const att = tf.matMul(tf.softmax(scores), v); // [B, H, T, dh]
  const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, d]) as tf.Tensor2D; // [B, T, H, dh] -> [B*T, d]
  return linear(merged, param(p, `${h}.attn.wo`), param(p, `${h}.attn.bo`));
}

/** The final hidden states LN_f(x_L), flat. ids: int32 [B, T] with T <= contextLength -> [B*T, d]. */
export function gptHidden(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D): tf.Tensor2D {
  const [B, T] = ids.shape;
  const { dModel: d, nLayers, nHeads, contextLength } = cfg;
  if (T > contextLength) throw new RangeError(`sequence length ${T} exceeds contextLength ${contextLength}`);
  const wpe = param<tf.Rank.R2>(p, 'wpe');
  const pos = T === contextLength ? wpe : tf.slice(wpe, [0, 0], [T, d]); // [T, d]
  let x = embed(param(p, 'wte'), pos, ids); // [B*T, d]
  for (let i = 0; i < nLayers; i++) {
    const h = `h${i}`;
    x = tf.add(x, attention(p, h, layerNorm(x, param(p, `${h}.ln1.g`), param(p, `${h}.ln1.b`)), B, T, nHeads));
    const u = layerNorm(x, param(p, `${h}.ln2.g`), param(p, `${h}.ln2.b`)); // [B*T, d]
    const a = geluTanh(linear(u, param(p, `${h}.mlp.w1`), param(p, `${h}.mlp.b1`))); // [B*T, 4d]
    x = tf.add(x, linear(a, param(p, `${h}.mlp.w2`), param(p, `${h}.mlp.b2`)));
  }
  return layerNorm(x, param(p, 'lnf.g'), param(p, 'lnf.b'));
}

/** Flat logits h E^T with the tied embedding: [B*T, V]. */
function flatLogits(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D): tf.Tensor2D {
  return tiedLogits(gptHidden(p, cfg, ids), param(p, 'wte'));
}

/** Next-token logits at every position. ids: int32 [B, T] -> [B, T, V]. */
export function gptLogits(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D): tf.Tensor3D {
  const [B, T] = ids.shape;
  return tf.reshape(flatLogits(p, cfg, ids), [B, T, cfg.vocabSize]);
}

/** -log p(targets[b, i] | ids[b, 0..i]) per token. ids, targets: int32 [B, T] -> [B, T]. */
export function gptTokenNll(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D {
  const [B, T] = ids.shape;
  return tf.reshape(crossEntropy(flatLogits(p, cfg, ids), tf.reshape(targets, [B * T]), 'none'), [B, T]);
}

/** Mean next-token NLL over all B*T positions (nats), as a scalar on the device. */
export function gptLoss(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  const [B, T] = ids.shape;
  return crossEntropy(flatLogits(p, cfg, ids), tf.reshape(targets, [B * T]), 'mean');
}
