// Seeded weight initialisation: every random number comes from the `rng`
// argument, so a model is a pure function of (config, seed).

/** How weight matrices are drawn. Biases start at 0 and layer-norm gains at 1 in every scheme. */
export interface InitScheme {
  /**
   * 'normal': N(0, std^2) for every matrix (GPT-2 uses std 0.02).
   * 'xavier': N(0, 1/fan_in), fan_in = rows of the [in, out] matrix; for the
   * tied embedding fan_in = dModel, because E is also the output layer h E^T.
   */
  weights: 'normal' | 'xavier';
  /** Standard deviation for 'normal'; ignored by 'xavier'. */
  std: number;
  /**
   * GPT-2's extra factor 1/sqrt(2 nLayers) on the projections that write into
   * the residual stream (attn.wo, mlp.w2): each block adds two terms to the
   * stream, so without it the stream's variance grows with depth.
   */
  residualScaling: boolean;
  /**
   * T5: the query projection's columns are drawn with an extra 1/sqrt(d_head)
   * and attention drops its 1/sqrt(d_head) (StackConfig.foldedAttentionScale
   * must be set with it), so the logits start with the usual spread but the
   * scale is a learnable part of the weights.
   */
  foldAttentionScale?: boolean;
}

export const GPT2_INIT: InitScheme = { weights: 'normal', std: 0.02, residualScaling: true };
export const NORMAL_INIT: InitScheme = { weights: 'normal', std: 0.02, residualScaling: false };
export const XAVIER_INIT: InitScheme = { weights: 'xavier', std: 0, residualScaling: false };
export const T5_INIT: InitScheme = { weights: 'xavier', std: 0, residualScaling: false, foldAttentionScale: true };

/**
 * n samples of N(0, std^2) by Box-Muller, both outputs of each pair used.
 * 1 - rng() lies in (0, 1], so the logarithm is finite.
 */
export function normalArray(n: number, std: number, rng: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - rng()));
    const theta = 2 * Math.PI * rng();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}
