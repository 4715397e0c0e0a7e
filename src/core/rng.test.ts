import { describe, expect, it } from 'vitest';
import { makeRng, randomInt, shuffleInPlace } from './rng';
import { chiSquare, chiSquareZ } from './testing';

const draw = (seed: number, n: number): number[] => {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => rng());
};

describe('makeRng', () => {
  it('replays the same stream for the same seed', () => {
    expect(draw(42, 1000)).toEqual(draw(42, 1000));
  });

  it('gives different streams for different seeds, including ones that share their low 32 bits', () => {
    const seeds = [0, 1, 2, -1, -2, 2 ** 32, 2 ** 32 + 1, 2 ** 32 - 1, -(2 ** 32), 2 ** 53 - 1, 123456789];
    const firsts = seeds.map((s) => draw(s, 4).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
    // Neighbouring small seeds must not give shifted or correlated copies of one stream.
    const a = draw(7, 200);
    const b = draw(8, 200);
    const shared = a.filter((x) => b.includes(x)).length;
    expect(shared).toBe(0);
  });

  it('gives 10,000 seeds 10,000 distinct first values', () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 10_000; s++) firsts.add(makeRng(s)());
    expect(firsts.size).toBe(10_000);
  });

  it('stays in [0, 1) with mean 1/2 and variance 1/12', () => {
    const n = 400_000;
    const rng = makeRng(2024);
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng();
      sum += u;
      sumSq += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = sum / n;
    // Standard error of the mean of U(0,1): sqrt(1/12 / n).
    expect(Math.abs(mean - 0.5) / Math.sqrt(1 / 12 / n)).toBeLessThan(5);
    const variance = sumSq / n - mean * mean;
    // Var of U^2 is 4/45, so the sample second moment has SE ~ sqrt(4/45/n).
    expect(Math.abs(variance - 1 / 12) / Math.sqrt(4 / 45 / n)).toBeLessThan(5);
  });

  it.each([0, 1, 99, -5, 2 ** 40])('passes a chi-square uniformity test over 100 bins (seed %s)', (seed) => {
    const bins = 100;
    const n = 200_000;
    const counts = new Float64Array(bins);
    const rng = makeRng(seed);
    for (let i = 0; i < n; i++) counts[Math.floor(rng() * bins)] += 1;
    const expected = new Float64Array(bins).fill(n / bins);
    expect(chiSquareZ(chiSquare(counts, expected), bins - 1)).toBeLessThan(5);
  });

  it('has independent consecutive draws (chi-square over 16x16 pairs, lag-1 correlation)', () => {
    const k = 16;
    const n = 200_000;
    const counts = new Float64Array(k * k);
    const rng = makeRng(31337);
    let prev = rng();
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const u = rng();
      counts[Math.floor(prev * k) * k + Math.floor(u * k)] += 1;
      sxy += (prev - 0.5) * (u - 0.5);
      prev = u;
    }
    const expected = new Float64Array(k * k).fill(n / (k * k));
    expect(chiSquareZ(chiSquare(counts, expected), k * k - 1)).toBeLessThan(5);
    // Correlation estimate has SE ~ 1/sqrt(n).
    const corr = sxy / n / (1 / 12);
    expect(Math.abs(corr) * Math.sqrt(n)).toBeLessThan(5);
  });

  it('rejects non-integer seeds instead of silently truncating them', () => {
    expect(() => makeRng(1.5)).toThrow(/integer/);
    expect(() => makeRng(Number.NaN)).toThrow(/integer/);
  });
});

describe('randomInt and shuffleInPlace', () => {
  it('draws uniform integers in [0, n)', () => {
    const n = 7;
    const draws = 70_000;
    const counts = new Float64Array(n);
    const rng = makeRng(5);
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const r = randomInt(rng, n);
      if (!(Number.isInteger(r) && r >= 0 && r < n)) outOfRange += 1;
      else counts[r] += 1;
    }
    expect(outOfRange).toBe(0);
    expect(chiSquareZ(chiSquare(counts, new Float64Array(n).fill(draws / n)), n - 1)).toBeLessThan(5);
    expect(() => randomInt(rng, 0)).toThrow();
  });

  it('shuffles to a uniformly random permutation', () => {
    // All 24 permutations of 4 items should be equally likely.
    const counts = new Map<string, number>();
    const rng = makeRng(77);
    const trials = 48_000;
    for (let i = 0; i < trials; i++) {
      const key = shuffleInPlace([0, 1, 2, 3], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const observed = [...counts.values()];
    const stat = chiSquare(observed, new Float64Array(24).fill(trials / 24));
    expect(chiSquareZ(stat, 23)).toBeLessThan(5);
  });
});
