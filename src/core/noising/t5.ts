/**
 * T5's unsupervised objectives (Raffel et al. 2020, section 3.3 and its
 * table of example inputs and targets). Each maps a text to an (input,
 * target) pair for an encoder-decoder; they differ in what the encoder sees
 * and how much the decoder must write.
 */

import { randomInt, shuffleInPlace, type Rng } from '../rng';
import { spanCorrupt } from '../spanCorrupt';
import { iidNoiseMask } from './iidNoise';
import { makeNoisingResult, originalTokens, type NoisedToken, type NoisingResult } from './types';
import { checkId, checkRate, checkSentinels } from './validate';

export interface PrefixLmResult extends NoisingResult {
  /** Number of tokens in the input; the target starts at this original index. */
  split: number;
}

/**
 * Prefix language modelling: split at a uniformly random point with both
 * sides non-empty (split in [1, n - 1]); the input is the prefix and the
 * target the rest, e.g. [the, mouse] => [ate, the, cheese].
 */
export function prefixLm(tokens: readonly number[], opts: { rng: Rng }): PrefixLmResult {
  const n = tokens.length;
  if (n < 2) throw new RangeError(`prefixLm: needs at least 2 tokens so both sides are non-empty, got ${n}`);
  const split = 1 + randomInt(opts.rng, n - 1);
  const all = originalTokens(tokens);
  const removed = Array.from({ length: n - split }, (_, r) => split + r);
  return { ...makeNoisingResult(all.slice(0, split), all.slice(split), removed, n), split };
}

/** T5's BERT-style objective replaces 90% of corrupted tokens by the mask and 10% by a random token. */
export const T5_BERT_MASK_FRACTION = 0.9;

export interface BertStyleOptions {
  /** Probability that each token is corrupted (default 0.15). */
  rate?: number;
  maskId: number;
  /** Random replacements are drawn uniformly from [0, vocabSize) minus maskId. */
  vocabSize: number;
  rng: Rng;
}

/**
 * T5's "BERT-style" objective: corrupt each token with probability `rate`
 * (i.i.d., like T5's other i.i.d. objectives); a corrupted token becomes the
 * mask with probability 0.9, else a random token (which may happen to equal
 * the original, as in BERT). Unlike BERT there is no "keep unchanged" share,
 * and the target is the whole original sequence, since the decoder writes
 * every token anyway.
 *
 * Draws per token: one rng() for "corrupted?", then for a corrupted token one
 * rng() for mask/random and, if random, one randomInt for the id.
 */
export function bertStyle(tokens: readonly number[], opts: BertStyleOptions): NoisingResult {
  const { maskId, vocabSize, rng } = opts;
  const rate = opts.rate ?? 0.15;
  checkRate('bertStyle', 'rate', rate);
  checkId('bertStyle', 'maskId', maskId);
  if (!(Number.isInteger(vocabSize) && vocabSize >= 2)) {
    throw new RangeError(`bertStyle: vocabSize must be an integer >= 2, got ${vocabSize}`);
  }
  const maskInVocab = maskId >= 0 && maskId < vocabSize;
  const randomId = (): number => {
    if (!maskInVocab) return randomInt(rng, vocabSize);
    const r = randomInt(rng, vocabSize - 1); // skip over maskId
    return r >= maskId ? r + 1 : r;
  };
  const input: NoisedToken[] = tokens.map((id, i) => {
    if (!(rng() < rate)) return { id, source: i, kind: 'kept' };
    return rng() < T5_BERT_MASK_FRACTION
      ? { id: maskId, source: i, kind: 'mask' }
      : { id: randomId(), source: i, kind: 'random' };
  });
  return makeNoisingResult(input, originalTokens(tokens), [], tokens.length);
}

/**
 * Deshuffling: the input is the tokens in a uniformly random order (Fisher-Yates),
 * the target the original. Tokens not at their original position are 'moved'.
 */
export function deshuffle(tokens: readonly number[], opts: { rng: Rng }): NoisingResult {
  const order = shuffleInPlace(
    tokens.map((_, i) => i),
    opts.rng,
  );
  const input: NoisedToken[] = order.map((source, k) => ({
    id: tokens[source],
    source,
    kind: source === k ? 'kept' : 'moved',
  }));
  return makeNoisingResult(input, originalTokens(tokens), [], tokens.length);
}

/**
 * Replaces each maximal run of noise positions by one sentinel, the k-th run
 * by sentinelIds[k]; the target lists each sentinel followed by the tokens it
 * replaced and ends with the next unused sentinel, as in T5's examples
 * ("<X> for inviting <Y> last <Z>"). Needs one sentinel per run plus one.
 */
