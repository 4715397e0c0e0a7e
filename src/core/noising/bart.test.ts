import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { chiSquare, chiSquareZ, proportionZ } from '../testing';
import {
  bartFinal,
  documentRotation,
  infillingSpanLengths,
  sentencePermutation,
  splitSentences,
  textInfilling,
  tokenDeletion,
  tokenMasking,
} from './bart';
import { poisson } from './poisson';
import { deepFreeze, provenanceProblems } from './provenanceCheck';

const MASK = 1;

/** Element-wise equality of two id lists, cheap enough for loops of thousands (expect() is not). */
function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** n distinct ids (100, 101, ...), frozen: any duplication or mutation shows. */
function text(n: number): readonly number[] {
  return deepFreeze(Array.from({ length: n }, (_, i) => 100 + i));
}

/** A document of sentences with the given lengths, ids distinct across the document. */
function doc(lengths: number[]): readonly (readonly number[])[] {
  let next = 100;
  return deepFreeze(lengths.map((len) => Array.from({ length: len }, () => next++)));
}

describe('tokenMasking', () => {
  it('masks each token with probability rate (100,000 tokens, within 5 standard errors)', () => {
    const rng = makeRng(11);
    const tokens = text(100);
    let masked = 0;
    let total = 0;
    const problems: string[] = [];
    for (let trial = 0; trial < 1000; trial++) {
      const r = tokenMasking(tokens, { rate: 0.3, maskId: MASK, rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (r.input.length !== 100) problems.push(`length ${r.input.length}`);
      for (const t of r.inputTokens) if (t.kind === 'mask') masked += 1;
      total += 100;
    }
    expect(problems).toEqual([]);
    expect(proportionZ(masked, total, 0.3)).toBeLessThan(5);
  });

  it('puts the mask in place of the token it hides, keeps everything else, and targets the original', () => {
    const tokens = text(20);
    const r = tokenMasking(tokens, { rate: 0.5, maskId: MASK, rng: makeRng(3) });
    r.inputTokens.forEach((t, i) => {
      expect(t.source).toBe(i);
      expect(t.id).toBe(t.kind === 'mask' ? MASK : tokens[i]);
    });
    expect(r.target).toEqual(tokens);
    expect(r.removed).toEqual([]);
    expect(tokenMasking(tokens, { rate: 0, maskId: MASK, rng: makeRng(3) }).input).toEqual(tokens);
    expect(tokenMasking(tokens, { rate: 1, maskId: MASK, rng: makeRng(3) }).input).toEqual(new Array(20).fill(MASK));
  });

  it('replays from its seed and rejects bad arguments', () => {
    const tokens = text(50);
    expect(tokenMasking(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(9) })).toEqual(
      tokenMasking(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(9) }),
    );
    expect(() => tokenMasking(tokens, { rate: 1.5, maskId: MASK, rng: makeRng(1) })).toThrow(
      /rate must be in \[0, 1\], got 1.5/,
    );
    expect(() => tokenMasking(tokens, { rate: NaN, maskId: MASK, rng: makeRng(1) })).toThrow(RangeError);
    expect(() => tokenMasking(tokens, { rate: 0.3, maskId: 1.5, rng: makeRng(1) })).toThrow(
      /maskId must be an integer/,
    );
  });
});

