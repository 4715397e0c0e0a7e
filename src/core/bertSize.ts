/**
 * Parameter count of a BERT-style encoder, part by part, so a page can show
 * where the parameters live (most in the layers; a large share of a base
 * model in the token embeddings). Layouts follow HuggingFace's BertModel /
 * RobertaModel, whose counts are the numbers usually quoted.
 */

export interface BertSizeConfig {
  layers: number;
  dModel: number;
  /** Does not change the count: heads split d into d/heads-wide slices of the same Q, K, V. */
  heads: number;
  /** Feed-forward width (default 4 * dModel). */
  ffn?: number;
  vocab: number;
  /** Learned absolute positions. */
  positions: number;
  /** Rows of the segment ("token type") table: 2 in BERT, 1 in RoBERTa, which has no sentence B. */
  segmentTypes: number;
  /** tanh(W h_[CLS] + b): the sentence vector the NSP classifier reads. */
  pooler: boolean;
  /** The masked-LM head: dense + LayerNorm + output bias; its decoder weight is the token table. */
  mlmHead: boolean;
  /** The NSP classifier, 2 logits from the pooled vector (BertForPreTraining; default false). */
  nspHead?: boolean;
}

export interface BertSizePart {
  name: string;
  count: number;
  /** The count as TeX over V, P, S, d, L and d_ff. */
  formula: string;
}

export interface BertSize {
  parts: BertSizePart[];
  total: number;
}

const base = { heads: 12, vocab: 30522, positions: 512, segmentTypes: 2, pooler: true, mlmHead: false };

/** 110M: 12 layers of width 768 (the count is BertModel's, with pooler, without heads on top). */
export const BERT_BASE: BertSizeConfig = { ...base, layers: 12, dModel: 768 };
/**
 * BERT-large: 24 layers, width 1024, 16 heads; 335M. The lecture's "355M" is
 * RoBERTa-large's count (larger vocabulary); the BERT paper rounds to 340M.
 */
export const BERT_LARGE: BertSizeConfig = { ...base, layers: 24, dModel: 1024, heads: 16 };
/**
 * RoBERTa-large: BERT-large's shape with a 50,265-token byte-level BPE
 * vocabulary, one segment type, and 514 position rows (positions are counted
 * from padding_idx + 1 = 2, so two rows are never used by a real token).
 */
export const ROBERTA_LARGE: BertSizeConfig = {
  ...BERT_LARGE,
  vocab: 50265,
  positions: 514,
  segmentTypes: 1,
};

function checkInt(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`bertSize: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Every part of the encoder, with its count and formula; `total` is their sum. */
export function bertSize(config: BertSizeConfig): BertSize {
  const { layers: L, dModel: d, heads, vocab: V, positions: P, segmentTypes: S } = config;
  const f = config.ffn ?? 4 * d;
  checkInt('layers', L, 1);
  checkInt('dModel', d, 1);
  checkInt('heads', heads, 1);
  if (d % heads !== 0) throw new RangeError(`bertSize: dModel (${d}) must be divisible by heads (${heads})`);
  checkInt('ffn', f, 1);
  checkInt('vocab', V, 1);
  checkInt('positions', P, 1);
  checkInt('segmentTypes', S, 0);
  if (config.nspHead && !config.pooler) {
    throw new RangeError('bertSize: nspHead classifies the pooled [CLS] vector, so it needs pooler: true');
  }

  const dense = d * d + d; // a d -> d linear layer with bias
  const layerNorm = 2 * d; // gain and bias
  const ff = `d_{\\text{ff}}`;
  const parts: BertSizePart[] = [
    { name: 'token embeddings', count: V * d, formula: 'V d' },
    { name: 'position embeddings', count: P * d, formula: 'P d' },
    { name: 'segment embeddings', count: S * d, formula: 'S d' },
    { name: 'embedding LayerNorm', count: layerNorm, formula: '2d' },
    { name: 'attention Q, K, V', count: L * 3 * dense, formula: 'L \\cdot 3(d^2 + d)' },
    { name: 'attention output', count: L * dense, formula: 'L (d^2 + d)' },
    { name: 'attention LayerNorm', count: L * layerNorm, formula: 'L \\cdot 2d' },
    { name: 'feed-forward', count: L * (d * f + f + f * d + d), formula: `L (2 d\\, ${ff} + ${ff} + d)` },
    { name: 'feed-forward LayerNorm', count: L * layerNorm, formula: 'L \\cdot 2d' },
  ];
  if (config.pooler) parts.push({ name: 'pooler', count: dense, formula: 'd^2 + d' });
  if (config.mlmHead) {
    parts.push(
      { name: 'MLM transform', count: dense, formula: 'd^2 + d' },
      { name: 'MLM LayerNorm', count: layerNorm, formula: '2d' },
      // The d x V decoder reuses the token table (weight tying), so only its bias is new.
      { name: 'MLM output bias', count: V, formula: 'V' },
    );
  }
  if (config.nspHead) parts.push({ name: 'NSP classifier', count: 2 * d + 2, formula: '2d + 2' });
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  return { parts, total };
}
