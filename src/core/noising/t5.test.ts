import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { spanCorrupt, spanUncorrupt } from '../spanCorrupt';
import { chiSquare, chiSquareZ, proportionZ } from '../testing';
import { deepFreeze, provenanceProblems } from './provenanceCheck';
import { bertStyle, deshuffle, iidDropTokens, iidReplaceSpans, prefixLm, randomSpans } from './t5';
import { scriptedRng } from './testRng';

const MASK = 1;
const SENTINELS = deepFreeze(Array.from({ length: 200 }, (_, i) => 10_000 + i));
const isSentinel = (id: number) => id >= 10_000;

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** n distinct ids (100, 101, ...), frozen: any duplication or mutation shows. */
function text(n: number): readonly number[] {
  return deepFreeze(Array.from({ length: n }, (_, i) => 100 + i));
}

// T5's running example (Raffel et al. 2020, table of unsupervised objectives).
const WORDS = ['Thank', 'you', 'for', 'inviting', 'me', 'to', 'your', 'party', 'last', 'week', '.', 'apple'];
const id = (w: string) => 10 + WORDS.indexOf(w);
const ids = (s: string) =>
  s
    .split(' ')
    .map((w) => (w === '<M>' ? MASK : w === '<X>' ? 10_000 : w === '<Y>' ? 10_001 : w === '<Z>' ? 10_002 : id(w)));
const SENTENCE = deepFreeze(ids('Thank you for inviting me to your party last week .'));
/** One i.i.d. draw per token: corrupt "for", "inviting" and "last" (draw < 0.15), keep the rest. */
const CORRUPT_FOR_INVITING_LAST = [0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9, 0.9];

