/**
 * BART's noising transformations (Lewis et al. 2019, section 2.2). In every
 * one the decoder's target is the whole original text: BART is trained to
 * undo the noise, so the target is the same whatever the transformation.
 */

import { randomInt, shuffleInPlace, type Rng } from '../rng';
import { randomSegmentation } from '../spanCorrupt';
import { iidNoiseMask } from './iidNoise';
import { poisson } from './poisson';
import { makeNoisingResult, originalTokens, type NoisedToken, type NoisingResult } from './types';
import { checkId, checkRate } from './validate';

export interface TokenMaskingOptions {
  /** Probability that each token is replaced by the mask. */
  rate: number;
  maskId: number;
  rng: Rng;
}

/**
 * BERT-like token masking, i.i.d.: each token independently becomes the mask
 * with probability `rate` (no random or unchanged replacements: BART's
 * decoder predicts every token, so there is no train/test mismatch to hide).
 * The sequence keeps its length; a mask keeps the `source` of the token it hides.
 */
export function tokenMasking(tokens: readonly number[], opts: TokenMaskingOptions): NoisingResult {
  checkId('tokenMasking', 'maskId', opts.maskId);
  const noise = iidNoiseMask(tokens.length, opts.rate, opts.rng);
  const input: NoisedToken[] = tokens.map((id, i) =>
    noise[i] ? { id: opts.maskId, source: i, kind: 'mask' } : { id, source: i, kind: 'kept' },
  );
  return makeNoisingResult(input, originalTokens(tokens), [], tokens.length);
}

export interface TokenDeletionOptions {
  /** Probability that each token is deleted. */
  rate: number;
  rng: Rng;
}

/**
 * Token deletion: each token independently removed with probability `rate`.
 * Unlike masking, nothing marks where a token went, so the model must also
 * work out which positions are missing.
 */
export function tokenDeletion(tokens: readonly number[], opts: TokenDeletionOptions): NoisingResult {
  const noise = iidNoiseMask(tokens.length, opts.rate, opts.rng);
  const input: NoisedToken[] = [];
  const removed: number[] = [];
  tokens.forEach((id, i) => {
    if (noise[i]) removed.push(i);
    else input.push({ id, source: i, kind: 'kept' });
  });
  return makeNoisingResult(input, originalTokens(tokens), removed, tokens.length);
}

/**
 * Span lengths for text infilling: Poisson(lambda) draws, in order, until
 * they add up to at least `numToMask`; the last draw is cut down so the sum
 * is exactly `numToMask`. Zero draws stay in the list (they become masks
 * inserted without removing anything). Empty when numToMask is 0.
 */
export function infillingSpanLengths(numToMask: number, lambda: number, rng: Rng): number[] {
  if (!(Number.isInteger(numToMask) && numToMask >= 0)) {
    throw new RangeError(`infillingSpanLengths: numToMask must be a non-negative integer, got ${numToMask}`);
  }
  // lambda = 0 would draw zero-length spans forever.
  if (!(lambda > 0)) throw new RangeError(`infillingSpanLengths: lambda must be > 0, got ${lambda}`);
  const lengths: number[] = [];
  let sum = 0;
  while (sum < numToMask) {
    const length = Math.min(poisson(lambda, rng), numToMask - sum);
    lengths.push(length);
    sum += length;
  }
  return lengths;
}

export interface TextInfillingOptions {
  /** Fraction of tokens to mask: exactly round(rate * length) tokens are covered by spans. */
  rate: number;
  /** Mean span length (Poisson rate); BART uses 3. */
  lambda?: number;
  maskId: number;
  rng: Rng;
}

/**
 * Text infilling: spans with Poisson(lambda) lengths are each replaced by ONE
 * mask, so the model must also predict how many tokens a mask hides.
 *
 * The paper fixes only the span-length distribution and the 30% budget; this
 * is how the rest is done here:
 * 1. numToMask = round(rate * n) tokens will be covered, exactly.
 * 2. Span lengths come from infillingSpanLengths (Poisson draws until the sum
 *    reaches numToMask, the last cut down to fit), then are shuffled so the
 *    cut-down span is not always the last one.
 * 3. Placement: the k spans and the n - numToMask kept tokens are interleaved
 *    uniformly at random, i.e. the kept-run lengths before, between and after
 *    the spans are a uniformly random weak composition of n - numToMask into
 *    k + 1 parts (drawn with T5's randomSegmentation on parts + 1). Spans never
 *    overlap, two spans may touch (two adjacent masks), and a zero-length span
 *    puts a mask between two kept tokens (or at either end) without removing one.
 */
