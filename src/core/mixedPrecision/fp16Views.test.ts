import { describe, expect, it } from 'vitest';
import { toFloat16 } from '../fp16';
import { loadFixture } from '../testing';
import { histogramLog2 } from './fp16Sim';
import { exactLog2, float16Fields, float32Fields, fp16Region, fp16RoundingError, fp16SharesAtShift } from './fp16Views';

interface BitsGolden {
  cases: { x: string; f32: number; f16: number; h: string }[];
}
const golden = loadFixture<BitsGolden>('fp16_bits_golden.json');
/** Python's repr of a float back to a number ('inf', '-inf' and 'nan' included). */
const py = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s));

describe('float32Fields and float16Fields against numpy (scripts/golden/fp16_golden.py)', () => {
  it(`give numpy's FP32 pattern for all ${golden.cases.length} inputs`, () => {
    const bad = golden.cases.filter((c) => float32Fields(py(c.x)).bits !== c.f32).map((c) => c.x);
    expect(bad).toEqual([]);
  });

  it("give numpy's FP16 pattern and value, sign of zero included", () => {
    const bad = golden.cases
      .filter((c) => {
        const f = float16Fields(py(c.x));
        const want = py(c.h);
        return f.bits !== c.f16 || !(Object.is(f.value, want) || (Number.isNaN(want) && Number.isNaN(f.value)));
      })
      .map((c) => c.x);
    expect(bad).toEqual([]);
  });

  it('the golden set covers subnormals, the 2^-25 tie, overflow, -0 and NaN', () => {
    const xs = golden.cases.map((c) => c.x);
    for (const x of ['-0.0', 'nan', 'inf', '65520.0', '65519.99', '2.9802322387695312e-08', '5.960464477539063e-08']) {
      expect(xs, x).toContain(x);
    }
    expect(golden.cases.length).toBeGreaterThan(300);
  });
});

describe('bit field strings', () => {
  it('split 1.0, -2.5 and 2^-24 into sign, exponent and mantissa', () => {
    expect(float16Fields(1)).toEqual({ bits: 0x3c00, sign: '0', exponent: '01111', mantissa: '0000000000', value: 1 });
    expect(float16Fields(-2.5)).toMatchObject({ sign: '1', exponent: '10000', mantissa: '0100000000', value: -2.5 });
    expect(float16Fields(2 ** -24)).toMatchObject({ exponent: '00000', mantissa: '0000000001' });
    expect(float32Fields(1)).toMatchObject({ sign: '0', exponent: '01111111', mantissa: '0'.repeat(23) });
    expect(float32Fields(-0)).toMatchObject({ bits: 0x80000000, sign: '1' });
    expect(float32Fields(NaN)).toMatchObject({ bits: 0x7fc00000, exponent: '11111111' });
    expect(float32Fields(0.1).value).toBe(Math.fround(0.1));
    expect(float16Fields(70000)).toMatchObject({ exponent: '11111', mantissa: '0000000000', value: Infinity });
  });
});

describe('fp16Region', () => {
  it('puts the edges where FP16 puts them', () => {
    expect(fp16Region(0)).toBe('zero');
    expect(fp16Region(1e-8)).toBe('zero'); // below 2^-25 ~ 2.98e-8
    expect(fp16Region(2 ** -25)).toBe('zero'); // the tie goes to even 0
    expect(fp16Region(2 ** -25 * 1.01)).toBe('subnormal');
    expect(fp16Region(1e-7)).toBe('subnormal');
    expect(fp16Region(2 ** -14 * (1 - 2 ** -12))).toBe('normal'); // rounds up to 2^-14
    expect(fp16Region(-3)).toBe('normal');
    expect(fp16Region(65504)).toBe('normal');
    expect(fp16Region(65519.99)).toBe('normal');
    expect(fp16Region(65520)).toBe('overflow');
    expect(fp16Region(-Infinity)).toBe('overflow');
    expect(fp16Region(NaN)).toBe('nan');
  });
});

describe('fp16RoundingError', () => {
  it('is exact where FP16 is, and 1/3 rounds with relative error under 2^-11', () => {
    expect(fp16RoundingError(3)).toEqual({ abs: 0, rel: 0 });
    const e = fp16RoundingError(1 / 3);
    expect(e.abs).toBeCloseTo(Math.abs(toFloat16(1 / 3) - 1 / 3), 15);
    expect(e.rel!).toBeGreaterThan(0);
    expect(e.rel!).toBeLessThanOrEqual(2 ** -11);
    expect(fp16RoundingError(1e-8)).toEqual({ abs: 1e-8, rel: 1 }); // all of it lost
    expect(fp16RoundingError(0)).toEqual({ abs: 0, rel: null });
    expect(fp16RoundingError(70000)).toEqual({ abs: null, rel: null });
    expect(fp16RoundingError(NaN)).toEqual({ abs: null, rel: null });
  });
});

