/**
 * Turning logits into tokens: log-softmax for losses and probabilities, and
 * temperature sampling for generation.
 */

import type { Rng } from './rng';

/**
 * log softmax(logits), stable for large logits: subtract the max before
 * exponentiating (log-sum-exp trick). -Infinity logits (masked-out tokens)
 * give -Infinity; if every logit is -Infinity the result is all NaN.
 */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  const n = logits.length;
  if (n === 0) throw new RangeError('logSoftmax: logits are empty');
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[i] - max);
  // (x - max) - log(sum) rather than x - (max + log(sum)): adding log(sum) to a
  // large max first would round away its low bits (1e-13 absolute at max = 1000).
  const logSum = Math.log(sum);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logits[i] - max - logSum;
  return out;
}

/** softmax(logits / temperature), computed stably; temperature must be > 0. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  if (!(temperature > 0)) throw new RangeError(`softmax: temperature must be > 0, got ${temperature}`);
  const n = logits.length;
  if (n === 0) throw new RangeError('softmax: logits are empty');
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (!Number.isFinite(max)) throw new RangeError('softmax: the largest logit must be finite');
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp((logits[i] - max) / temperature);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Index of the largest value; the first one on ties. */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('argmax: values are empty');
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Draws a token id from softmax(logits / temperature). Temperature 0 is
 * greedy decoding (argmax, no rng draw); higher temperatures flatten the
 * distribution. Uses exactly one rng() draw when temperature > 0, by
 * inverting the cumulative distribution.
 */
export function sampleFromLogits(logits: ArrayLike<number>, temperature: number, rng: Rng): number {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`sampleFromLogits: temperature must be finite and >= 0, got ${temperature}`);
  }
  if (temperature === 0) return argmax(logits);
  const probs = softmax(logits, temperature);
  const u = rng();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    cum += probs[i];
    last = i;
    if (u < cum) return i;
  }
  // Rounding can leave the cumulative sum a hair below 1; u fell in that gap.
  return last;
}
