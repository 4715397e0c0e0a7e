/**
 * IEEE 754 binary16 ("fp16", "half") rounding, to show what mixed-precision
 * training loses: 10 mantissa bits, and anything below 2^-24 becomes 0.
 * Pure arithmetic on doubles (no Float16Array, which Node 20 lacks).
 */

/** Largest finite fp16 value, 2^15 * (2 - 2^-10). */
export const FP16_MAX = 65504;
/** Smallest positive normal fp16 value. */
export const FP16_MIN_NORMAL = 2 ** -14;
/** Smallest positive subnormal fp16 value. */
export const FP16_MIN_SUBNORMAL = 2 ** -24;
/** Gap between 1 and the next fp16 value. */
export const FP16_EPSILON = 2 ** -10;

/**
 * Halfway between FP16_MAX and the next step 2^16: with ties-to-even, the
 * tie itself rounds up (65504's mantissa is odd), so >= this overflows.
 */
const OVERFLOW_THRESHOLD = 65520;

/** Round half to even for a non-negative double (exact for values < 2^52). */
function roundHalfEven(y: number): number {
  const f = Math.floor(y);
  const d = y - f; // exact: y and f share an exponent range
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** floor(log2(a)) for finite a > 0, corrected where Math.log2 rounds across a power of two. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return e;
}

/**
 * The nearest binary16 value to `x` (round to nearest, ties to even), as a
 * double. Subnormals are kept, |x| >= 65520 overflows to +/-Infinity, NaN
 * stays NaN and the sign of zero is kept (tiny negatives give -0, like numpy).
 * Rounding happens once, directly from the double, so there is no double
 * rounding through float32.
 */
export function toFloat16(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= OVERFLOW_THRESHOLD) return x > 0 ? Infinity : -Infinity;
  // Spacing of fp16 values around a: 2^(e - 10) for normals, fixed 2^-24 below 2^-14.
  const e = Math.max(exponentOf(a), -14);
  const quantum = 2 ** (e - 10);
  // Dividing by a power of two is exact, so the only rounding is roundHalfEven's.
  // A carry into the next binade (e.g. 2047.5 -> 2048 quanta) is still exact.
  const r = roundHalfEven(a / quantum) * quantum;
  return x > 0 ? r : -r;
}

/** The 16-bit pattern (sign | 5 exponent bits | 10 mantissa bits) of toFloat16(x); NaN -> 0x7e00. */
export function float16Bits(x: number): number {
  const h = toFloat16(x);
  if (Number.isNaN(h)) return 0x7e00;
  const sign = h < 0 || Object.is(h, -0) ? 0x8000 : 0;
  const a = Math.abs(h);
  if (a === Infinity) return sign | 0x7c00;
  if (a < FP16_MIN_NORMAL) return sign | (a / FP16_MIN_SUBNORMAL); // subnormal or zero: exponent field 0
  const e = exponentOf(a);
  const mantissa = a / 2 ** e - 1; // in [0, 1), a multiple of 2^-10
  return sign | ((e + 15) << 10) | (mantissa * 1024);
}

/** The value of a 16-bit binary16 pattern. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * FP16_MIN_SUBNORMAL;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
