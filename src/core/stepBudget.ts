// How much memory and time one training step of a run takes, from its shape
// alone, and the budget a run must fit in before the worker allocates
// anything. Pure arithmetic: the pages' cross checks (beside the field, and
// for a link through parseParams) and the worker's validateRun use the same
// numbers, so a link that would grow the tab's heap to gigabytes is refused
// where it is read and again where it would be built.
//
// The counts are of float32 numbers the training step holds at its peak. The
// constants are rounded up from what tfjs's own accounting reports
// (tf.profile's peak bytes of one step, on the wasm and cpu backends, for
// GPTs, BERTs and encoder-decoders from 1 to 4 layers, width 32 to 256, 1 to
// 16 heads, context 32 to 256, batch 8 to 32, vocabulary 83 to 3,000): the
// estimate came out 1.1 to 2 times the measured peak. Why so many per
// position: tfjs keeps every tensor the forward pass makes until the pass
// ends (only then are the ones the backward pass does not need freed), and a
// layer makes dozens of [positions, width] tensors (layer norms, the fused
// qkv, the 4d-wide MLP and its GELU's pieces, residual sums).
//
//   per position and layer   ACTIVATION  x width           (decoder blocks of an encoder-decoder: x 1.5)
//   per attention score      ATTENTION   x batch x heads x queries x keys, per attention and layer
//   outside the layers       OUTSIDE     x width per position (embeddings, final layer norm)
//   vocabulary               EMBED_VOCAB x vocab per input position (one-hot rows of the
//                            embedding, forward and backward) + LOGITS x vocab per scored position
//                            (logits, softmax, their gradients)
//   parameters               STATE x params per arm (weights, Adam's two moments, an FP16 or
//                            master copy) + STEP x params for the arm stepping (gradients, update)
//
// Arms step one after another and each arm's activations are freed before
// the next arm's step, so activations count once and the parameter state
// once per arm. The time is training FLOPs (6 per parameter and token for
// the matrices, 12 per score and head width for attention, the tied logits
// and one-hot embedding products) over a rate a wasm backend on one laptop
// core reaches on these shapes (10 GFLOP/s; measured 10 to 28).

export const STEP_COSTS = {
  ACTIVATION: 128,
  DECODER_BLOCK: 1.5,
  ATTENTION: 8,
  OUTSIDE: 16,
  EMBED_VOCAB: 2,
  LOGITS: 8,
  STATE: 4,
  STEP: 4,
  FLOPS_PER_SECOND: 1e10,
} as const;

/**
 * Most bytes of estimated tensors one run may hold in a training step. Every
 * page's defaults fit (the largest, the initialisation race's 24 layers x 4
 * arms, is about 150 MB), and the wasm heap, which grows to about 1.5 times
 * the tensors and never shrinks, stays well inside what a phone's tab gets.
 */
export const STEP_BUDGET_BYTES = 512_000_000;

const FLOAT_BYTES = 4;

/** The layer stack every task shares. */
export interface StackShape {
  layers: number;
  dModel: number;
  heads: number;
}

/** What a step's cost depends on; `arms` models train on the same batches. */
export type StepShape = StackShape &
  (
    | { task: 'gpt'; vocab: number; batch: number; context: number; arms: number }
    | {
        task: 'bert';
        vocab: number;
        batch: number;
        /** Padded sequence length, [CLS] and [SEP]s included. */
        length: number;
        /** Largest share of positions an arm scores (the masking function's selected share). */
        selectRate: number;
        arms: number;
      }
    | {
        task: 'encdec';
        vocab: number;
        batch: number;
        /** Padded encoder input and decoder input lengths; the encoder and the decoder each have `layers` blocks. */
        source: number;
        target: number;
        arms: number;
      }
  );

export interface StepEstimate {
  /** Parameters of one arm's model. */
  parameters: number;
  bytes: {
    /** Per-position tensors of the layers and around them. */
    activations: number;
    /** Attention scores and probabilities. */
    attention: number;
    /** Embedding one-hots and logits: what grows with the vocabulary. */
    vocabulary: number;
    /** Weights and optimiser state of every arm, plus one arm's gradients. */
    parameters: number;
    total: number;
  };
  /** Training FLOPs of one step, all arms. */
  flops: number;
  /** flops at STEP_COSTS.FLOPS_PER_SECOND. */
  seconds: number;
}

/** A block: fused qkv [d, 3d] + bias, output [d, d] + bias, MLP [d, 4d], [4d, d] + biases, two layer norms. */
const blockParams = (d: number) => 12 * d * d + 13 * d;
/** A decoder block adds a layer norm and a cross-attention (q [d, d], kv [d, 2d], output [d, d], biases). */
const decoderBlockParams = (d: number) => blockParams(d) + 4 * d * d + 6 * d;

/** Parameters of one arm, as the models (src/models) lay them out. */
export function stepParameters(s: StepShape): number {
  const { layers: L, dModel: d, vocab: V } = s;
  switch (s.task) {
    case 'gpt': // wte, wpe, blocks, final layer norm
      return V * d + s.context * d + L * blockParams(d) + 2 * d;
    case 'bert': // wte, wpe, two segment rows, blocks, final layer norm, MLM bias, NSP head
      return V * d + s.length * d + 2 * d + L * blockParams(d) + 2 * d + V + 2 * d + 2;
    case 'encdec': // wte, encoder and decoder positions, encoder blocks + norm, decoder blocks + norm
      return V * d + (s.source + s.target) * d + L * blockParams(d) + 2 * d + L * decoderBlockParams(d) + 2 * d;
  }
}

