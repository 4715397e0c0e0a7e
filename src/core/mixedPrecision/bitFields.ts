/**
 * What the FP16 explorer shows for one number: the sign, exponent and
 * mantissa fields of its FP32 and FP16 patterns, the value FP16 holds, the
 * rounding error and the FP16 region it lands in.
 */

import { FP16_MIN_NORMAL, float16Bits, fromFloat16Bits, toFloat16 } from '../fp16';

/** An IEEE 754 pattern split into its fields, each as a string of '0' and '1' (most significant bit first). */
export interface BitFields {
  /** The whole pattern as an unsigned integer. */
  bits: number;
  sign: string;
  exponent: string;
  mantissa: string;
  /** The value the pattern holds. */
  value: number;
}

function split(bits: number, expBits: number, manBits: number): Omit<BitFields, 'value'> {
  const all = bits.toString(2).padStart(1 + expBits + manBits, '0');
  return { bits, sign: all[0], exponent: all.slice(1, 1 + expBits), mantissa: all.slice(1 + expBits) };
}

/** x rounded to float32 (ties to even), as 1 sign, 8 exponent and 23 mantissa bits; NaN gives 0x7fc00000. */
export function float32Fields(x: number): BitFields {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  // Engines may keep a NaN's payload: write the canonical quiet NaN numpy prints.
  const bits = Number.isNaN(x) ? 0x7fc00000 : view.getUint32(0);
  return { ...split(bits, 8, 23), value: Math.fround(x) };
}

/** x rounded directly to binary16 (toFloat16), as 1 sign, 5 exponent and 10 mantissa bits; NaN gives 0x7e00. */
export function float16Fields(x: number): BitFields {
  const bits = float16Bits(x);
  return { ...split(bits, 5, 10), value: fromFloat16Bits(bits) };
}

/**
 * Where x lands in FP16: 'zero' (exactly 0, or so small that it rounds to
 * 0: |x| <= 2^-25), 'subnormal' (rounds into [2^-24, 2^-14), fewer significant
 * bits), 'normal' (up to 65504), 'overflow' (|x| >= 65520 or infinite), 'nan'.
 */
export type Fp16Region = 'zero' | 'subnormal' | 'normal' | 'overflow' | 'nan';

export function fp16Region(x: number): Fp16Region {
  const h = toFloat16(x);
  if (Number.isNaN(h)) return 'nan';
  if (h === 0) return 'zero';
  if (!Number.isFinite(h)) return 'overflow';
  return Math.abs(h) < FP16_MIN_NORMAL ? 'subnormal' : 'normal';
}

/**
 * |toFloat16(x) - x| and that over |x|. null where it means nothing: for NaN,
 * for an overflow (FP16 holds no finite value) and, for the relative error, at x = 0.
 */
export function fp16RoundingError(x: number): { abs: number | null; rel: number | null } {
  const h = toFloat16(x);
  if (!Number.isFinite(h) || !Number.isFinite(x)) return { abs: null, rel: null };
  const abs = Math.abs(h - x);
  return { abs, rel: x === 0 ? null : abs / Math.abs(x) };
}
