// Which parameters weight decay applies to. GPT codebases (GPT-2/3 practice,
// nanoGPT) decay only the matrices of linear layers: shrinking a LayerNorm
// gain or a bias towards zero is not a constraint on the model's capacity, and
// embeddings are left alone too. The names are those of src/models (see
// transformer.ts's block layout, gpt.ts, bert.ts, encdec.ts).

/** What a parameter is, read from its name. */
export type ParamGroup = 'matrix' | 'embedding' | 'layerNorm' | 'bias';

// Token, position and segment embeddings: wte, wpe, wse, enc.wpe, dec.wpe.
const EMBEDDING = /^((enc|dec)\.)?w[tps]e$/;
// LayerNorm gains and biases: h0.ln1.g, dec.h0.ln3.b, lnf.g, enc.lnf.b.
const LAYER_NORM = /(^|\.)ln(\d+|f)\.[gb]$/;
// Biases of linear layers and heads: h0.attn.bqkv, h0.mlp.b1, dec.h0.xattn.bkv, mlm.b, nsp.b.
const BIAS = /(^|\.)(attn|xattn|mlp|mlm|nsp|head)\.b[a-z0-9]*$/;
// Weight matrices of linear layers: h0.attn.wqkv, h0.mlp.w2, dec.h0.xattn.wq, nsp.w, and
// head.w for an untied output head (none of our models has one: the LM heads reuse wte).
const MATRIX = /(^|\.)(attn|xattn|mlp|nsp|head)\.w[a-z0-9]*$/;

/** The group of one of our models' parameters; a RangeError for a name none of them uses. */
export function paramGroup(name: string): ParamGroup {
  // Embeddings first: 'enc.wpe' would otherwise read as a matrix.
  if (EMBEDDING.test(name)) return 'embedding';
  if (LAYER_NORM.test(name)) return 'layerNorm';
  if (BIAS.test(name)) return 'bias';
  if (MATRIX.test(name)) return 'matrix';
  throw new RangeError(`weight decay: no rule for parameter '${name}' (add one to src/train/optim/decay.ts)`);
}

/** Whether weight decay applies to a parameter unless a spec asks to decay everything: matrices only. */
export function decayedByDefault(name: string): boolean {
  return paramGroup(name) === 'matrix';
}

/**
 * The `decays` predicate for makeOptimizer / TensorAdam / TensorSgd over
 * these parameter names: decayedByDefault, or undefined (the optimisers'
 * default, every parameter) when `decayAll`. Every name is classified here,
 * so one without a rule fails when the optimiser is built, not mid-step.
 */
export function decaysFor(names: readonly string[], decayAll = false): ((name: string) => boolean) | undefined {
  if (decayAll) return undefined;
  const decayed = new Set(names.filter(decayedByDefault));
  return (name) => decayed.has(name);
}
