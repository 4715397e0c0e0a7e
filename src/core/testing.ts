/**
 * Helpers shared by the core unit tests (not exported from index.ts):
 * statistical checks with explicit tolerances, and fixture loading.
 */

import { readFileSync } from 'node:fs';

/** Parses a JSON fixture from src/core/fixtures (read at run time: keeps tsc from typing 100 kB literals). */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i] - expected[i];
    stat += (d * d) / expected[i];
  }
  return stat;
}

/**
 * Approximate z-score of a chi-square statistic with `df` degrees of freedom
 * (Wilson-Hilferty cube-root transform). Tests assert z < 5: with fixed
 * seeds the outcome is deterministic, and a correct sampler lands there
 * with probability 1 - 3e-7.
 */
export function chiSquareZ(stat: number, df: number): number {
  const c = 2 / (9 * df);
  return (Math.cbrt(stat / df) - (1 - c)) / Math.sqrt(c);
}

/** |observed - expected| in standard errors, for a proportion over n trials. */
export function proportionZ(successes: number, n: number, p: number): number {
  return Math.abs(successes / n - p) / Math.sqrt((p * (1 - p)) / n);
}

/** Relative difference with an absolute floor, for comparing against float64 goldens. */
export function relErr(actual: number, expected: number, floor = 1e-300): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}

/** Largest relErr over two arrays (throws on length mismatch). */
export function maxRelErr(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-300): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, relErr(actual[i], expected[i], floor));
  return worst;
}
