import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { documentRotation, textInfilling, tokenDeletion, tokenMasking } from './bart';
import { noiseStats } from './stats';
import { bertStyle, deshuffle, iidReplaceSpans, prefixLm } from './t5';
import { scriptedRng } from './testRng';
import { makeNoisingResult } from './types';

const SENTINELS = Array.from({ length: 400 }, (_, i) => 10_000 + i);
const text = (n: number) => Array.from({ length: n }, (_, i) => 100 + i);

describe('noiseStats', () => {
  it('counts sentinel spans exactly (T5 example: "for inviting" and "last" of 11 tokens)', () => {
    const draws = [0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9, 0.9];
    const r = iidReplaceSpans(text(11), { sentinelIds: SENTINELS, rng: scriptedRng(draws) });
    expect(noiseStats(r)).toEqual({
      sourceLength: 11,
      corrupted: 3,
      noiseFraction: 3 / 11,
      moved: 0,
      insertions: 0,
      spanLengths: [2, 1],
      meanSpanLength: 1.5,
    });
  });

  it('groups one-for-one corruptions and deletions into runs of consecutive indices', () => {
    const draws = [0.1, 0.1, 0.9, 0.1, 0.9, 0.1, 0.1, 0.1];
    const masked = noiseStats(tokenMasking(text(8), { rate: 0.3, maskId: 1, rng: scriptedRng(draws) }));
    expect(masked).toMatchObject({ corrupted: 6, spanLengths: [2, 1, 3], meanSpanLength: 2 });
    const deleted = noiseStats(tokenDeletion(text(8), { rate: 0.3, rng: scriptedRng(draws) }));
    expect(deleted).toMatchObject({ corrupted: 6, spanLengths: [2, 1, 3] });
    // BERT-style: a random replacement counts as corrupted like a mask.
    const bert = noiseStats(
      bertStyle(text(3), { maskId: 1, vocabSize: 9, rng: scriptedRng([0.1, 0.95, 0.5, 0.9, 0.1, 0.1]) }),
    );
    expect(bert).toMatchObject({ corrupted: 2, spanLengths: [1, 1] });
  });

  it('reports prefix LM as one span, shuffles as moved tokens, and an empty text as no noise', () => {
    expect(noiseStats(prefixLm(text(10), { rng: scriptedRng([0.25]) }))).toMatchObject({
      corrupted: 7,
      spanLengths: [7],
    });
    const shuffled = deshuffle(text(10), { rng: makeRng(4) });
    const notInPlace = shuffled.inputTokens.filter((t, k) => t.source !== k).length;
    expect(noiseStats(shuffled)).toMatchObject({ corrupted: 0, noiseFraction: 0, moved: notInPlace });
    expect(noiseStats(documentRotation(text(10), { rng: scriptedRng([0.35]) })).moved).toBe(10);
    expect(noiseStats(makeNoisingResult([], [], [], 0))).toEqual({
      sourceLength: 0,
      corrupted: 0,
      noiseFraction: 0,
      moved: 0,
      insertions: 0,
      spanLengths: [],
      meanSpanLength: null,
    });
  });

  it('counts zero-length infilling spans as insertions with length 0', () => {
    const tokens = text(100);
    for (let seed = 0; seed < 50; seed++) {
      const r = textInfilling(tokens, { rate: 0.3, maskId: 1, rng: makeRng(seed) });
      const stats = noiseStats(r);
      const masks = r.inputTokens.filter((t) => t.kind === 'mask');
      expect(stats.corrupted).toBe(30);
      expect(stats.spanLengths).toEqual(masks.map((m) => (m.covers as number[]).length));
      expect(stats.insertions).toBe(stats.spanLengths.filter((len) => len === 0).length);
    }
  });

  it('observes i.i.d. runs of mean length 1 / (1 - rate) (geometric), within 5 standard errors', () => {
    // A run continues past each corrupted token with probability p: mean 1/(1-p), variance p/(1-p)^2.
    // Runs cut short by the end of a 2,000-token text bias the mean by under 1e-4.
    const p = 0.15;
    const lengths: number[] = [];
    const rng = makeRng(5);
    for (let trial = 0; trial < 60; trial++) {
      lengths.push(...noiseStats(iidReplaceSpans(text(2000), { rate: p, sentinelIds: SENTINELS, rng })).spanLengths);
    }
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const se = Math.sqrt(p / (1 - p) ** 2 / lengths.length);
    expect(Math.abs(mean - 1 / (1 - p)) / se).toBeLessThan(5);
  });
});
