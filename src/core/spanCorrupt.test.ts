import { describe, expect, it } from 'vitest';
import { makeRng } from './rng';
import { randomSegmentation, spanCorrupt, spanLayout, spanUncorrupt } from './spanCorrupt';
import { chiSquare, chiSquareZ } from './testing';

const SENTINELS = Array.from({ length: 100 }, (_, i) => 10_000 + i);

/**
 * Test-only inverse, written independently of spanUncorrupt: walk the input;
 * at the k-th sentinel, the target must be at that same sentinel; copy target
 * tokens up to the next sentinel. Also checks sentinel order and that the
 * target ends with exactly the next unused sentinel.
 */
function reassemble(input: readonly number[], target: readonly number[]): number[] {
  const isSentinel = (t: number) => t >= 10_000;
  const out: number[] = [];
  let k = 0;
  let j = 0;
  for (const t of input) {
    if (!isSentinel(t)) {
      out.push(t);
      continue;
    }
    if (t !== SENTINELS[k] || target[j] !== t) throw new Error(`sentinel ${k} out of order`);
    j += 1;
    const spanStart = j;
    while (j < target.length && !isSentinel(target[j])) out.push(target[j++]);
    if (j === spanStart) throw new Error(`span ${k} is empty`);
    k += 1;
  }
  if (j !== target.length - 1 || target[j] !== SENTINELS[k]) throw new Error('target must end with the next sentinel');
  return out;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('spanCorrupt', () => {
  it('reproduces the worked example of its doc comment', () => {
    const tokens = [1, 2, 3, 4, 5, 6, 7, 8];
    const opts = { noiseDensity: 0.375, meanSpanLength: 1.5, sentinelIds: [100, 101, 102] };
    const outcomes = new Map<string, number>();
    for (let seed = 0; seed < 200; seed++) {
      const { input, target } = spanCorrupt(tokens, { ...opts, rng: makeRng(seed) });
      const key = `${input.join(' ')} | ${target.join(' ')}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect(outcomes.has('1 2 100 5 6 7 101 | 100 3 4 101 8 102')).toBe(true);
    // 2 ways to split 3 noise tokens x 4 ways to split 5 kept tokens into 2 positive parts.
    expect(outcomes.size).toBe(8);
  });

  it('puts the single noise token of a short sequence at its end, as T5 does', () => {
    const { input, target } = spanCorrupt([1, 2, 3, 4, 5, 6, 7, 8], { sentinelIds: [100, 101], rng: makeRng(0) });
    // L = 8: num_noise = round(1.2) = 1, and the interleaving ends with noise.
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 100]);
    expect(target).toEqual([100, 8, 101]);
  });

  it('recovers the original exactly, over many lengths and seeds (nothing lost or duplicated)', () => {
    const rng = makeRng(2718);
    for (let trial = 0; trial < 2000; trial++) {
      const length = 2 + Math.floor(rng() * 300);
      const tokens = Array.from({ length }, (_, i) => i); // distinct, so duplication would show
      const { input, target } = spanCorrupt(tokens, { sentinelIds: SENTINELS, rng });
      expect(reassemble(input, target)).toEqual(tokens);
      expect(spanUncorrupt(input, target, SENTINELS)).toEqual(tokens);
      // T5: the sequence starts with kept tokens and ends inside a noise span.
      expect(input[0]).toBe(0);
      expect(input[input.length - 1]).toBeGreaterThanOrEqual(10_000);
    }
  });

  it('corrupts round(L * density) tokens in spans of the requested mean length', () => {
    const rng = makeRng(42);
    let noise = 0;
    let total = 0;
    let spans = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const length = 50 + Math.floor(rng() * 450);
      const tokens = Array.from({ length }, (_, i) => i);
      const { target } = spanCorrupt(tokens, { sentinelIds: SENTINELS, rng });
      const numSpans = target.filter((t) => t >= 10_000).length - 1;
      const numNoise = target.length - numSpans - 1;
      expect(numNoise).toBe(Math.round(length * 0.15));
      noise += numNoise;
      total += length;
      spans += numSpans;
    }
    expect(Math.abs(noise / total - 0.15)).toBeLessThan(0.002);
    expect(Math.abs(noise / spans - 3)).toBeLessThan(0.05);
  });

  it('draws span lengths from the uniform-composition distribution of T5', () => {
    // L = 200: 30 noise tokens in 10 spans. For a uniformly random composition of
    // n into k positive parts, P(a given part = j) = C(n - j - 1, k - 2) / C(n - 1, k - 1).
    const n = 30;
    const k = 10;
    const maxLen = 8; // lengths >= 8 pooled into one bin
    const counts = new Float64Array(maxLen);
    const rng = makeRng(7);
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const layout = spanLayout(200, 0.15, 3, rng);
      expect(layout.numSpans).toBe(k);
      for (const len of layout.noiseLengths) counts[Math.min(len, maxLen) - 1] += 1;
    }
    const expected = new Float64Array(maxLen);
    let tail = 1;
    for (let j = 1; j < maxLen; j++) {
      const p = binomial(n - j - 1, k - 2) / binomial(n - 1, k - 1);
      expected[j - 1] = p * trials * k;
      tail -= p;
    }
    expected[maxLen - 1] = tail * trials * k;
    expect(chiSquareZ(chiSquare(counts, expected), maxLen - 1)).toBeLessThan(5);
  });

  it('throws a clear error when there are not enough sentinels', () => {
    const tokens = Array.from({ length: 100 }, (_, i) => i);
    // 15 noise tokens -> 5 spans -> 6 sentinels needed.
    expect(() => spanCorrupt(tokens, { sentinelIds: SENTINELS.slice(0, 5), rng: makeRng(1) })).toThrow(
      /5 noise spans need 6 sentinel ids.*only 5/,
    );
    expect(() => spanCorrupt(tokens, { sentinelIds: SENTINELS.slice(0, 6), rng: makeRng(1) })).not.toThrow();
  });

  it('handles degenerate lengths like T5 (at least one noise and one kept token)', () => {
    expect(spanCorrupt([], { sentinelIds: [9], rng: makeRng(1) })).toEqual({ input: [], target: [9] });
    expect(spanCorrupt([5], { sentinelIds: [9], rng: makeRng(1) })).toEqual({ input: [5], target: [9] });
    expect(spanCorrupt([5, 6], { sentinelIds: [9, 10], rng: makeRng(1) })).toEqual({
      input: [5, 9],
      target: [9, 6, 10],
    });
    // Density 0 still corrupts one token; density 1 keeps one.
    expect(spanCorrupt([1, 2, 3, 4], { noiseDensity: 0, sentinelIds: SENTINELS, rng: makeRng(1) }).target.length).toBe(
      3,
    );
    expect(spanCorrupt([1, 2, 3, 4], { noiseDensity: 1, sentinelIds: SENTINELS, rng: makeRng(1) }).input[0]).toBe(1);
  });

  it('keeps non-noise runs positive when dense short spans would outnumber them', () => {
    // 20 tokens, density 0.9, mean span 1: T5 would ask for 18 spans but only 2 kept tokens exist.
    const layout = spanLayout(20, 0.9, 1, makeRng(3));
    expect(layout.numSpans).toBe(2);
    expect(layout.nonNoiseLengths).toEqual([1, 1]);
  });

  it('is reproducible from its seed', () => {
    const tokens = Array.from({ length: 64 }, (_, i) => i);
    const a = spanCorrupt(tokens, { sentinelIds: SENTINELS, rng: makeRng(11) });
    const b = spanCorrupt(tokens, { sentinelIds: SENTINELS, rng: makeRng(11) });
    expect(a).toEqual(b);
  });
});

describe('randomSegmentation', () => {
  it('makes every composition of 6 into 3 positive parts equally likely', () => {
    const counts = new Map<string, number>();
    const rng = makeRng(5);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      const parts = randomSegmentation(6, 3, rng);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(6);
      const key = parts.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(binomial(5, 2)); // 10 compositions
    const stat = chiSquare([...counts.values()], new Float64Array(10).fill(trials / 10));
    expect(chiSquareZ(stat, 9)).toBeLessThan(5);
  });

  it('rejects more segments than items', () => {
    expect(() => randomSegmentation(2, 3, makeRng(1))).toThrow(RangeError);
    expect(randomSegmentation(4, 4, makeRng(1))).toEqual([1, 1, 1, 1]);
    expect(randomSegmentation(4, 1, makeRng(1))).toEqual([4]);
  });
});
