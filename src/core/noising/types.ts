/**
 * One result shape for every noising function (BART's transformations and
 * T5's objectives), so the UI can draw any of them the same way: the ids the
 * encoder reads and the decoder must write, and beside each token where it
 * came from in the original text.
 *
 * Indices (`source`, `covers`, `removed`) point into the original token
 * sequence; for functions that take a document of sentences, into the
 * sentences concatenated in their original order.
 */

/**
 * What a token of a noised sequence is:
 * - kept:     an original token, unchanged and not reordered;
 * - moved:    an original token, unchanged, that the transformation reordered;
 * - mask:     the mask id, standing either for one original token (`source`
 *             set) or for a span of them (`covers` set, possibly empty);
 * - random:   a random id in place of one original token (`source` set);
 * - sentinel: a T5 sentinel standing for a span (`covers` set), or the one
 *             that closes a T5 target (neither set).
 */
export type NoisedKind = 'kept' | 'moved' | 'mask' | 'random' | 'sentinel';

export interface NoisedToken {
  readonly id: number;
  /** The original index this token stands for one-for-one; null for span masks and sentinels. */
  readonly source: number | null;
  readonly kind: NoisedKind;
  /**
   * Span masks and sentinels only: the original indices this one token
   * replaces, in the order they stood in the text it replaced. Empty for a
   * mask that was inserted without removing anything (BART's zero-length span).
   */
  readonly covers?: readonly number[];
}

export interface NoisingResult {
  /** Encoder input ids (same order as inputTokens). */
  input: number[];
  /** Decoder target ids (same order as targetTokens). */
  target: number[];
  inputTokens: NoisedToken[];
  targetTokens: NoisedToken[];
  /**
   * Original indices that have no token of their own in the input: deleted,
   * folded into a span mask or sentinel, or cut off (prefix LM), ascending.
   * Every original index is either the `source` of exactly one input token
   * or listed here once; tokens masked one-for-one keep their `source`.
   */
  removed: number[];
  /** Length of the original sequence (tokens of all sentences for a document). */
  sourceLength: number;
}

/** Builds a result, deriving the id arrays from the provenance so the two cannot disagree. */
export function makeNoisingResult(
  inputTokens: NoisedToken[],
  targetTokens: NoisedToken[],
  removed: number[],
  sourceLength: number,
): NoisingResult {
  return {
    input: inputTokens.map((t) => t.id),
    target: targetTokens.map((t) => t.id),
    inputTokens,
    targetTokens,
    removed,
    sourceLength,
  };
}

/** The original sequence as tokens of kind 'kept': BART's target, and T5's for BERT-style and deshuffling. */
export function originalTokens(tokens: readonly number[]): NoisedToken[] {
  return tokens.map((id, i) => ({ id, source: i, kind: 'kept' }));
}