describe('fp16SharesAtShift', () => {
  // 2^-30 (underflows), 2^-20 (subnormal), 2^-3 (normal), 2^15 (normal), 2^17 (overflows), zeros and NaN left out.
  const h = histogramLog2([2 ** -30, -(2 ** -20), 0.125, 2 ** 15, 2 ** 17, 0, NaN]);

  it('classifies the buckets as they are (shift 0)', () => {
    expect(fp16SharesAtShift(h, 0)).toEqual({
      nonzero: 5,
      underflow: 1,
      subnormal: 1,
      normal: 2,
      overflow: 1,
      unknown: 0,
      underflowShare: 0.2,
      overflowShare: 0.2,
    });
  });

  it('a scale of 2^6 rescues 2^-30 (to 2^-24) and 2^-20 (to 2^-14) but overflows 2^15', () => {
    expect(fp16SharesAtShift(h, 6)).toMatchObject({ underflow: 0, subnormal: 1, normal: 2, overflow: 2 });
    expect(fp16SharesAtShift(h, 4)).toMatchObject({ underflow: 1, subnormal: 1 }); // 2^-26 rounds to 0
    // The documented sliver: exactly 2^-25 ties to 0 but its bucket counts as representable.
    expect(fp16SharesAtShift(h, 5)).toMatchObject({ underflow: 0, subnormal: 2 });
    expect(fp16SharesAtShift(h, -2)).toMatchObject({ overflow: 0, normal: 3 }); // 2^17 -> 2^15
  });

  it('agrees with fp16GradStats-style rounding on random values at every power-of-two scale', () => {
    const vals: number[] = [];
    for (let i = 0; i < 600; i++) vals.push(2 ** (-38 + (57 * ((i * 7919) % 600)) / 600) * (1 + ((i * 31) % 97) / 200));
    let checked = 0;
    for (let s = -10; s <= 24; s++) {
      // Buckets -25 and 15 count as representable: leave out the exact 2^-25 tie and [65520, 65536).
      const safe = vals.filter((v) => {
        const y = v * 2 ** s;
        return y !== 2 ** -25 && !(y >= 65520 && y < 65536);
      });
      checked += safe.length;
      const r = fp16SharesAtShift(histogramLog2(safe), s);
      const rounded = safe.map((v) => toFloat16(v * 2 ** s));
      expect(r.nonzero).toBe(safe.length);
      expect(r.underflow, `s=${s}`).toBe(rounded.filter((x) => x === 0).length);
      expect(r.overflow, `s=${s}`).toBe(rounded.filter((x) => !Number.isFinite(x)).length);
      // Subnormal means below 2^-14 before rounding (a value just under it may round up to 2^-14).
      expect(r.subnormal, `s=${s}`).toBe(safe.filter((v, i) => rounded[i] !== 0 && v * 2 ** s < 2 ** -14).length);
      expect(r.unknown).toBe(0);
    }
    expect(checked).toBeGreaterThan(35 * 590); // the exclusions are rare
  });

  it('counts values outside the histogram as certain only when the shift decides them', () => {
    const out = histogramLog2([2 ** -45, 2 ** 22], { min: -40, max: 20 });
    expect([out.below, out.above]).toEqual([1, 1]);
    expect(fp16SharesAtShift(out, 0)).toMatchObject({ underflow: 1, overflow: 1, unknown: 0 });
    expect(fp16SharesAtShift(out, 16)).toMatchObject({ underflow: 0, overflow: 1, unknown: 1 });
    expect(fp16SharesAtShift(out, -6)).toMatchObject({ underflow: 1, overflow: 0, unknown: 1 });
    expect(fp16SharesAtShift(histogramLog2([0, 0]), 3)).toMatchObject({
      nonzero: 0,
      underflowShare: 0,
      overflowShare: 0,
    });
    expect(() => fp16SharesAtShift(out, 0.5)).toThrow();
  });
});

describe('exactLog2', () => {
  it('recognises powers of two and nothing else', () => {
    expect([1, 2 ** 15, 2 ** -3, 2 ** 24].map(exactLog2)).toEqual([0, 15, -3, 24]);
    expect([3, 0, -4, NaN, Infinity, 1.5].map(exactLog2)).toEqual([null, null, null, null, null, null]);
  });
});