function replaceRunsWithSentinels(
  fn: string,
  tokens: readonly number[],
  noise: readonly boolean[],
  sentinelIds: readonly number[],
): NoisingResult {
  const n = tokens.length;
  let numRuns = 0;
  for (let i = 0; i < n; i++) if (noise[i] && (i === 0 || !noise[i - 1])) numRuns += 1;
  if (sentinelIds.length < numRuns + 1) {
    throw new RangeError(
      `${fn}: ${numRuns} noise spans need ${numRuns + 1} sentinel ids ` +
        `(one per span plus the closing one), but only ${sentinelIds.length} were given`,
    );
  }
  const input: NoisedToken[] = [];
  const target: NoisedToken[] = [];
  const removed: number[] = [];
  let s = 0;
  for (let i = 0; i < n;) {
    if (!noise[i]) {
      input.push({ id: tokens[i], source: i, kind: 'kept' });
      i += 1;
      continue;
    }
    const covers: number[] = [];
    for (; i < n && noise[i]; i++) covers.push(i);
    const sentinel: NoisedToken = { id: sentinelIds[s++], source: null, kind: 'sentinel', covers };
    input.push(sentinel);
    target.push(sentinel);
    for (const j of covers) target.push({ id: tokens[j], source: j, kind: 'kept' });
    removed.push(...covers);
  }
  target.push({ id: sentinelIds[s], source: null, kind: 'sentinel' });
  return makeNoisingResult(input, target, removed, n);
}

export interface IidReplaceSpansOptions {
  /** Probability that each token is corrupted (default 0.15). */
  rate?: number;
  /** Used in order; needs one more than the number of corrupted runs. Must not occur in the text. */
  sentinelIds: readonly number[];
  rng: Rng;
}

/**
 * "i.i.d. noise, replace spans": each token corrupted independently with
 * probability `rate`; each run of consecutive corrupted tokens becomes one
 * sentinel in the input, and the target spells out the runs after their sentinels.
 */
export function iidReplaceSpans(tokens: readonly number[], opts: IidReplaceSpansOptions): NoisingResult {
  const rate = opts.rate ?? 0.15;
  checkRate('iidReplaceSpans', 'rate', rate);
  checkSentinels('iidReplaceSpans', tokens, opts.sentinelIds);
  const noise = iidNoiseMask(tokens.length, rate, opts.rng);
  return replaceRunsWithSentinels('iidReplaceSpans', tokens, noise, opts.sentinelIds);
}

/**
 * "i.i.d. noise, drop tokens": corrupted tokens are dropped from the input
 * and the target is just the dropped tokens in order (no sentinels, so the
 * model must work out where each one belongs).
 */
export function iidDropTokens(tokens: readonly number[], opts: { rate?: number; rng: Rng }): NoisingResult {
  const rate = opts.rate ?? 0.15;
  checkRate('iidDropTokens', 'rate', rate);
  const noise = iidNoiseMask(tokens.length, rate, opts.rng);
  const input: NoisedToken[] = [];
  const target: NoisedToken[] = [];
  tokens.forEach((id, i) => (noise[i] ? target : input).push({ id, source: i, kind: 'kept' }));
  return makeNoisingResult(
    input,
    target,
    target.map((t) => t.source as number),
    tokens.length,
  );
}

export interface RandomSpansOptions {
  /** Fraction of tokens corrupted: exactly round(rate * n), clamped to [1, n - 1] (default 0.15). */
  rate?: number;
  /** Mean span length (default 3). */
  meanSpanLength?: number;
  /** Used in order; needs one more than the number of spans. Must not occur in the text. */
  sentinelIds: readonly number[];
  rng: Rng;
}

/**
 * "Random spans", T5's final objective: spanCorrupt (exact noise count, spans
 * of a set mean length) with provenance for the UI. The ids come from
 * spanCorrupt itself; its noise positions are read back from the input (each
 * sentinel stands for as many tokens as follow it in the target), then the
 * result is rebuilt with provenance, which reproduces spanCorrupt's input and
 * target exactly (its spans never touch, so each run is one of its spans).
 */
export function randomSpans(tokens: readonly number[], opts: RandomSpansOptions): NoisingResult {
  const rate = opts.rate ?? 0.15;
  const { sentinelIds } = opts;
  checkRate('randomSpans', 'rate', rate);
  checkSentinels('randomSpans', tokens, sentinelIds);
  const { input, target } = spanCorrupt(tokens, {
    noiseDensity: rate,
    meanSpanLength: opts.meanSpanLength ?? 3,
    sentinelIds,
    rng: opts.rng,
  });
  // Span k's length: target tokens between sentinel k and sentinel k + 1.
  const sentinels = new Set(sentinelIds);
  const spanLengths: number[] = [];
  for (const t of target) {
    if (sentinels.has(t)) spanLengths.push(0);
    else spanLengths[spanLengths.length - 1] += 1;
  }
  const noise: boolean[] = [];
  let span = 0;
  for (const t of input) {
    if (sentinels.has(t)) noise.push(...new Array<boolean>(spanLengths[span++]).fill(true));
    else noise.push(false);
  }
  return replaceRunsWithSentinels('randomSpans', tokens, noise, sentinelIds);
}
