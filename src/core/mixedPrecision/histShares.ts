/**
 * What a log2 histogram of gradients says about FP16, if every value were
 * multiplied by 2^shift: how many would round to 0, land on a subnormal, stay
 * normal or overflow. Multiplying by a power of two moves every value from
 * bucket k to bucket k + shift exactly, so one histogram answers every scale.
 *
 * Bucket edges are powers of two, and FP16's edges nearly are: values in
 * bucket -25, [2^-25, 2^-24), round up to 2^-24 except 2^-25 itself (a tie
 * that goes to 0); values in bucket 15, [2^15, 2^16), stay finite except those
 * in [65520, 65536). Both slivers are counted as representable.
 */

import type { Log2Histogram } from './fp16Sim';

export interface Fp16Shares {
  /** Finite nonzero values in the histogram (zeros and NaN/Infinity left out). */
  nonzero: number;
  /** Would round to 0: bucket <= -26 after the shift. */
  underflow: number;
  /** Below 2^-14 but not rounded to 0: buckets -25..-15 after the shift (the top few may round up to 2^-14). */
  subnormal: number;
  /** Normal FP16 numbers: buckets -14..15 after the shift. */
  normal: number;
  /** Would become Infinity: bucket >= 16 after the shift. */
  overflow: number;
  /** Values outside the histogram's range whose fate the shift leaves open (0 for |shift| up to 14). */
  unknown: number;
  /** underflow / nonzero (0 when nothing is nonzero). */
  underflowShare: number;
  /** overflow / nonzero (0 when nothing is nonzero). */
  overflowShare: number;
}

/** FP16 fate of every value of `h` multiplied by 2^shift (`shift` an integer, may be negative). */
export function fp16SharesAtShift(h: Log2Histogram, shift: number): Fp16Shares {
  if (!Number.isInteger(shift)) throw new Error(`shift must be an integer power of two exponent, got ${shift}`);
  let underflow = 0;
  let subnormal = 0;
  let normal = 0;
  let overflow = 0;
  let unknown = 0;
  h.counts.forEach((n, i) => {
    const k = h.min + i + shift;
    if (k <= -26) underflow += n;
    else if (k <= -15) subnormal += n;
    else if (k <= 15) normal += n;
    else overflow += n;
  });
  // `below` holds |v| < 2^min: after the shift, < 2^(min + shift). Certain underflow if that is <= 2^-25.
  if (h.min + shift <= -25) underflow += h.below;
  else unknown += h.below;
  // `above` holds |v| >= 2^(max + 1): certain overflow if 2^(max + 1 + shift) >= 2^16.
  if (h.max + 1 + shift >= 16) overflow += h.above;
  else unknown += h.above;
  const nonzero = underflow + subnormal + normal + overflow + unknown;
  return {
    nonzero,
    underflow,
    subnormal,
    normal,
    overflow,
    unknown,
    underflowShare: nonzero === 0 ? 0 : underflow / nonzero,
    overflowShare: nonzero === 0 ? 0 : overflow / nonzero,
  };
}

/** k when scale = 2^k exactly (k an integer), else null: only such scales shift a log2 histogram exactly. */
export function exactLog2(scale: number): number | null {
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  const k = Math.round(Math.log2(scale));
  return 2 ** k === scale ? k : null;
}
