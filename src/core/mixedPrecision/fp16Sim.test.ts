import { describe, expect, it } from 'vitest';
import { FP16_MAX, FP16_MIN_NORMAL, FP16_MIN_SUBNORMAL, toFloat16 } from '../fp16';
import { makeRng } from '../rng';
import { loadFixture } from '../testing';
import {
  FP16_LOG2_MARKERS,
  floorLog2,
  fp16GradStats,
  histogramLog2,
  roundToFp16Array,
  scaleToFp16,
  unscale,
} from './fp16Sim';
import { lossScaleInit, lossScaleUpdate, type LossScaleConfig } from './lossScaling';

interface Fp16Golden {
  cases: { x: string; f16: string; bits: number }[];
}
const golden = loadFixture<Fp16Golden>('fp16_golden.json');

describe('roundToFp16Array and fp16GradStats against numpy.float16 (fp16_golden.json)', () => {
  it(`rounds all ${golden.cases.length} golden inputs to numpy's value, sign of zero included`, () => {
    const xs = golden.cases.map((c) => Number(c.x));
    const got = roundToFp16Array(xs);
    const bad = golden.cases.filter(
      (c, i) => !Object.is(got[i], Number(c.f16)) && !(Number.isNaN(got[i]) && c.f16 === 'NaN'),
    );
    expect(bad).toEqual([]);
  });

  it('classifies every golden input as numpy would (0 = underflow, Inf = overflow)', () => {
    for (const c of golden.cases) {
      const x = Number(c.x);
      const h = Number(c.f16);
      const s = fp16GradStats([x], 1);
      const want = !Number.isFinite(x)
        ? 'nonFiniteInput'
        : x === 0
          ? 'zeros'
          : h === 0
            ? 'underflow'
            : Number.isFinite(h)
              ? 'finite'
              : 'overflow';
      const got = (['nonFiniteInput', 'zeros', 'underflow', 'finite', 'overflow'] as const).filter((k) => s[k] === 1);
      expect(got, c.x).toEqual([want]);
    }
  });
});

describe('fp16GradStats at the fp16 boundaries', () => {
  it('keeps 2^-24 as the smallest subnormal and flushes 2^-25 (tie to even 0) and below', () => {
    expect(roundToFp16Array([2 ** -24])[0]).toBe(FP16_MIN_SUBNORMAL);
    const s = fp16GradStats(
      [2 ** -24, -(2 ** -24), 2 ** -25, -(2 ** -25), 2 ** -26, 1e-30, 2 ** -25 * (1 + 2 ** -23)],
      1,
    );
    expect(s).toMatchObject({ total: 7, underflow: 4, finite: 3, subnormal: 3, overflow: 0, zeros: 0 });
    expect(s.underflowFraction).toBe(4 / 7);
    expect(s.foundNonFinite).toBe(false);
  });

  it('keeps 65504, overflows 65520 (the tie rounds up to even 2^16), keeps 65519.99', () => {
    expect(Array.from(roundToFp16Array([65504, 65519.99, 65520, -65520]))).toEqual([
      FP16_MAX,
      FP16_MAX,
      Infinity,
      -Infinity,
    ]);
    const s = fp16GradStats([65504, 65519.99, 65520, -65520, 1e6], 1);
    expect(s).toMatchObject({ finite: 2, overflow: 3, underflow: 0, subnormal: 0 });
    expect(s.overflowFraction).toBe(3 / 5);
    expect(s.foundNonFinite).toBe(true);
    // Float32Array input: 65519.99 becomes 65519.9921875, still below the tie.
    expect(fp16GradStats(new Float32Array([65519.99]), 1).finite).toBe(1);
  });

  it('counts the subnormal range [2^-24, 2^-14) apart from normals', () => {
    const s = fp16GradStats([FP16_MIN_NORMAL, FP16_MIN_NORMAL * (1 - 2 ** -11), 3 * 2 ** -20], 1);
    // 2^-14 * (1 - 2^-11) rounds up to 2^-14 (ties to even): normal.
    expect(s).toMatchObject({ finite: 3, subnormal: 1 });
  });

  it('applies the scale before rounding: 2^-30 survives x2^6 but not x2^5; 1 overflows at x2^16', () => {
    expect(fp16GradStats([2 ** -30], 2 ** 6)).toMatchObject({ finite: 1, underflow: 0 });
    expect(fp16GradStats([2 ** -30], 2 ** 5)).toMatchObject({ finite: 0, underflow: 1 });
    expect(fp16GradStats([1], 2 ** 15)).toMatchObject({ finite: 1, overflow: 0, foundNonFinite: false });
    expect(fp16GradStats([1], 2 ** 16)).toMatchObject({ finite: 0, overflow: 1, foundNonFinite: true });
  });

  it('keeps zeros and non-finite inputs out of the underflow fraction', () => {
    const s = fp16GradStats([0, -0, NaN, Infinity, 1e-9, 1], 1);
    expect(s).toEqual({
      total: 6,
      zeros: 2,
      underflow: 1,
      overflow: 0,
      finite: 1,
      subnormal: 0,
      nonFiniteInput: 2,
      underflowFraction: 0.5,
      overflowFraction: 0,
      foundNonFinite: true,
    });
    expect(fp16GradStats([], 1).underflowFraction).toBe(0);
    expect(fp16GradStats([0, 0], 1).underflowFraction).toBe(0);
  });

  it('rejects a scale that is not finite and positive', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => fp16GradStats([1], bad)).toThrow();
      expect(() => unscale([1], bad)).toThrow();
      expect(() => scaleToFp16([1], bad)).toThrow();
    }
  });
});