describe('tokenDeletion', () => {
  it('deletes each token with probability rate, and input + removed merge back to the original', () => {
    const rng = makeRng(12);
    const tokens = text(100);
    let deleted = 0;
    const problems: string[] = [];
    for (let trial = 0; trial < 1000; trial++) {
      const r = tokenDeletion(tokens, { rate: 0.2, rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      const merged = [...r.inputTokens.map((t) => [t.source as number, t.id]), ...r.removed.map((j) => [j, tokens[j]])];
      if (
        !same(
          merged.sort((a, b) => a[0] - b[0]).map((p) => p[1]),
          tokens,
        )
      )
        problems.push(`trial ${trial}: merge differs`);
      deleted += r.removed.length;
    }
    expect(problems).toEqual([]);
    expect(proportionZ(deleted, 1000 * 100, 0.2)).toBeLessThan(5);
  });

  it('rejects rates outside [0, 1]', () => {
    expect(() => tokenDeletion(text(5), { rate: -0.1, rng: makeRng(1) })).toThrow(/tokenDeletion|iidNoiseMask/);
    expect(() => tokenDeletion(text(5), { rate: -0.1, rng: makeRng(1) })).toThrow(RangeError);
  });
});

describe('infillingSpanLengths', () => {
  it('is the Poisson draws in order, the last cut down so they sum to numToMask exactly', () => {
    const problems: string[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const numToMask = seed % 40;
      const lengths = infillingSpanLengths(numToMask, 3, makeRng(seed));
      const replay = makeRng(seed);
      const draws = lengths.map(() => poisson(3, replay));
      const last = lengths.length - 1;
      if (lengths.reduce((a, b) => a + b, 0) !== numToMask) problems.push(`seed ${seed}: wrong sum`);
      if (!same(lengths.slice(0, last), draws.slice(0, last))) problems.push(`seed ${seed}: not the draws`);
      if (last >= 0 && !(lengths[last] > 0 && lengths[last] <= draws[last]))
        problems.push(`seed ${seed}: bad last span`);
    }
    expect(problems).toEqual([]);
    expect(infillingSpanLengths(0, 3, makeRng(1))).toEqual([]);
  });

  it('rejects lambda <= 0 (zero-length spans forever) and a non-integer count', () => {
    expect(() => infillingSpanLengths(5, 0, makeRng(1))).toThrow(/lambda must be > 0/);
    expect(() => infillingSpanLengths(2.5, 3, makeRng(1))).toThrow(RangeError);
  });
});

describe('textInfilling', () => {
  it('masks exactly round(rate * n) tokens, one mask per span, spans of the drawn lengths', () => {
    const problems: string[] = [];
    const lengthRng = makeRng(99);
    const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
    for (let seed = 0; seed < 400; seed++) {
      const n = 1 + Math.floor(lengthRng() * 200);
      const tokens = text(n);
      const numToMask = Math.round(0.3 * n);
      const r = textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(seed) });
      const fail = (what: string) => problems.push(`seed ${seed}, n ${n}: ${what}`);
      problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (r.removed.length !== numToMask) fail(`removed ${r.removed.length}, expected ${numToMask}`);
      if (!same(r.target, tokens)) fail('target is not the original');
      if (!r.inputTokens.every((t) => t.kind === 'kept' || (t.kind === 'mask' && t.source === null)))
        fail('unexpected kind');
      // Read along the input, sources and covers are exactly 0..n-1: each span is one
      // contiguous run behind one mask, and an empty span removes nothing.
      const along = r.inputTokens.flatMap((t) => (t.source !== null ? [t.source] : (t.covers as number[])));
      if (!same(along, [...tokens.keys()])) fail('sources and covers are not 0..n-1 in order');
      // The span lengths are the ones infillingSpanLengths draws first from the same seed.
      const spanLengths = r.inputTokens.filter((t) => t.kind === 'mask').map((t) => (t.covers as number[]).length);
      if (!same(sorted(spanLengths), sorted(infillingSpanLengths(numToMask, 3, makeRng(seed))))) fail('span lengths');
    }
    expect(problems).toEqual([]);
  });

  it('turns zero-length spans into inserted masks, as often as Poisson(3) gives 0 (within 5 SE)', () => {
    // By Wald's identity the share of zeros among all drawn spans is P(0) = e^-3 in expectation.
    const tokens = text(200);
    let masks = 0;
    let inserted = 0;
    for (let seed = 0; seed < 600; seed++) {
      const r = textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(seed) });
      for (const t of r.inputTokens) {
        if (t.kind !== 'mask') continue;
        masks += 1;
        if ((t.covers as number[]).length === 0) inserted += 1;
      }
    }
    expect(inserted).toBeGreaterThan(0);
    expect(proportionZ(inserted, masks, Math.exp(-3))).toBeLessThan(5);
  });

  it('places spans among kept tokens uniformly: all 10 layouts of 2 spans among 3 kept tokens equally likely', () => {
    // n = 6, rate 0.5: 3 tokens masked, 3 kept. Given 2 spans, the kept-run lengths
    // (before, between, after) are a weak composition of 3 into 3 parts: C(5, 2) = 10 of them.
    const tokens = text(6);
    const counts = new Map<string, number>();
    let trials = 0;
    const rng = makeRng(77);
    while (trials < 5000) {
      const r = textInfilling(tokens, { rate: 0.5, lambda: 1.5, maskId: MASK, rng });
      const runs = [0];
      for (const t of r.inputTokens) {
        if (t.kind === 'mask') runs.push(0);
        else runs[runs.length - 1] += 1;
      }
      if (runs.length !== 3) continue;
      trials += 1;
      counts.set(runs.join(','), (counts.get(runs.join(',')) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    expect(chiSquareZ(chiSquare([...counts.values()], new Array(10).fill(trials / 10)), 9)).toBeLessThan(5);
  });

  it('handles the edges: rate 0 changes nothing, rate 1 masks everything, empty input stays empty', () => {
    const tokens = text(12);
    const none = textInfilling(tokens, { rate: 0, maskId: MASK, rng: makeRng(1) });
    expect(none.input).toEqual(tokens);
    const all = textInfilling(tokens, { rate: 1, maskId: MASK, rng: makeRng(1) });
    expect(all.removed).toEqual([...tokens.keys()]);
    expect(all.input.every((id) => id === MASK)).toBe(true);
    expect(textInfilling([], { rate: 0.3, maskId: MASK, rng: makeRng(1) }).input).toEqual([]);
  });

  it('replays from its seed, differs across seeds, and rejects bad arguments', () => {
    const tokens = text(60);
    const a = textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(4) });
    expect(textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(4) })).toEqual(a);
    expect(textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(5) }).input).not.toEqual(a.input);
    expect(() => textInfilling(tokens, { rate: 1.01, maskId: MASK, rng: makeRng(1) })).toThrow(/textInfilling: rate/);
    expect(() => textInfilling(tokens, { rate: 0.3, lambda: 0, maskId: MASK, rng: makeRng(1) })).toThrow(/lambda/);
    expect(() => textInfilling(tokens, { rate: 0.3, lambda: -2, maskId: MASK, rng: makeRng(1) })).toThrow(RangeError);
  });
});

