import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { chiSquare, chiSquareZ } from '../testing';
import { poisson } from './poisson';

function pmf(lambda: number, k: number): number {
  let p = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) p *= lambda / i;
  return p;
}

describe('poisson', () => {
  // For Poisson(lambda): Var(mean of N) = lambda / N; Var(sample variance) ~ (lambda + 2 lambda^2) / N.
  it.each([0.5, 3, 45])('has mean and variance lambda = %s, within 5 standard errors', (lambda) => {
    const rng = makeRng(17);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    let invalid = 0;
    for (let i = 0; i < n; i++) {
      const k = poisson(lambda, rng);
      if (!(Number.isInteger(k) && k >= 0)) invalid += 1;
      sum += k;
      sumSq += k * k;
    }
    const mean = sum / n;
    const variance = (sumSq - n * mean * mean) / (n - 1);
    expect(invalid).toBe(0);
    expect(Math.abs(mean - lambda) / Math.sqrt(lambda / n)).toBeLessThan(5);
    expect(Math.abs(variance - lambda) / Math.sqrt((lambda + 2 * lambda * lambda) / n)).toBeLessThan(5);
  });

  it('matches the Poisson(3) probability mass function (chi-square, k >= 10 pooled)', () => {
    const lambda = 3;
    const n = 30_000;
    const bins = 11;
    const observed = new Float64Array(bins);
    const rng = makeRng(2024);
    for (let i = 0; i < n; i++) observed[Math.min(poisson(lambda, rng), bins - 1)] += 1;
    const expected = new Float64Array(bins);
    let tail = 1;
    for (let k = 0; k < bins - 1; k++) {
      expected[k] = pmf(lambda, k) * n;
      tail -= pmf(lambda, k);
    }
    expected[bins - 1] = tail * n;
    expect(chiSquareZ(chiSquare(observed, expected), bins - 1)).toBeLessThan(5);
  });

  it('matches the Poisson(45) pmf across the chunk boundary (chi-square on 30..60, tails pooled)', () => {
    // lambda = 45 is drawn as Poisson(30) + Poisson(15): checks the chunking, not only the mean.
    const lambda = 45;
    const n = 20_000;
    const lo = 30;
    const hi = 60;
    const observed = new Float64Array(hi - lo + 2);
    const rng = makeRng(8);
    const bin = (k: number) => (k < lo ? 0 : k >= hi ? hi - lo + 1 : k - lo + 1);
    for (let i = 0; i < n; i++) observed[bin(poisson(lambda, rng))] += 1;
    const expected = new Float64Array(observed.length);
    let below = 0;
    for (let k = 0; k < lo; k++) below += pmf(lambda, k);
    expected[0] = below * n;
    let inside = 0;
    for (let k = lo; k < hi; k++) {
      expected[k - lo + 1] = pmf(lambda, k) * n;
      inside += pmf(lambda, k);
    }
    expected[hi - lo + 1] = (1 - below - inside) * n;
    expect(chiSquareZ(chiSquare(observed, expected), observed.length - 1)).toBeLessThan(5);
  });

  it('returns 0 for lambda = 0 and replays from its seed', () => {
    const rng = makeRng(1);
    for (let i = 0; i < 100; i++) expect(poisson(0, rng)).toBe(0);
    const a = makeRng(5);
    const b = makeRng(5);
    const drawsA = Array.from({ length: 50 }, () => poisson(3, a));
    const drawsB = Array.from({ length: 50 }, () => poisson(3, b));
    expect(drawsA).toEqual(drawsB);
    expect(new Set(drawsA).size).toBeGreaterThan(3);
  });

  it('rejects negative, non-finite and huge lambdas with a RangeError', () => {
    for (const bad of [-1, NaN, Infinity, 1e6]) {
      expect(() => poisson(bad, makeRng(1))).toThrow(RangeError);
    }
    expect(() => poisson(-0.5, makeRng(1))).toThrow(/lambda must be a finite number in \[0, 1000\], got -0.5/);
  });
});