describe('scaleToFp16 and unscale', () => {
  it('round-trips exactly for power-of-two scales inside the fp16 range', () => {
    const x = [2 ** -30, -3 * 2 ** -28, 0.1, -(2 ** -24), 0, 1];
    const k = 2 ** 10;
    const back = unscale(scaleToFp16(x, k), k);
    expect(Array.from(back)).toEqual(x.map((v) => toFloat16(v * k) / k));
    expect(back[0]).toBe(2 ** -30); // would be 0 without scaling
    expect(roundToFp16Array([2 ** -30])[0]).toBe(0);
  });

  it('unscale divides in float32', () => {
    expect(unscale([1], 3)[0]).toBe(Math.fround(1 / 3));
    expect(unscale([Infinity, -Infinity], 4)).toEqual(new Float32Array([Infinity, -Infinity]));
  });
});

describe('property: a power-of-two loss scale never adds underflows below the overflow limit', () => {
  // Gradient-like magnitudes from 2^-40 to 2^0, stored as float32.
  const rng = makeRng(2018);
  const grads = Array.from({ length: 4000 }, () => Math.fround((rng() < 0.5 ? -1 : 1) * 2 ** (-40 + 40 * rng())));
  const maxAbs = Math.max(...grads.map(Math.abs));

  it('underflow counts are non-increasing in k, and no unscaled value gets less accurate', () => {
    let prevUnder = Infinity;
    let prevErr: number[] | null = null;
    const unders: number[] = [];
    for (let k = 0; maxAbs * 2 ** k <= 2 ** 14; k++) {
      const s = fp16GradStats(grads, 2 ** k);
      expect(s.overflow).toBe(0);
      expect(s.underflow, `k=${k}`).toBeLessThanOrEqual(prevUnder);
      const back = unscale(scaleToFp16(grads, 2 ** k), 2 ** k);
      const zerosAfter = back.filter((v) => v === 0).length;
      expect(zerosAfter).toBe(s.underflow);
      const err = grads.map((g, i) => Math.abs(back[i] - g));
      if (prevErr) {
        const worse = err.flatMap((e, i) => (e > prevErr![i] ? [`k=${k} g=${grads[i]}`] : []));
        expect(worse).toEqual([]);
      }
      prevErr = err;
      prevUnder = s.underflow;
      unders.push(s.underflow);
    }
    expect(unders.length).toBe(15); // k = 0..14
    expect(unders[0]).toBeGreaterThan(unders[14]); // scaling does rescue gradients here
    // Sanity on the magnitudes: anything below 2^-25 underflows unscaled.
    expect(unders[0]).toBe(grads.filter((g) => Math.abs(g) <= 2 ** -25).length);
  });

  it('past the limit the same scaling overflows: the reason the scale must also back off', () => {
    expect(fp16GradStats(grads, 2 ** 20).overflow).toBeGreaterThan(0);
  });
});