describe('splitSentences', () => {
  it('ends a sentence after each end token and keeps a trailing fragment', () => {
    expect(splitSentences([5, 6, 0, 7, 0, 8, 9], new Set([0]))).toEqual([
      [5, 6, 0],
      [7, 0],
      [8, 9],
    ]);
    expect(splitSentences([5, 0], new Set([0]))).toEqual([[5, 0]]);
    expect(splitSentences([], new Set([0]))).toEqual([]);
  });
});

describe('sentencePermutation', () => {
  it('puts each sentence first equally often (5 sentences, 10,000 runs, chi-square)', () => {
    const d = doc([3, 1, 4, 2, 5]);
    const flat = d.flat();
    const first = new Array(5).fill(0);
    const rng = makeRng(21);
    const problems: string[] = [];
    for (let trial = 0; trial < 10_000; trial++) {
      const r = sentencePermutation(d, { rng });
      if (trial < 300) problems.push(...provenanceProblems(r, flat));
      first[r.sentenceOrder[0]] += 1;
    }
    expect(problems).toEqual([]);
    expect(chiSquareZ(chiSquare(first, new Array(5).fill(2000)), 4)).toBeLessThan(5);
  });

  it('draws all 24 orders of 4 sentences equally often (chi-square)', () => {
    const d = doc([2, 2, 2, 2]);
    const counts = new Map<string, number>();
    const rng = makeRng(22);
    for (let trial = 0; trial < 12_000; trial++) {
      const key = sentencePermutation(d, { rng }).sentenceOrder.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    expect(chiSquareZ(chiSquare([...counts.values()], new Array(24).fill(500)), 23)).toBeLessThan(5);
  });

  it('outputs whole sentences in the drawn order, marks moved ones, and targets the original document', () => {
    const d = doc([3, 1, 4, 2, 5]);
    for (let seed = 0; seed < 50; seed++) {
      const r = sentencePermutation(d, { rng: makeRng(seed) });
      expect([...r.sentenceOrder].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(r.input).toEqual(r.sentenceOrder.flatMap((s) => d[s]));
      expect(r.target).toEqual(d.flat());
      let k = 0;
      r.sentenceOrder.forEach((s, slot) => {
        for (let i = 0; i < d[s].length; i++, k++) expect(r.inputTokens[k].kind).toBe(s === slot ? 'kept' : 'moved');
      });
    }
    expect(sentencePermutation([], { rng: makeRng(1) }).input).toEqual([]);
    expect(sentencePermutation(d, { rng: makeRng(8) })).toEqual(sentencePermutation(d, { rng: makeRng(8) }));
  });
});

describe('documentRotation', () => {
  it('starts at each token equally often (10 tokens, 5,000 runs, chi-square)', () => {
    const tokens = text(10);
    const counts = new Array(10).fill(0);
    const rng = makeRng(31);
    const problems: string[] = [];
    for (let trial = 0; trial < 5000; trial++) {
      const r = documentRotation(tokens, { rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens));
      if (!same(r.input, [...tokens.slice(r.start), ...tokens.slice(0, r.start)]))
        problems.push(`trial ${trial}: not a rotation`);
      counts[r.start] += 1;
    }
    expect(problems).toEqual([]);
    expect(chiSquareZ(chiSquare(counts, new Array(10).fill(500)), 9)).toBeLessThan(5);
  });

  it('marks every token moved unless it starts at the first token; handles empty and single-token texts', () => {
    const tokens = text(7);
    for (let seed = 0; seed < 30; seed++) {
      const r = documentRotation(tokens, { rng: makeRng(seed) });
      expect(r.inputTokens.every((t) => t.kind === (r.start === 0 ? 'kept' : 'moved'))).toBe(true);
      expect(r.target).toEqual(tokens);
    }
    expect(documentRotation([], { rng: makeRng(1) }).input).toEqual([]);
    expect(documentRotation([42], { rng: makeRng(1) }).input).toEqual([42]);
  });
});

describe('bartFinal', () => {
  it('infills 30% of the document and permutes its sentences; undoing the masks gives the permuted document', () => {
    const d = doc([7, 3, 12, 5, 9, 4]);
    const flat = d.flat();
    const sentenceOf = d.flatMap((sentence, s) => sentence.map(() => s)); // original index -> its sentence
    const problems: string[] = [];
    let crossing = 0;
    const first = new Array(6).fill(0);
    for (let seed = 0; seed < 600; seed++) {
      const r = bartFinal(d, { maskId: MASK, rng: makeRng(seed) });
      const fail = (what: string) => problems.push(`seed ${seed}: ${what}`);
      problems.push(...provenanceProblems(r, flat));
      if (r.removed.length !== Math.round(0.3 * flat.length)) fail(`removed ${r.removed.length}`);
      if (!same(r.target, flat)) fail('target is not the original');
      first[r.sentenceOrder[0]] += 1;
      // Replace each mask by the original tokens it covers: the sentences in their drawn order.
      const filled = r.inputTokens.flatMap((t) =>
        t.kind === 'mask' ? (t.covers as number[]).map((j) => flat[j]) : [t.id],
      );
      if (
        !same(
          filled,
          r.sentenceOrder.flatMap((s) => d[s]),
        )
      )
        fail('filled input is not the permuted document');
      for (const t of r.inputTokens) {
        if (t.source !== null) {
          // A kept token is 'moved' exactly when its sentence left its slot.
          const s = sentenceOf[t.source];
          if (t.kind !== (r.sentenceOrder[s] === s ? 'kept' : 'moved')) fail(`kind ${t.kind} at source ${t.source}`);
        }
        const c = t.covers ?? [];
        if (c.some((j, k) => k > 0 && j !== c[k - 1] + 1)) crossing += 1;
      }
    }
    expect(problems).toEqual([]);
    expect(crossing).toBeGreaterThan(0); // spans do run across the permuted sentence boundaries
    expect(chiSquareZ(chiSquare(first, new Array(6).fill(100)), 5)).toBeLessThan(5);
  });

  it('replays from its seed', () => {
    const d = doc([4, 4, 4]);
    expect(bartFinal(d, { maskId: MASK, rng: makeRng(3) })).toEqual(bartFinal(d, { maskId: MASK, rng: makeRng(3) }));
  });
});

describe('all BART transformations', () => {
  it('replay from their seed and leave their (frozen) input untouched', () => {
    const tokens = text(40);
    const d = doc([5, 9, 3, 7, 6]);
    const runs = [
      (seed: number) => tokenMasking(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(seed) }),
      (seed: number) => tokenDeletion(tokens, { rate: 0.3, rng: makeRng(seed) }),
      (seed: number) => textInfilling(tokens, { rate: 0.3, maskId: MASK, rng: makeRng(seed) }),
      (seed: number) => sentencePermutation(d, { rng: makeRng(seed) }),
      (seed: number) => documentRotation(tokens, { rng: makeRng(seed) }),
      (seed: number) => bartFinal(d, { maskId: MASK, rng: makeRng(seed) }),
    ];
    for (const run of runs) {
      expect(run(5)).toEqual(run(5));
      expect(run(5).input).not.toEqual(run(6).input);
    }
    // Frozen arrays throw on any write, so reaching here means nothing was mutated; compare anyway.
    expect(tokens).toEqual(text(40));
    expect(d).toEqual(doc([5, 9, 3, 7, 6]));
  });
});
