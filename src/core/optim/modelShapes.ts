/**
 * Parameter tensors of the lecture's models, as shapes: enough to count
 * parameters and to price AdaFactor's state (n + m numbers for an [n, m]
 * matrix). Repeated tensors (one per layer) are listed once with a count.
 */

export interface ParameterTensor {
  name: string;
  /** [n] for a vector (bias, norm gain), [n, m] for a matrix. */
  shape: readonly [number] | readonly [number, number];
  /** How many tensors of this shape the model has (e.g. one per layer). */
  count: number;
}

function checkPositiveInts(what: string, values: Record<string, number>): void {
  for (const [key, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what}: ${key} must be a whole number >= 1, got ${v}`);
  }
}

export function tensorSize(t: ParameterTensor): number {
  return t.shape.length === 2 ? t.shape[0] * t.shape[1] : t.shape[0];
}

export function countParameters(tensors: readonly ParameterTensor[]): number {
  return tensors.reduce((sum, t) => sum + t.count * tensorSize(t), 0);
}

export interface GptDecoderConfig {
  layers: number;
  dModel: number;
  vocab: number;
  /** Context length: the learned position table has this many rows. */
  context: number;
  /** MLP width; GPT-2 and GPT-3 use 4 dModel. */
  ffn?: number;
  /** GPT-2/3 reuse the token embedding as the output layer (default true). */
  tiedEmbeddings?: boolean;
}

/**
 * GPT-2/GPT-3 style decoder: learned positions, pre-LayerNorm blocks with biases,
 * fused q|k|v [d, 3d] (as in GPT-2's checkpoints and this notebook's tiny GPT),
 * a final LayerNorm, and a tied output layer unless told otherwise.
 */
export function gptDecoderShapes(cfg: GptDecoderConfig): ParameterTensor[] {
  const { layers: L, dModel: d, vocab: V, context: T } = cfg;
  const f = cfg.ffn ?? 4 * d;
  checkPositiveInts('gptDecoderShapes', { layers: L, dModel: d, vocab: V, context: T, ffn: f });
  const tensors: ParameterTensor[] = [
    { name: 'token embedding', shape: [V, d], count: 1 },
    { name: 'position embedding', shape: [T, d], count: 1 },
    { name: 'LayerNorm gain and bias', shape: [d], count: 2 * (2 * L + 1) }, // 2 per block + final
    { name: 'attention q|k|v', shape: [d, 3 * d], count: L },
    { name: 'attention q|k|v bias', shape: [3 * d], count: L },
    { name: 'attention output', shape: [d, d], count: L },
    { name: 'attention output bias', shape: [d], count: L },
    { name: 'MLP in', shape: [d, f], count: L },
    { name: 'MLP in bias', shape: [f], count: L },
    { name: 'MLP out', shape: [f, d], count: L },
    { name: 'MLP out bias', shape: [d], count: L },
  ];
  if (cfg.tiedEmbeddings === false) tensors.push({ name: 'output layer', shape: [d, V], count: 1 });
  return tensors;
}

export interface BertEncoderConfig {
  layers: number;
  dModel: number;
  ffn: number;
  vocab: number;
  /** Learned positions (512 in BERT). */
  maxPositions: number;
  /** Segment (sentence A/B) embeddings: 2 in BERT. */
  typeVocab: number;
}

/**
 * BERT encoder with its pooler (the [CLS] dense layer used by next-sentence
 * prediction), which is how the 335,141,888 of BERT-large is counted; separate
 * q, k, v, post-LayerNorm blocks with biases.
 */
export function bertEncoderShapes(cfg: BertEncoderConfig): ParameterTensor[] {
  const { layers: L, dModel: d, ffn: f, vocab: V, maxPositions: T, typeVocab: S } = cfg;
  checkPositiveInts('bertEncoderShapes', { layers: L, dModel: d, ffn: f, vocab: V, maxPositions: T, typeVocab: S });
  return [
    { name: 'token embedding', shape: [V, d], count: 1 },
    { name: 'position embedding', shape: [T, d], count: 1 },
    { name: 'segment embedding', shape: [S, d], count: 1 },
    { name: 'LayerNorm gain and bias', shape: [d], count: 2 * (2 * L + 1) }, // 2 per layer + embeddings
    { name: 'attention q, k, v, output', shape: [d, d], count: 4 * L },
    { name: 'attention q, k, v, output bias', shape: [d], count: 4 * L },
    { name: 'MLP in', shape: [d, f], count: L },
    { name: 'MLP in bias', shape: [f], count: L },
    { name: 'MLP out', shape: [f, d], count: L },
    { name: 'MLP out bias', shape: [d], count: L },
    { name: 'pooler', shape: [d, d], count: 1 },
    { name: 'pooler bias', shape: [d], count: 1 },
  ];
}

export interface T5Config {
  encoderLayers: number;
  decoderLayers: number;
  dModel: number;
  ffn: number;
  heads: number;
  /** Per-head key/value width: q, k, v project d -> heads * kvDim (which need not equal d). */
  kvDim: number;
  vocab: number;
  /** Relative-position buckets; one [buckets, heads] table per stack (32 in T5). */
  relativeBuckets: number;
}

/**
 * T5 (v1.0): no biases, scale-only RMS norms, a shared input/output embedding,
 * relative position biases in each stack's first self-attention.
 */
export function t5Shapes(cfg: T5Config): ParameterTensor[] {
  const {
    encoderLayers: E,
    decoderLayers: D,
    dModel: d,
    ffn: f,
    heads: H,
    kvDim: k,
    vocab: V,
    relativeBuckets: B,
  } = cfg;
  checkPositiveInts('t5Shapes', {
    encoderLayers: E,
    decoderLayers: D,
    dModel: d,
    ffn: f,
    heads: H,
    kvDim: k,
    vocab: V,
    relativeBuckets: B,
  });
  const inner = H * k;
  const attentionBlocks = E + 2 * D; // encoder self; decoder self + cross
  return [
    { name: 'shared embedding', shape: [V, d], count: 1 },
    { name: 'relative position bias', shape: [B, H], count: 2 },
    { name: 'attention q, k, v', shape: [d, inner], count: 3 * attentionBlocks },
    { name: 'attention output', shape: [inner, d], count: attentionBlocks },
    { name: 'MLP in', shape: [d, f], count: E + D },
    { name: 'MLP out', shape: [f, d], count: E + D },
    // 2 per encoder layer, 3 per decoder layer, one final norm per stack.
    { name: 'RMS norm gain', shape: [d], count: 2 * E + 3 * D + 2 },
  ];
}

export interface ModelPreset {
  id: 'bert-large' | 'gpt2-xl' | 't5-11b' | 'gpt3-175b';
  label: string;
  /** The size the paper quotes. */
  nominalParameters: number;
  tensors: ParameterTensor[];
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'bert-large',
    label: 'BERT-large',
    nominalParameters: 335_141_888,
    tensors: bertEncoderShapes({ layers: 24, dModel: 1024, ffn: 4096, vocab: 30522, maxPositions: 512, typeVocab: 2 }),
  },
  {
    id: 'gpt2-xl',
    label: 'GPT-2 (1.5B)',
    nominalParameters: 1.5e9,
    tensors: gptDecoderShapes({ layers: 48, dModel: 1600, vocab: 50257, context: 1024 }),
  },
  {
    id: 't5-11b',
    label: 'T5-11B',
    nominalParameters: 11e9,
    tensors: t5Shapes({
      encoderLayers: 24,
      decoderLayers: 24,
      dModel: 1024,
      ffn: 65536,
      heads: 128,
      kvDim: 128,
      vocab: 32128,
      relativeBuckets: 32,
    }),
  },
  {
    id: 'gpt3-175b',
    label: 'GPT-3 175B',
    nominalParameters: 175e9,
    tensors: gptDecoderShapes({ layers: 96, dModel: 12288, vocab: 50257, context: 2048 }),
  },
];
