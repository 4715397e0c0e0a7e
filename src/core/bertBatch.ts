/**
 * Turns BERT sequences into one padded training batch: the masking function
 * applied row by row, then everything flattened to the arrays the model's
 * tensors are made from. Row-major [rows, T] throughout.
 */

import { bertMask, type BertMaskKind } from './bertMask';
import type { Rng } from './rng';

export interface BertRow {
  /** [CLS] ... [SEP], at most T long. */
  ids: readonly number[];
  segments: readonly number[];
  /** 1 = IsNext, 0 = NotNext; ignored when the batch has no NSP. */
  label: number;
}

export interface BertBatchOptions {
  /** Padded length of every row. */
  T: number;
  padId: number;
  maskId: number;
  vocabSize: number;
  /** Never selected nor drawn as random words: [CLS], [SEP], [PAD]. */
  protectedIds: ReadonlySet<number>;
  selectRate: number;
  maskProb: number;
  randomProb: number;
  /** The rng the masking function uses for row r (static masking: one per sequence). */
  rngFor: (row: number) => Rng;
  nsp: boolean;
}

export interface BertBatch {
  rows: number;
  T: number;
  /** The noised input x~: [rows * T]. */
  ids: Int32Array;
  segments: Int32Array;
  /** Real tokens per row: [rows]. */
  lengths: Int32Array;
  /** Flat index r * T + t of every selected position: [M]. */
  maskedRows: Int32Array;
  /** The original token there: [M]. */
  maskedTargets: Int32Array;
  /** [rows], or null without NSP. */
  nspLabels: Int32Array | null;
  /** What the masking function did at each position, row by row (for display). */
  kinds: (BertMaskKind | null)[][];
}

export function buildBertBatch(sequences: readonly BertRow[], opts: BertBatchOptions): BertBatch {
  const { T, padId } = opts;
  const rows = sequences.length;
  if (rows === 0) throw new RangeError('buildBertBatch: no sequences');
  const ids = new Int32Array(rows * T).fill(padId);
  const segments = new Int32Array(rows * T);
  const lengths = new Int32Array(rows);
  const maskedRows: number[] = [];
  const maskedTargets: number[] = [];
  const kinds: (BertMaskKind | null)[][] = [];
  sequences.forEach((seq, r) => {
    if (seq.ids.length > T)
      throw new RangeError(`buildBertBatch: row ${r} has ${seq.ids.length} tokens, more than T = ${T}`);
    if (seq.segments.length !== seq.ids.length)
      throw new RangeError(
        `buildBertBatch: row ${r} has ${seq.segments.length} segment ids for ${seq.ids.length} tokens`,
      );
    const m = bertMask(seq.ids, {
      maskId: opts.maskId,
      vocabSize: opts.vocabSize,
      rng: opts.rngFor(r),
      selectRate: opts.selectRate,
      maskProb: opts.maskProb,
      randomProb: opts.randomProb,
      protectedIds: opts.protectedIds,
    });
    ids.set(m.input, r * T);
    segments.set(seq.segments, r * T);
    lengths[r] = seq.ids.length;
    m.targets.forEach((target, t) => {
      if (target === null) return;
      maskedRows.push(r * T + t);
      maskedTargets.push(target);
    });
    kinds.push(m.kinds);
  });
  return {
    rows,
    T,
    ids,
    segments,
    lengths,
    maskedRows: Int32Array.from(maskedRows),
    maskedTargets: Int32Array.from(maskedTargets),
    nspLabels: opts.nsp ? Int32Array.from(sequences, (s) => s.label) : null,
    kinds,
  };
}

/**
 * The unmasked batch used to measure distribution shift: the original tokens
 * as input, and every real non-protected position as a target for its own
 * token ("can the model read off the word it is given?").
 */
export function ownTokenBatch(
  sequences: readonly BertRow[],
  T: number,
  padId: number,
  protectedIds: ReadonlySet<number>,
): BertBatch {
  const rows = sequences.length;
  const ids = new Int32Array(rows * T).fill(padId);
  const segments = new Int32Array(rows * T);
  const lengths = new Int32Array(rows);
  const maskedRows: number[] = [];
  const maskedTargets: number[] = [];
  sequences.forEach((seq, r) => {
    ids.set(seq.ids, r * T);
    segments.set(seq.segments, r * T);
    lengths[r] = seq.ids.length;
    seq.ids.forEach((id, t) => {
      if (protectedIds.has(id)) return;
      maskedRows.push(r * T + t);
      maskedTargets.push(id);
    });
  });
  return {
    rows,
    T,
    ids,
    segments,
    lengths,
    maskedRows: Int32Array.from(maskedRows),
    maskedTargets: Int32Array.from(maskedTargets),
    nspLabels: null,
    kinds: sequences.map((s) => s.ids.map(() => null)),
  };
}