describe("T5's table of objectives, reproduced with scripted draws", () => {
  it('prefix LM: "Thank you for inviting" => "me to your party last week ."', () => {
    // split = 1 + floor(u * 10) = 4 for u = 0.35
    const r = prefixLm(SENTENCE, { rng: scriptedRng([0.35]) });
    expect(r.input).toEqual(ids('Thank you for inviting'));
    expect(r.target).toEqual(ids('me to your party last week .'));
    expect(r.split).toBe(4);
    expect(r.removed).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('BERT-style: "Thank you <M> <M> me to your party apple week ." => the original', () => {
    // Per corrupted token a second draw: < 0.9 mask, else random; then randomInt(29) skips maskId:
    // r = floor(u * 29) = 20 -> id 21 = "apple".
    const script = [0.9, 0.9, 0.1, 0.5, 0.1, 0.5, 0.9, 0.9, 0.9, 0.9, 0.1, 0.95, 20.5 / 29, 0.9, 0.9];
    const r = bertStyle(SENTENCE, { maskId: MASK, vocabSize: 30, rng: scriptedRng(script) });
    expect(r.input).toEqual(ids('Thank you <M> <M> me to your party apple week .'));
    expect(r.target).toEqual(SENTENCE);
    expect(r.inputTokens.map((t) => t.kind)).toEqual([
      'kept',
      'kept',
      'mask',
      'mask',
      'kept',
      'kept',
      'kept',
      'kept',
      'random',
      'kept',
      'kept',
    ]);
    expect(r.inputTokens[8].source).toBe(8);
  });

  it('i.i.d. noise, replace spans: "Thank you <X> me to your party <Y> week ." => "<X> for inviting <Y> last <Z>"', () => {
    const r = iidReplaceSpans(SENTENCE, { sentinelIds: SENTINELS, rng: scriptedRng(CORRUPT_FOR_INVITING_LAST) });
    expect(r.input).toEqual(ids('Thank you <X> me to your party <Y> week .'));
    expect(r.target).toEqual(ids('<X> for inviting <Y> last <Z>'));
    expect(r.inputTokens[2].covers).toEqual([2, 3]);
    expect(r.inputTokens[7].covers).toEqual([8]);
    expect(r.removed).toEqual([2, 3, 8]);
  });

  it('i.i.d. noise, drop tokens: "Thank you me to your party week ." => "for inviting last"', () => {
    const r = iidDropTokens(SENTENCE, { rng: scriptedRng(CORRUPT_FOR_INVITING_LAST) });
    expect(r.input).toEqual(ids('Thank you me to your party week .'));
    expect(r.target).toEqual(ids('for inviting last'));
    expect(r.removed).toEqual([2, 3, 8]);
  });
});

describe('prefixLm', () => {
  it('splits uniformly over the 7 points of an 8-token text, and input ++ target is the original', () => {
    const tokens = text(8);
    const counts = new Array(7).fill(0);
    const problems: string[] = [];
    const rng = makeRng(41);
    for (let trial = 0; trial < 7000; trial++) {
      const r = prefixLm(tokens, { rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (!same([...r.input, ...r.target], tokens) || r.input.length !== r.split) problems.push(`trial ${trial}`);
      counts[r.split - 1] += 1;
    }
    expect(problems).toEqual([]);
    expect(chiSquareZ(chiSquare(counts, new Array(7).fill(1000)), 6)).toBeLessThan(5);
  });

  it('keeps both sides non-empty and rejects texts shorter than 2 tokens', () => {
    expect(prefixLm([5, 6], { rng: makeRng(1) })).toMatchObject({ input: [5], target: [6], split: 1 });
    expect(() => prefixLm([5], { rng: makeRng(1) })).toThrow(/at least 2 tokens/);
    expect(() => prefixLm([], { rng: makeRng(1) })).toThrow(RangeError);
  });
});

describe('bertStyle', () => {
  it('corrupts 15% of tokens, 90% of them to the mask and 10% to uniform random ids (within 5 SE / chi-square)', () => {
    const tokens = text(100).map((t) => t % 50); // ids inside the vocabulary
    const vocabSize = 50;
    const rng = makeRng(51);
    const kinds = { kept: 0, mask: 0, random: 0 };
    const randomIds = new Array(vocabSize).fill(0);
    const problems: string[] = [];
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const r = bertStyle(tokens, { maskId: MASK, vocabSize, rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (!same(r.target, tokens) || r.removed.length !== 0) problems.push(`trial ${trial}: target or removed`);
      r.inputTokens.forEach((t, i) => {
        if (t.source !== i) problems.push(`trial ${trial}: source ${t.source} at ${i}`);
        if (t.kind === 'kept' || t.kind === 'mask' || t.kind === 'random') kinds[t.kind] += 1;
        if (t.kind === 'random') randomIds[t.id] += 1;
      });
    }
    expect(problems).toEqual([]);
    const corrupted = kinds.mask + kinds.random;
    expect(proportionZ(corrupted, trials * 100, 0.15)).toBeLessThan(5);
    expect(proportionZ(kinds.mask, corrupted, 0.9)).toBeLessThan(5);
    expect(randomIds[MASK]).toBe(0);
    const others = randomIds.filter((_, k) => k !== MASK);
    expect(
      chiSquareZ(chiSquare(others, new Array(vocabSize - 1).fill(kinds.random / (vocabSize - 1))), vocabSize - 2),
    ).toBeLessThan(5);
  });

  it('draws from the whole vocabulary when the mask id lies outside it, and rejects bad arguments', () => {
    const r = bertStyle(text(200), { rate: 1, maskId: 7, vocabSize: 3, rng: makeRng(2) });
    const randoms = r.inputTokens.filter((t) => t.kind === 'random').map((t) => t.id);
    expect(new Set(randoms)).toEqual(new Set([0, 1, 2]));
    const inside = bertStyle(text(200), { rate: 1, maskId: 1, vocabSize: 3, rng: makeRng(2) });
    expect(new Set(inside.inputTokens.filter((t) => t.kind === 'random').map((t) => t.id))).toEqual(new Set([0, 2]));
    expect(() => bertStyle(text(5), { maskId: MASK, vocabSize: 1, rng: makeRng(1) })).toThrow(
      /vocabSize must be an integer >= 2/,
    );
    expect(() => bertStyle(text(5), { rate: -0.2, maskId: MASK, vocabSize: 9, rng: makeRng(1) })).toThrow(
      /bertStyle: rate/,
    );
    expect(() => bertStyle(text(5), { maskId: NaN, vocabSize: 9, rng: makeRng(1) })).toThrow(RangeError);
  });
});

describe('deshuffle', () => {
  it('is a uniform permutation of the tokens with the original as target', () => {
    const tokens = text(8);
    const whereFirst = new Array(8).fill(0);
    const problems: string[] = [];
    const rng = makeRng(61);
    for (let trial = 0; trial < 8000; trial++) {
      const r = deshuffle(tokens, { rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens));
      if (
        !same(
          [...r.input].sort((a, b) => a - b),
          tokens,
        ) ||
        !same(r.target, tokens)
      )
        problems.push(`trial ${trial}`);
      r.inputTokens.forEach((t, k) => {
        if (t.kind !== (t.source === k ? 'kept' : 'moved')) problems.push(`trial ${trial}: kind at ${k}`);
      });
      whereFirst[r.input.indexOf(tokens[0])] += 1;
    }
    expect(problems).toEqual([]);
    expect(chiSquareZ(chiSquare(whereFirst, new Array(8).fill(1000)), 7)).toBeLessThan(5);
  });
});

describe('iidReplaceSpans', () => {
  it('corrupts 15% of tokens i.i.d.; one sentinel per maximal run, in increasing order; filling sentinels back gives the original', () => {
    const tokens = text(100);
    const rng = makeRng(71);
    const problems: string[] = [];
    let corrupted = 0;
    const trials = 1000;
    for (let trial = 0; trial < trials; trial++) {
      const r = iidReplaceSpans(tokens, { sentinelIds: SENTINELS, rng });
      const fail = (what: string) => problems.push(`trial ${trial}: ${what}`);
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (!same(spanUncorrupt(r.input, r.target, SENTINELS), tokens)) fail('does not fill back to the original');
      const inSentinels = r.input.filter(isSentinel);
      const k = inSentinels.length;
      if (!same(inSentinels, SENTINELS.slice(0, k))) fail('input sentinels not 0, 1, 2, ... in order');
      if (!same(r.target.filter(isSentinel), SENTINELS.slice(0, k + 1))) fail('target sentinels not 0..k in order');
      if (r.target[r.target.length - 1] !== SENTINELS[k]) fail('target does not close with the next sentinel');
      // Runs are maximal: two sentinels never touch in the input.
      if (r.input.some((t, j) => j > 0 && isSentinel(t) && isSentinel(r.input[j - 1]))) fail('adjacent sentinels');
      corrupted += r.removed.length;
    }
    expect(problems).toEqual([]);
    expect(proportionZ(corrupted, trials * 100, 0.15)).toBeLessThan(5);
  });

  it('handles rates 0 and 1, and rejects too few sentinels, sentinels in the text, and duplicates', () => {
    const tokens = text(10);
    expect(iidReplaceSpans(tokens, { rate: 0, sentinelIds: [7], rng: makeRng(1) })).toMatchObject({
      input: tokens,
      target: [7],
    });
    expect(iidReplaceSpans(tokens, { rate: 1, sentinelIds: [7, 8], rng: makeRng(1) })).toMatchObject({
      input: [7],
      target: [7, ...tokens, 8],
    });
    expect(() => iidReplaceSpans(text(100), { rate: 0.5, sentinelIds: [7, 8], rng: makeRng(1) })).toThrow(
      /iidReplaceSpans: \d+ noise spans need \d+ sentinel ids .* only 2/,
    );
    expect(() => iidReplaceSpans([5, 7], { sentinelIds: [7, 8], rng: makeRng(1) })).toThrow(
      /token 7 is also a sentinel/,
    );
    expect(() => iidReplaceSpans(tokens, { sentinelIds: [7, 7], rng: makeRng(1) })).toThrow(/listed twice/);
    expect(() => iidReplaceSpans(tokens, { rate: 2, sentinelIds: [7], rng: makeRng(1) })).toThrow(RangeError);
  });
});

describe('iidDropTokens', () => {
  it('drops 15% of tokens i.i.d.; merging input and target by provenance gives the original', () => {
    const tokens = text(100);
    const rng = makeRng(81);
    const problems: string[] = [];
    let dropped = 0;
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const r = iidDropTokens(tokens, { rng });
      if (trial < 300) problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      const merged = [...r.inputTokens, ...r.targetTokens].sort((a, b) => (a.source as number) - (b.source as number));
      if (
        !same(
          merged.map((t) => t.id),
          tokens,
        )
      )
        problems.push(`trial ${trial}: merge differs`);
      if (
        !same(
          r.targetTokens.map((t) => t.source as number),
          r.removed,
        )
      )
        problems.push(`trial ${trial}: target is not the removed tokens`);
      dropped += r.target.length;
    }
    expect(problems).toEqual([]);
    expect(proportionZ(dropped, trials * 100, 0.15)).toBeLessThan(5);
    expect(() => iidDropTokens(tokens, { rate: 1.2, rng })).toThrow(/iidDropTokens: rate/);
  });
});

describe('randomSpans', () => {
  it("gives exactly spanCorrupt's input and target for the same seed, with sound provenance", () => {
    const problems: string[] = [];
    const lengthRng = makeRng(91);
    for (let seed = 0; seed < 500; seed++) {
      const n = Math.floor(lengthRng() * 300);
      const tokens = text(n);
      const r = randomSpans(tokens, { sentinelIds: SENTINELS, rng: makeRng(seed) });
      const reference = spanCorrupt(tokens, { sentinelIds: SENTINELS, rng: makeRng(seed) });
      const fail = (what: string) => problems.push(`seed ${seed}, n ${n}: ${what}`);
      if (!same(r.input, reference.input) || !same(r.target, reference.target)) fail('differs from spanCorrupt');
      problems.push(...provenanceProblems(r, tokens, { ordered: true }));
      if (!same(spanUncorrupt(r.input, r.target, SENTINELS), tokens)) fail('does not fill back to the original');
      const expectedNoise = n < 2 ? 0 : Math.min(Math.max(Math.round(0.15 * n), 1), n - 1);
      if (r.removed.length !== expectedNoise) fail(`removed ${r.removed.length}`);
    }
    expect(problems).toEqual([]);
  });

  it('passes rate and meanSpanLength through, and rejects sentinels that occur in the text', () => {
    const tokens = text(100);
    const r = randomSpans(tokens, { rate: 0.5, meanSpanLength: 5, sentinelIds: SENTINELS, rng: makeRng(3) });
    expect(r.removed.length).toBe(50);
    expect(r.input.filter(isSentinel).length).toBe(10);
    expect(() => randomSpans([1, 10_000], { sentinelIds: SENTINELS, rng: makeRng(1) })).toThrow(/also a sentinel/);
    expect(() => randomSpans(tokens, { rate: -1, sentinelIds: SENTINELS, rng: makeRng(1) })).toThrow(
      /randomSpans: rate/,
    );
  });
});

describe('all T5 objectives', () => {
  it('replay from their seed and leave their (frozen) input untouched', () => {
    const tokens = text(40);
    const runs = [
      (seed: number) => prefixLm(tokens, { rng: makeRng(seed) }),
      (seed: number) => bertStyle(tokens, { maskId: MASK, vocabSize: 500, rng: makeRng(seed) }),
      (seed: number) => deshuffle(tokens, { rng: makeRng(seed) }),
      (seed: number) => iidReplaceSpans(tokens, { sentinelIds: SENTINELS, rng: makeRng(seed) }),
      (seed: number) => iidDropTokens(tokens, { rng: makeRng(seed) }),
      (seed: number) => randomSpans(tokens, { sentinelIds: SENTINELS, rng: makeRng(seed) }),
    ];
    for (const run of runs) {
      expect(run(5)).toEqual(run(5));
      expect(run(5).input).not.toEqual(run(6).input);
    }
    expect(tokens).toEqual(text(40));
  });
});
