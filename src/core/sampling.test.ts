import { describe, expect, it } from 'vitest';
import { makeRng } from './rng';
import { argmax, logSoftmax, sampleFromLogits, softmax } from './sampling';
import { chiSquare, chiSquareZ } from './testing';

describe('logSoftmax', () => {
  it('matches the naive formula on small logits', () => {
    const logits = [1, 2, 3, -1];
    const z = logits.reduce((s, x) => s + Math.exp(x), 0);
    const got = logSoftmax(logits);
    logits.forEach((x, i) => expect(got[i]).toBeCloseTo(x - Math.log(z), 14));
  });

  it('is stable for huge logits and handles -Infinity', () => {
    const got = logSoftmax(new Float32Array([1000, 1000, -Infinity]));
    expect(got[0]).toBeCloseTo(-Math.LN2, 14);
    expect(got[1]).toBeCloseTo(-Math.LN2, 14);
    expect(got[2]).toBe(-Infinity);
    const big = logSoftmax([-1e308, 1e308]);
    expect(big[1]).toBe(0);
  });

  it('rejects empty input', () => {
    expect(() => logSoftmax([])).toThrow(RangeError);
  });
});

describe('sampleFromLogits', () => {
  it('is argmax at temperature 0 (first on ties) and uses no randomness', () => {
    let calls = 0;
    const rng = () => {
      calls += 1;
      return 0.5;
    };
    expect(sampleFromLogits([0.1, 3, 3, -2], 0, rng)).toBe(1);
    expect(calls).toBe(0);
    expect(argmax([-Infinity, -5])).toBe(1);
  });

  it.each([0.5, 1, 2])('samples from softmax(logits / T) at T = %s (chi-square)', (temperature) => {
    const logits = [2, 1, 0.5, 0, -1, -Infinity];
    const probs = softmax(logits, temperature);
    const rng = makeRng(Math.round(temperature * 100));
    const n = 60_000;
    const counts = new Float64Array(logits.length);
    for (let i = 0; i < n; i++) counts[sampleFromLogits(logits, temperature, rng)] += 1;
    expect(counts[5]).toBe(0); // -Infinity is never drawn
    const expected = Array.from(probs.slice(0, 5), (p) => p * n);
    expect(chiSquareZ(chiSquare(counts.slice(0, 5), expected), 4)).toBeLessThan(5);
  });

  it('inverts the CDF with one draw, including u just below 1', () => {
    expect(sampleFromLogits([0, 0], 1, () => 0.49)).toBe(0);
    expect(sampleFromLogits([0, 0], 1, () => 0.51)).toBe(1);
    expect(sampleFromLogits([0, 0, -Infinity], 1, () => 1 - 2 ** -53)).toBe(1);
  });

  it('is stable for huge logits and rejects bad temperatures', () => {
    expect(sampleFromLogits([1e6, 1e6 - 1], 1, () => 0.5)).toBe(0);
    expect(() => sampleFromLogits([1, 2], -1, makeRng(1))).toThrow(RangeError);
    expect(() => sampleFromLogits([1, 2], Number.NaN, makeRng(1))).toThrow(RangeError);
  });
});
