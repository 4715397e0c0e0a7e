/**
 * T5's pre-training objective, "i.i.d. noise, replace spans": drop ~15% of
 * tokens in short spans, put one sentinel per dropped span in the input, and
 * make the target list each sentinel followed by the tokens it replaced.
 * Shorter targets than BERT-style denoising, so training is cheaper.
 */

import { shuffleInPlace, type Rng } from './rng';

export interface SpanCorruptOptions {
  /** Fraction of tokens to corrupt (default 0.15). */
  noiseDensity?: number;
  /** Mean length of a corrupted span (default 3). */
  meanSpanLength?: number;
  /** Sentinel ids, used in order; needs one more than the number of spans. */
  sentinelIds: readonly number[];
  rng: Rng;
}

export interface SpanCorruptResult {
  /** Tokens with each noise span replaced by one sentinel. */
  input: number[];
  /** Per span: its sentinel then its tokens; ends with the next unused sentinel. */
  target: number[];
}

/** Noise span layout for a sequence of `length` tokens. */
export interface SpanLayout {
  numNoiseTokens: number;
  numSpans: number;
  /** Lengths of the non-noise runs; the sequence starts with nonNoiseLengths[0]. */
  nonNoiseLengths: number[];
  /** Lengths of the noise runs, interleaved after each non-noise run. */
  noiseLengths: number[];
}

/**
 * Splits `numItems` into `numSegments` positive parts, uniformly over all
 * compositions: as in T5's _random_segmentation, shuffle (numSegments - 1)
 * "segment starts here" flags among the numItems - 1 gaps between items.
 */
export function randomSegmentation(numItems: number, numSegments: number, rng: Rng): number[] {
  if (!(numSegments >= 1 && numSegments <= numItems)) {
    throw new RangeError(`randomSegmentation: need 1 <= numSegments (${numSegments}) <= numItems (${numItems})`);
  }
  const flags = shuffleInPlace(
    Array.from({ length: numItems - 1 }, (_, i) => i < numSegments - 1),
    rng,
  );
  const lengths: number[] = [];
  let run = 1;
  for (const startsNew of flags) {
    if (startsNew) {
      lengths.push(run);
      run = 1;
    } else {
      run += 1;
    }
  }
  lengths.push(run);
  return lengths;
}

/**
 * T5's random_spans_noise_mask as span lengths:
 *   num_noise = clamp(round(L * density), 1, L - 1)
 *   num_spans = max(1, round(num_noise / meanSpanLength))
 * then noise and non-noise counts are each randomly partitioned into num_spans
 * positive parts and interleaved, non-noise first (so the sequence always
 * ends in noise, as in T5 without random_roll).
 *
 * Deviations, for inputs where T5 itself would fail or degenerate:
 * - num_spans is also capped at L - num_noise, so every non-noise part is
 *   positive (T5 breaks when noise density is high and spans are short);
 * - L < 2 gets no noise at all.
 * Math.round rounds halves up where T5's tf.round rounds them to even.
 */
export function spanLayout(length: number, noiseDensity: number, meanSpanLength: number, rng: Rng): SpanLayout {
  if (length < 2) {
    return { numNoiseTokens: 0, numSpans: 0, nonNoiseLengths: length === 1 ? [1] : [], noiseLengths: [] };
  }
  const numNoiseTokens = Math.min(Math.max(Math.round(length * noiseDensity), 1), length - 1);
  const numNonNoise = length - numNoiseTokens;
  const numSpans = Math.min(Math.max(1, Math.round(numNoiseTokens / meanSpanLength)), numNonNoise);
  const noiseLengths = randomSegmentation(numNoiseTokens, numSpans, rng);
  const nonNoiseLengths = randomSegmentation(numNonNoise, numSpans, rng);
  return { numNoiseTokens, numSpans, nonNoiseLengths, noiseLengths };
}

/**
 * Applies T5 span corruption to `tokens`. Throws if `sentinelIds` has fewer
 * than (number of spans + 1) ids: the final sentinel closes the target.
 *
 * Example (sentinels 100, 101, 102; noiseDensity 0.375, meanSpanLength 1.5,
 * so 3 noise tokens in 2 spans; one of the possible layouts):
 *   tokens  [1 2 3 4 5 6 7 8], noise at 3 4 and 8
 *   input   [1 2 100 5 6 7 101]
 *   target  [100 3 4 101 8 102]
 */
export function spanCorrupt(tokens: readonly number[], opts: SpanCorruptOptions): SpanCorruptResult {
  const noiseDensity = opts.noiseDensity ?? 0.15;
  const meanSpanLength = opts.meanSpanLength ?? 3;
  const { sentinelIds, rng } = opts;
  if (!(noiseDensity >= 0 && noiseDensity <= 1)) {
    throw new RangeError(`spanCorrupt: noiseDensity must be in [0, 1], got ${noiseDensity}`);
  }
  if (!(meanSpanLength > 0)) {
    throw new RangeError(`spanCorrupt: meanSpanLength must be > 0, got ${meanSpanLength}`);
  }
  const layout = spanLayout(tokens.length, noiseDensity, meanSpanLength, rng);
  if (sentinelIds.length < layout.numSpans + 1) {
    throw new Error(
      `spanCorrupt: ${layout.numSpans} noise spans need ${layout.numSpans + 1} sentinel ids ` +
        `(one per span plus the closing one), but only ${sentinelIds.length} were given`,
    );
  }
  const input: number[] = [];
  const target: number[] = [];
  let pos = 0;
  for (let s = 0; s < layout.nonNoiseLengths.length; s++) {
    for (let k = 0; k < layout.nonNoiseLengths[s]; k++) input.push(tokens[pos++]);
    if (s < layout.numSpans) {
      input.push(sentinelIds[s]);
      target.push(sentinelIds[s]);
      for (let k = 0; k < layout.noiseLengths[s]; k++) target.push(tokens[pos++]);
    }
  }
  target.push(sentinelIds[layout.numSpans]);
  return { input, target };
}

/**
 * Inverse of spanCorrupt: rebuilds the original tokens by replacing each
 * sentinel in `input` with the tokens that follow it in `target`. Useful to
 * show (and test) that nothing is lost. Assumes sentinel ids do not occur in
 * the original text.
 */
export function spanUncorrupt(
  input: readonly number[],
  target: readonly number[],
  sentinelIds: readonly number[],
): number[] {
  const sentinels = new Set(sentinelIds);
  const spans = new Map<number, number[]>();
  let current: number[] | null = null;
  for (const t of target) {
    if (sentinels.has(t)) {
      current = [];
      spans.set(t, current);
    } else if (current === null) {
      throw new Error('spanUncorrupt: target must start with a sentinel');
    } else {
      current.push(t);
    }
  }
  const out: number[] = [];
  for (const t of input) {
    if (!sentinels.has(t)) {
      out.push(t);
      continue;
    }
    const span = spans.get(t);
    if (span === undefined) throw new Error(`spanUncorrupt: sentinel ${t} is missing from the target`);
    out.push(...span);
  }
  return out;
}
