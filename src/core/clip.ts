/**
 * Gradient clipping by global L2 norm (GPT-3 clips at 1.0): one scale for all
 * parameter tensors, so the update direction is preserved and only its length shrinks.
 */

/** L2 norm of all arrays taken together, as if concatenated. */
export function globalNorm(grads: readonly Float64Array[]): number {
  let sumSq = 0;
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) sumSq += g[i] * g[i];
  }
  return Math.sqrt(sumSq);
}

/**
 * Scales every array in place by min(1, maxNorm / norm) and returns the norm
 * before clipping.
 *
 * Differences from torch.nn.utils.clip_grad_norm_, on purpose:
 * - PyTorch divides by (norm + 1e-6); we use the exact ratio, so a clipped
 *   gradient has norm exactly maxNorm (PyTorch's is ~1e-6 relative smaller).
 * - A zero norm needs no clipping (no 0/0).
 * - A non-finite norm (NaN/Infinity, e.g. an fp16 overflow) leaves the
 *   gradients untouched and is returned so the caller can skip the step, the
 *   way a loss scaler does; PyTorch would multiply by 0 and produce NaNs.
 */
export function clipByGlobalNorm(grads: Float64Array[], maxNorm: number): number {
  if (!(maxNorm >= 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm) || norm <= maxNorm) return norm;
  const scale = maxNorm / norm;
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}
