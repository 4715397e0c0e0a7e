/**
 * Observed noise of a NoisingResult, for the UI to show next to the settings
 * that produced it (a 15% rate rarely corrupts exactly 15% of a short text).
 */

import type { NoisingResult } from './types';

export interface NoiseStats {
  sourceLength: number;
  /** Original tokens whose id the encoder does not see: removed, or replaced one-for-one by a mask or random id. */
  corrupted: number;
  /** corrupted / sourceLength (0 for an empty text): compare with the rate setting. */
  noiseFraction: number;
  /** Original tokens the encoder sees but out of place ('moved'). */
  moved: number;
  /** Masks or sentinels that cover no token (BART's zero-length spans). */
  insertions: number;
  /**
   * Length of each corrupted span: the `covers` length of each span mask or
   * sentinel in input order (0 for insertions), then the maximal runs of
   * consecutive original indices among the other corrupted tokens (deleted,
   * cut off, or replaced one-for-one), in index order.
   */
  spanLengths: number[];
  /** Mean of spanLengths; null when there are no spans. */
  meanSpanLength: number | null;
}

export function noiseStats(result: NoisingResult): NoiseStats {
  const covered = new Set<number>();
  const spanLengths: number[] = [];
  const uncoveredCorrupted = new Set<number>(result.removed);
  let moved = 0;
  let insertions = 0;
  for (const t of result.inputTokens) {
    if (t.covers !== undefined) {
      spanLengths.push(t.covers.length);
      if (t.covers.length === 0) insertions += 1;
      for (const j of t.covers) covered.add(j);
    } else if (t.source !== null && (t.kind === 'mask' || t.kind === 'random')) {
      uncoveredCorrupted.add(t.source);
    } else if (t.kind === 'moved') {
      moved += 1;
    }
  }
  for (const j of covered) uncoveredCorrupted.delete(j);
  const runs = [...uncoveredCorrupted].sort((a, b) => a - b);
  for (let r = 0; r < runs.length; r++) {
    if (r === 0 || runs[r] !== runs[r - 1] + 1) spanLengths.push(1);
    else spanLengths[spanLengths.length - 1] += 1;
  }
  const corrupted = covered.size + runs.length;
  const n = result.sourceLength;
  return {
    sourceLength: n,
    corrupted,
    noiseFraction: n === 0 ? 0 : corrupted / n,
    moved,
    insertions,
    spanLengths,
    meanSpanLength: spanLengths.length === 0 ? null : spanLengths.reduce((a, b) => a + b, 0) / spanLengths.length,
  };
}