describe('loss scaler driven by fp16GradStats', () => {
  it('settles between 2^14 and 2^15 when the largest gradient is 3', () => {
    const cfg: LossScaleConfig = {
      kind: 'dynamic',
      initScale: 2 ** 15,
      growthFactor: 2,
      backoffFactor: 0.5,
      growthInterval: 5,
      minScale: 1,
      maxScale: 2 ** 24,
    };
    const grads = new Float32Array([3, -1e-3, 1e-7, 0]);
    let s = lossScaleInit(cfg);
    const skips: number[] = [];
    for (let step = 0; step < 60; step++) {
      const r = lossScaleUpdate(s, fp16GradStats(grads, s.scale).foundNonFinite, cfg);
      if (r.skip) skips.push(step);
      expect([2 ** 14, 2 ** 15]).toContain(r.state.scale);
      s = r.state;
    }
    // 3 * 2^15 = 98304 overflows, 3 * 2^14 = 49152 does not: skip at step 0, then every 6th step.
    expect(skips).toEqual([0, 6, 12, 18, 24, 30, 36, 42, 48, 54]);
    expect(s.skipped).toBe(10);
  });
});

describe('histogramLog2', () => {
  it('buckets integer log2 magnitudes, sign ignored, with zeros and out-of-range apart', () => {
    const h = histogramLog2([
      1,
      -1,
      1.999,
      0.75,
      2 ** -24,
      65504,
      65520,
      0,
      -0,
      2 ** -41,
      2 ** -40,
      2 ** 21,
      2 ** 21 - 1,
      Infinity,
      NaN,
      5e-324,
    ]);
    expect([h.min, h.max, h.counts.length]).toEqual([-40, 20, 61]);
    const at = (k: number) => h.counts[k - h.min];
    expect(at(0)).toBe(3);
    expect(at(-1)).toBe(1);
    expect(at(-24)).toBe(1);
    expect(at(15)).toBe(2); // 65504 and 65520 (raw values, not rounded)
    expect(at(-40)).toBe(1);
    expect(at(20)).toBe(1); // 2^21 - 1
    expect(h.zeros).toBe(2);
    expect(h.below).toBe(2); // 2^-41 and the smallest double
    expect(h.above).toBe(1);
    expect(h.nonFinite).toBe(2);
    expect(h.counts.reduce((a, b) => a + b, 0) + h.zeros + h.below + h.above + h.nonFinite).toBe(16);
  });

  it('takes a custom range and rejects a bad one', () => {
    const h = histogramLog2(new Float32Array([0.5, 2, 4]), { min: -1, max: 1 });
    expect(h.counts).toEqual([1, 0, 1]);
    expect(h.above).toBe(1);
    expect(() => histogramLog2([1], { min: 2, max: 1 })).toThrow();
    expect(() => histogramLog2([1], { min: 0.5, max: 1 })).toThrow();
  });

  it('marks where fp16 lives on the axis', () => {
    expect(floorLog2(FP16_MIN_SUBNORMAL)).toBe(FP16_LOG2_MARKERS.minSubnormal);
    expect(floorLog2(FP16_MIN_NORMAL)).toBe(FP16_LOG2_MARKERS.minNormal);
    expect(floorLog2(FP16_MAX)).toBe(FP16_LOG2_MARKERS.maxBucket);
  });
});

describe('floorLog2', () => {
  it('is exact at and just below every power of two a double can hold', () => {
    for (let k = -1074; k <= 1023; k++) {
      expect(floorLog2(2 ** k)).toBe(k);
      if (k > -1022) expect(floorLog2(2 ** k * (1 - 2 ** -53)), `2^${k}-`).toBe(k - 1);
    }
    expect(floorLog2(Number.MAX_VALUE)).toBe(1023);
    expect(() => floorLog2(0)).toThrow();
    expect(() => floorLog2(-1)).toThrow();
    expect(() => floorLog2(Infinity)).toThrow();
  });
});