export function textInfilling(tokens: readonly number[], opts: TextInfillingOptions): NoisingResult {
  const { rate, maskId, rng } = opts;
  const lambda = opts.lambda ?? 3;
  checkRate('textInfilling', 'rate', rate);
  checkId('textInfilling', 'maskId', maskId);
  if (!(lambda > 0 && lambda <= 1000))
    throw new RangeError(`textInfilling: lambda must be in (0, 1000], got ${lambda}`);

  const n = tokens.length;
  const numToMask = Math.round(rate * n);
  const spanLengths = shuffleInPlace(infillingSpanLengths(numToMask, lambda, rng), rng);
  const numSpans = spanLengths.length;
  // keptRuns[j] = kept tokens before span j; keptRuns[numSpans] = kept tokens after the last span.
  const keptRuns = randomSegmentation(n - numToMask + numSpans + 1, numSpans + 1, rng).map((parts) => parts - 1);

  const input: NoisedToken[] = [];
  const removed: number[] = [];
  let pos = 0;
  for (let j = 0; j <= numSpans; j++) {
    for (let r = 0; r < keptRuns[j]; r++, pos++) input.push({ id: tokens[pos], source: pos, kind: 'kept' });
    if (j === numSpans) break;
    const covers = Array.from({ length: spanLengths[j] }, (_, r) => pos + r);
    input.push({ id: maskId, source: null, kind: 'mask', covers });
    removed.push(...covers);
    pos += spanLengths[j];
  }
  return makeNoisingResult(input, originalTokens(tokens), removed, n);
}

/**
 * Splits a token sequence into sentences, each ending after a token in
 * `endIds` (BART splits on full stops). Tokens after the last end form a
 * final sentence. Returns fresh arrays.
 */
export function splitSentences(tokens: readonly number[], endIds: ReadonlySet<number>): number[][] {
  const sentences: number[][] = [];
  let current: number[] = [];
  for (const t of tokens) {
    current.push(t);
    if (endIds.has(t)) {
      sentences.push(current);
      current = [];
    }
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}

export interface SentencePermutationResult extends NoisingResult {
  /** sentenceOrder[k] = index of the original sentence placed k-th. */
  sentenceOrder: number[];
}

/** Flat original index of the first token of each sentence. */
function sentenceStarts(doc: readonly (readonly number[])[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const sentence of doc) {
    starts.push(offset);
    offset += sentence.length;
  }
  return starts;
}

/**
 * Sentence permutation: the sentences in a uniformly random order (Fisher-Yates).
 * Tokens of a sentence that left its slot are 'moved'; the target is the
 * document in its original order.
 */
export function sentencePermutation(
  doc: readonly (readonly number[])[],
  opts: { rng: Rng },
): SentencePermutationResult {
  const sentenceOrder = shuffleInPlace(
    doc.map((_, s) => s),
    opts.rng,
  );
  const starts = sentenceStarts(doc);
  const input: NoisedToken[] = [];
  sentenceOrder.forEach((s, slot) => {
    doc[s].forEach((id, r) => input.push({ id, source: starts[s] + r, kind: s === slot ? 'kept' : 'moved' }));
  });
  const original = doc.flat();
  return { ...makeNoisingResult(input, originalTokens(original), [], original.length), sentenceOrder };
}

export interface DocumentRotationResult extends NoisingResult {
  /** Original index of the token the rotated document begins with. */
  start: number;
}

/**
 * Document rotation: a token is chosen uniformly and the document is rotated
 * to begin with it, so the model must find the true start. Every token is
 * 'moved' unless the chosen start is the first token.
 */
export function documentRotation(tokens: readonly number[], opts: { rng: Rng }): DocumentRotationResult {
  const n = tokens.length;
  const start = n === 0 ? 0 : randomInt(opts.rng, n);
  const input: NoisedToken[] = [];
  for (let k = 0; k < n; k++) {
    const source = (start + k) % n;
    input.push({ id: tokens[source], source, kind: start === 0 ? 'kept' : 'moved' });
  }
  return { ...makeNoisingResult(input, originalTokens(tokens), [], n), start };
}

/** BART's final configuration (section 5): infill 30% of tokens with Poisson(3) spans, and permute all sentences. */
export const BART_FINAL = { rate: 0.3, lambda: 3 } as const;

/**
 * BART's final noising: permute all sentences, then text-infill the permuted
 * document at 30% with Poisson(3) spans. The paper does not say in which order
 * the two are applied; permuting first lets spans run across the new sentence
 * boundaries, as masking "30% of the tokens in each document" would. Provenance
 * is mapped back through the permutation, so `source`, `covers` and `removed`
 * index the original document; a mask's `covers` then lists original indices in
 * permuted order, which is not ascending where its span crosses a boundary.
 */
export function bartFinal(
  doc: readonly (readonly number[])[],
  opts: { maskId: number; rng: Rng },
): SentencePermutationResult {
  const permuted = sentencePermutation(doc, { rng: opts.rng });
  // Position j of the permuted text holds original token originalOf[j], whose kind there is kindOf[j].
  const originalOf = permuted.inputTokens.map((t) => t.source as number);
  const kindOf = permuted.inputTokens.map((t) => t.kind);
  const infilled = textInfilling(permuted.input, { ...BART_FINAL, maskId: opts.maskId, rng: opts.rng });
  const input: NoisedToken[] = infilled.inputTokens.map((t) =>
    t.source === null
      ? { ...t, covers: (t.covers ?? []).map((j) => originalOf[j]) }
      : { ...t, source: originalOf[t.source], kind: kindOf[t.source] },
  );
  const removed = infilled.removed.map((j) => originalOf[j]).sort((a, b) => a - b);
  return {
    ...makeNoisingResult(input, permuted.targetTokens, removed, permuted.sourceLength),
    sentenceOrder: permuted.sentenceOrder,
  };
}
