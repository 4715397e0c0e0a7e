/**
 * Simulated fp16 gradients on plain arrays: what happens to FP32 gradients
 * when they are multiplied by a loss scale and stored in fp16, and what
 * comes back after dividing by the scale in FP32 (the master-weight copy).
 * The simulation rounds each exact product g * scale once to fp16; real
 * backprop rounds at every layer, so this is the best case for precision.
 */

import { FP16_MIN_NORMAL, toFloat16 } from '../fp16';

/** Every value of `x` rounded to the nearest fp16 (ties to even; overflow gives +/-Infinity). */
export function roundToFp16Array(x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = toFloat16(x[i]); // fp16 values are exact in float32
  return out;
}

function checkScale(scale: number): void {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`loss scale must be finite and > 0, got ${scale}`);
}

/** x / scale in FP32 (how scaled fp16 gradients are turned back into master gradients). */
export function unscale(x: ArrayLike<number>, scale: number): Float32Array {
  checkScale(scale);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / scale;
  return out;
}

/** toFloat16(x * scale) for every element: the scaled gradients as fp16 would hold them. */
export function scaleToFp16(x: ArrayLike<number>, scale: number): Float32Array {
  checkScale(scale);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = toFloat16(x[i] * scale);
  return out;
}

export interface Fp16GradStats {
  total: number;
  /** Exactly zero before scaling (never counted as underflow). */
  zeros: number;
  /** Nonzero in FP32, +/-0 after scaling and rounding to fp16. */
  underflow: number;
  /** Finite in FP32, +/-Infinity after scaling and rounding to fp16. */
  overflow: number;
  /** Nonzero and still finite and nonzero in fp16 (subnormals included). */
  finite: number;
  /** The subset of `finite` that lands on an fp16 subnormal (below 2^-14: fewer than 11 significant bits). */
  subnormal: number;
  /** NaN or +/-Infinity already in the input. */
  nonFiniteInput: number;
  /** underflow / (number of finite nonzero inputs); 0 when there are none. */
  underflowFraction: number;
  /** overflow / (number of finite nonzero inputs); 0 when there are none. */
  overflowFraction: number;
  /** overflow > 0 or nonFiniteInput > 0: what a loss scaler checks before stepping. */
  foundNonFinite: boolean;
}

/** Classifies every gradient after multiplying by `scale` and rounding to fp16. */
export function fp16GradStats(grads: Float32Array | readonly number[], scale: number): Fp16GradStats {
  checkScale(scale);
  let zeros = 0;
  let underflow = 0;
  let overflow = 0;
  let finite = 0;
  let subnormal = 0;
  let nonFiniteInput = 0;
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (!Number.isFinite(g)) {
      nonFiniteInput++;
      continue;
    }
    if (g === 0) {
      zeros++;
      continue;
    }
    const h = toFloat16(g * scale);
    if (h === 0) underflow++;
    else if (!Number.isFinite(h)) overflow++;
    else {
      finite++;
      if (Math.abs(h) < FP16_MIN_NORMAL) subnormal++;
    }
  }
  const nonzero = underflow + overflow + finite;
  return {
    total: grads.length,
    zeros,
    underflow,
    overflow,
    finite,
    subnormal,
    nonFiniteInput,
    underflowFraction: nonzero === 0 ? 0 : underflow / nonzero,
    overflowFraction: nonzero === 0 ? 0 : overflow / nonzero,
    foundNonFinite: overflow > 0 || nonFiniteInput > 0,
  };
}

/** floor(log2(a)) for finite a > 0 (doubles, subnormal doubles included), exact at powers of two. */
export function floorLog2(a: number): number {
  if (!(a > 0) || !Number.isFinite(a)) throw new Error(`floorLog2 needs a finite positive number, got ${a}`);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return e;
}

/** Where fp16's range sits on a log2-magnitude axis (bucket k holds [2^k, 2^(k+1))). */
export const FP16_LOG2_MARKERS = {
  /** 2^-24: smallest subnormal; anything at or below 2^-25 rounds to 0. */
  minSubnormal: -24,
  /** 2^-14: smallest normal; below it precision drops bit by bit. */
  minNormal: -14,
  /** 65504 lies in bucket 15, [2^15, 2^16); 65520 and above overflow. */
  maxBucket: 15,
} as const;

export interface Log2Histogram {
  /** Exponent of the first bucket: counts[0] holds |v| in [2^min, 2^(min+1)). */
  min: number;
  /** Exponent of the last bucket. */
  max: number;
  /** counts[k - min] = number of values with floor(log2|v|) = k. */
  counts: number[];
  /** Values that are exactly +/-0. */
  zeros: number;
  /** Nonzero values with |v| < 2^min. */
  below: number;
  /** Finite values with |v| >= 2^(max+1). */
  above: number;
  /** NaN or +/-Infinity. */
  nonFinite: number;
}

/** Histogram of integer log2 magnitudes (sign ignored), with zeros and out-of-range values counted apart. */
export function histogramLog2(values: ArrayLike<number>, opts: { min?: number; max?: number } = {}): Log2Histogram {
  const min = opts.min ?? -40;
  const max = opts.max ?? 20;
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
    throw new Error(`histogramLog2 needs integer min <= max, got ${min}, ${max}`);
  }
  const counts = new Array<number>(max - min + 1).fill(0);
  let zeros = 0;
  let below = 0;
  let above = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) nonFinite++;
    else if (v === 0) zeros++;
    else {
      const k = floorLog2(Math.abs(v));
      if (k < min) below++;
      else if (k > max) above++;
      else counts[k - min]++;
    }
  }
  return { min, max, counts, zeros, below, above, nonFinite };
}
