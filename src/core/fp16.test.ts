import { describe, expect, it } from 'vitest';
import { FP16_MAX, FP16_MIN_SUBNORMAL, float16Bits, fromFloat16Bits, toFloat16 } from './fp16';
import { loadFixture } from './testing';

interface Fp16Golden {
  cases: { x: string; f16: string; bits: number }[];
}

const golden = loadFixture<Fp16Golden>('fp16_golden.json');

describe('toFloat16 against numpy.float16 (scripts/golden/make_golden.py)', () => {
  it(`matches all ${golden.cases.length} golden values bit for bit, sign of zero included`, () => {
    const mismatches: string[] = [];
    for (const c of golden.cases) {
      const x = Number(c.x);
      const got = toFloat16(x);
      if (!Object.is(got, Number(c.f16)) || float16Bits(x) !== c.bits) {
        mismatches.push(`${c.x}: got ${got} (bits ${float16Bits(x)}), want ${c.f16} (bits ${c.bits})`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('toFloat16 edge cases', () => {
  it('overflows at 65520, the tie above the largest finite value', () => {
    expect(toFloat16(65504)).toBe(FP16_MAX);
    expect(toFloat16(65519.99)).toBe(65504);
    expect(toFloat16(65520)).toBe(Infinity);
    expect(toFloat16(-65520)).toBe(-Infinity);
  });

  it('keeps subnormals down to 2^-24 and flushes below 2^-25 (the tie goes to even 0)', () => {
    expect(toFloat16(2 ** -24)).toBe(FP16_MIN_SUBNORMAL);
    expect(toFloat16(2 ** -25)).toBe(0);
    expect(toFloat16(2 ** -25 * 1.0000001)).toBe(2 ** -24);
    expect(Object.is(toFloat16(-(2 ** -26)), -0)).toBe(true);
    expect(toFloat16(3 * 2 ** -25)).toBe(2 ** -23); // 1.5 quanta: tie to even 2
  });

  it('rounds ties to even and keeps NaN and signed zero', () => {
    expect(toFloat16(1 + 2 ** -11)).toBe(1);
    expect(toFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(toFloat16(2049)).toBe(2048);
    expect(toFloat16(2051)).toBe(2052);
    expect(toFloat16(Number.NaN)).toBeNaN();
    expect(Object.is(toFloat16(-0), -0)).toBe(true);
  });

  it('is the identity on every finite fp16 value, and the bit helpers invert each other', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = fromFloat16Bits(bits);
      if (Number.isNaN(v)) continue;
      if (!Object.is(toFloat16(v), v) || float16Bits(v) !== bits) {
        throw new Error(`bits 0x${bits.toString(16)} (${v}) does not round-trip`);
      }
    }
    expect(fromFloat16Bits(0x7c01)).toBeNaN();
  });
});
