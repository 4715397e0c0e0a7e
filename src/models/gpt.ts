// The tiny GPT of the lecture as pure functions over named tf.Variables.
//
//   x_0   = E[ids] + P[0..T)                           token + learned position embeddings
//   x_l+½ = x_l   + Attn(LN(x_l))                      causal multi-head self-attention
//   x_l+1 = x_l+½ + MLP(LN(x_l+½))                     d -> 4d -> GELU (tanh) -> d
//   logits = LN_f(x_L) E^T                             the same E: softmax(E phi(x)_i)
//
// Parameter names (shapes with d = dModel, V = vocabSize, T = contextLength):
//   wte [V, d]   wpe [T, d]   h{i}.* (the blocks, see transformer.ts)   lnf.g [d]  lnf.b [d]
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, embed, layerNorm, tiedLogits } from './layers';
import { GPT2_INIT, type InitScheme } from './init';
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

export { GPT2_INIT, NORMAL_INIT, T5_INIT, XAVIER_INIT, type InitScheme } from './init';
export type { ParamKind } from './transformer';

export interface GptConfig {
  vocabSize: number;
  contextLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** T5-style attention without the 1/sqrt(d_head) on the logits; see StackConfig. */
  foldedAttentionScale?: boolean;
}

/** Named trainable tensors; see the name table at the top of this file. */
export type GptParams = Params;
export type GptParamInfo = ParamInfo;

/** Every parameter in a fixed order: the order the init draws random numbers in. */
export function gptParamInfo(cfg: GptConfig): GptParamInfo[] {
  checkConfig(cfg);
  const { vocabSize: V, contextLength: T, dModel: d } = cfg;
  const info: GptParamInfo[] = [
    { name: 'wte', shape: [V, d], kind: 'embedding', residual: false },
    { name: 'wpe', shape: [T, d], kind: 'embedding', residual: false },
  ];
  blockParamInfo(cfg, info);
  info.push({ name: 'lnf.g', shape: [d], kind: 'gain', residual: false });
  info.push({ name: 'lnf.b', shape: [d], kind: 'bias', residual: false });
  return info;
}

/** V d + T d + L (12 d^2 + 13 d) + 2 d. */
export function countParams(cfg: GptConfig): number {
  return sizeOf(gptParamInfo(cfg));
}

/**
 * Fresh parameters. Matrices and embeddings are drawn from `rng` in
 * gptParamInfo order (default GPT-2: N(0, 0.02^2), attn.wo and mlp.w2 times
 * 1/sqrt(2 nLayers)); biases are 0 and layer-norm gains 1.
 */
export function initGptParams(cfg: GptConfig, rng: () => number, init: InitScheme = GPT2_INIT): GptParams {
  return initParams(gptParamInfo(cfg), cfg, rng, init);
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

// Stand-in parameter sets (see paramView) and the set whose constants they use.
const viewOwner = new WeakMap<GptParams, GptParams>();

/**
 * Marks `tensors` (e.g. FP16-rounded copies of `owner`'s weights, made fresh
 * every step) as a view of `owner`: the model then uses `owner`'s cached
 * causal masks instead of building (and keeping) new ones for every view.
 */
export function paramView(owner: GptParams, tensors: Record<string, tf.Tensor>): GptParams {
  const view = tensors as GptParams;
  if (view !== owner) viewOwner.set(view, owner);
  return view;
}

/** [T, T] additive mask: 0 where key j <= query i, -1e9 above the diagonal. */
function causalMask(view: GptParams, T: number): tf.Tensor2D {
  const p = viewOwner.get(view) ?? view;
  let masks = maskCache.get(p);
  if (!masks) maskCache.set(p, (masks = new Map()));
  let mask = masks.get(T);
  if (!mask) {
    const values = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = MASKED;
    mask = tf.keep(tf.tensor2d(values, [T, T]));
    masks.set(T, mask);
  }
  return mask;
}

function checkConfig(cfg: GptConfig) {
  checkPositive('GptConfig', { vocabSize: cfg.vocabSize, contextLength: cfg.contextLength });
  checkStack('GptConfig', cfg);
}

/** The final hidden states LN_f(x_L), flat. ids: int32 [B, T] with T <= contextLength -> [B*T, d]. */
export function gptHidden(p: GptParams, cfg: GptConfig, ids: tf.Tensor2D): tf.Tensor2D {
  const [B, T] = ids.shape;
  const { dModel: d, contextLength } = cfg;
  if (T > contextLength) throw new RangeError(`sequence length ${T} exceeds contextLength ${contextLength}`);
  const wpe = param<tf.Rank.R2>(p, 'wpe');
  const pos = T === contextLength ? wpe : tf.slice(wpe, [0, 0], [T, d]); // [T, d]
  const x = transformerStack(p, cfg, embed(param(p, 'wte'), pos, ids), B, T, causalMask(p, T)); // [B*T, d]
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
