import type { Rng } from '../rng';

/** Largest lambda handled in one run of Knuth's loop: exp(-30) ~ 1e-13 is still far from underflow. */
const CHUNK = 30;
/** Knuth's method costs O(lambda) draws; the notebook's span lengths use lambda of a few tokens. */
const MAX_LAMBDA = 1000;

/**
 * One draw from Poisson(lambda) by Knuth's multiplication method: multiply
 * uniforms until the product falls below exp(-lambda); the number of factors
 * before that is Poisson distributed. Lambdas above CHUNK are split into
 * chunks, because a sum of independent Poissons is Poisson with the summed
 * rate, and exp(-lambda) would lose precision for large lambda.
 */
export function poisson(lambda: number, rng: Rng): number {
  if (!(Number.isFinite(lambda) && lambda >= 0 && lambda <= MAX_LAMBDA)) {
    throw new RangeError(`poisson: lambda must be a finite number in [0, ${MAX_LAMBDA}], got ${lambda}`);
  }
  let total = 0;
  let remaining = lambda;
  while (remaining > 0) {
    const chunk = Math.min(remaining, CHUNK);
    remaining -= chunk;
    const threshold = Math.exp(-chunk);
    let product = rng();
    while (product >= threshold) {
      total += 1;
      product *= rng();
    }
  }
  return total;
}