export function estimateStep(s: StepShape): StepEstimate {
  const C = STEP_COSTS;
  const { layers: L, dModel: d, heads: H, vocab: V, batch: B } = s;
  const P = stepParameters(s);
  // Positions in, positions scored, scores per batch row and head (over all attentions of a layer),
  // matrix parameters each position goes through.
  let inputs: number;
  let scored: number;
  let layerPositions: number;
  let scores: number;
  let matrixFlops: number;
  switch (s.task) {
    case 'gpt': {
      const N = B * s.context;
      inputs = scored = N;
      layerPositions = N;
      scores = s.context * s.context;
      matrixFlops = 6 * N * L * 12 * d * d;
      break;
    }
    case 'bert': {
      const N = B * s.length;
      inputs = N;
      scored = Math.ceil(Math.min(1, Math.max(0, s.selectRate)) * N);
      layerPositions = N;
      scores = s.length * s.length;
      matrixFlops = 6 * N * L * 12 * d * d;
      break;
    }
    case 'encdec': {
      const Ns = B * s.source;
      const Nt = B * s.target;
      inputs = Ns + Nt;
      scored = Nt;
      layerPositions = Ns + C.DECODER_BLOCK * Nt;
      // Encoder self-attention, decoder self-attention, cross-attention.
      scores = s.source * s.source + s.target * s.target + s.target * s.source;
      matrixFlops = 6 * L * (Ns * 12 * d * d + Nt * 16 * d * d);
      break;
    }
  }
  const floats = {
    activations: L * C.ACTIVATION * layerPositions * d + C.OUTSIDE * inputs * d,
    attention: L * C.ATTENTION * B * H * scores,
    vocabulary: C.EMBED_VOCAB * inputs * V + C.LOGITS * scored * V,
    parameters: (C.STATE * s.arms + C.STEP) * P,
  };
  const bytes = {
    activations: floats.activations * FLOAT_BYTES,
    attention: floats.attention * FLOAT_BYTES,
    vocabulary: floats.vocabulary * FLOAT_BYTES,
    parameters: floats.parameters * FLOAT_BYTES,
    total: 0,
  };
  bytes.total = bytes.activations + bytes.attention + bytes.vocabulary + bytes.parameters;
  // Per arm: matrices, attention (q k^T and P v: 2 x 2 per score and head width forward, twice that backward),
  // tied logits (6 per scored position, width and vocabulary entry), one-hot embedding products forward and back.
  const perArm = matrixFlops + 12 * L * B * scores * d + 6 * scored * d * V + 4 * inputs * V * d;
  const flops = perArm * s.arms;
  return { parameters: P, bytes, flops, seconds: flops / C.FLOPS_PER_SECOND };
}

/** "3.8 GB", "512 MB", "640 KB" (decimal units, like the budget). */
export function formatMemory(bytes: number): string {
  const at = (unit: number, name: string) => {
    const x = bytes / unit;
    return `${x >= 10 ? Math.round(x) : Number(x.toFixed(1))} ${name}`;
  };
  if (bytes >= 1e9) return at(1e9, 'GB');
  if (bytes >= 1e6) return at(1e6, 'MB');
  return at(1e3, 'KB');
}

/** "0.05 s", "1.2 s", "14 s". */
export function formatSeconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : s >= 0.1 ? `${Number(s.toFixed(1))} s` : `${Number(s.toFixed(2))} s`;
}

/**
 * Why a step of this shape does not fit the budget (what it would hold, the
 * largest part, what to lower), or null when it fits.
 */
export function stepBudgetProblem(s: StepShape, budget: number = STEP_BUDGET_BYTES): string | null {
  const e = estimateStep(s);
  if (e.bytes.total <= budget) return null;
  const { activations, attention, vocabulary, parameters } = e.bytes;
  const length = s.task === 'gpt' ? 'context' : s.task === 'bert' ? 'length' : 'passage length';
  const parts: [number, string, string][] = [
    [activations, 'activations', `batch × ${length} × width × layers`],
    [attention, 'attention scores', `batch × heads × ${length}² × layers`],
    [vocabulary, 'logits', `batch × ${length} × vocabulary`],
    [parameters, 'weights and optimiser state', s.arms > 1 ? `${s.arms} models` : 'width² × layers'],
  ];
  const [, , largest] = parts.reduce((a, b) => (b[0] > a[0] ? b : a));
  const listed = parts
    .filter(([b]) => b >= 0.05 * e.bytes.total)
    .map(([b, name]) => `${name} ${formatMemory(b)}`)
    .join(', ');
  return (
    `One training step would hold about ${formatMemory(e.bytes.total)} of tensors (${listed}) and take about ` +
    `${formatSeconds(e.seconds)}; the limit is ${formatMemory(budget)}, so the tab does not run out of memory. ` +
    `Make ${largest} smaller.`
  );
}
