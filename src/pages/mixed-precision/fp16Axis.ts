// The log2-magnitude axis both FP16 pictures use (the number line and the gradient histogram).
import { FP16_LOG2_MARKERS, FP16_MAX } from '../../core';

export type BandId = 'zero' | 'subnormal' | 'normal' | 'overflow';

/**
 * FP16's regions on a log2 |x| axis. Values up to 2^-25 round to 0; from
 * there to 2^-14 they land on subnormals; normals reach 65504, and from the
 * tie 65520 (log2 = 15.9996) on, everything overflows.
 */
export const FP16_BANDS: readonly { id: BandId; label: string; from: number; to: number }[] = [
  { id: 'zero', label: 'becomes 0', from: -Infinity, to: FP16_LOG2_MARKERS.minSubnormal - 1 },
  { id: 'subnormal', label: 'subnormal', from: FP16_LOG2_MARKERS.minSubnormal - 1, to: FP16_LOG2_MARKERS.minNormal },
  { id: 'normal', label: 'normal', from: FP16_LOG2_MARKERS.minNormal, to: Math.log2((FP16_MAX + 2 ** 16) / 2) },
  { id: 'overflow', label: 'overflow', from: Math.log2((FP16_MAX + 2 ** 16) / 2), to: Infinity },
];

export const BAND_COLORS: Record<BandId, string> = {
  zero: 'var(--kind-random)',
  subnormal: 'var(--kind-mask)',
  normal: 'var(--kind-keep)',
  overflow: 'var(--kind-random)',
};

/** Maps log2 values in [lo, hi] to pixels in [left, right]; outside values are clamped to the ends. */
export function log2Scale(lo: number, hi: number, left: number, right: number): (v: number) => number {
  return (v) => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (right - left);
}

/**
 * Where a typed value sits on the number line: log2 |x|, clamped into
 * [lo, hi] with a flag when it was (0 goes to the left end, Infinity to the
 * right). null for NaN, which has no place on it.
 */
export function markerPosition(x: number, lo: number, hi: number): { log2: number; clamped: boolean } | null {
  if (Number.isNaN(x)) return null;
  const a = Math.abs(x);
  if (a === 0) return { log2: lo, clamped: true };
  if (a === Infinity) return { log2: hi, clamped: true };
  const l = Math.log2(a);
  if (l < lo) return { log2: lo, clamped: true };
  if (l > hi) return { log2: hi, clamped: true };
  return { log2: l, clamped: false };
}
