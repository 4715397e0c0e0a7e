import { describe, expect, it } from 'vitest';
import {
  buildNspBatch,
  buildNspPair,
  truncatedPairLengths,
  type NspDocument,
  type NspExample,
  type NspOptions,
} from './nspPairs';
import { makeRng, randomInt, type Rng } from './rng';
import { chiSquare, chiSquareZ, proportionZ } from './testing';

const PAD = 0;
const CLS = 1;
const SEP = 2;

/** Token ids encode where they came from: 100*doc + 10*sentence + position. */
const HAND_CORPUS: NspDocument[] = [
  [[100, 101], [110, 111, 112], [120]],
  [[200], [210, 211]],
  [[300, 301, 302, 303]], // one sentence: can be B, never A
  [], // empty documents are allowed and never drawn
];

const opts = (seed: number, extra: Partial<NspOptions> = {}): NspOptions => ({
  clsId: CLS,
  sepId: SEP,
  maxLength: 64,
  rng: makeRng(seed),
  ...extra,
});

/**
 * A corpus of `docCount` documents with 1..6 sentences of 1..5 tokens each.
 * Token 1000 * (doc + 1) + 10 * sentence + position: its origin can be read
 * back, and it never collides with [CLS] or [SEP].
 */
function randomCorpus(rng: Rng, docCount: number): NspDocument[] {
  return Array.from({ length: docCount }, (_, d) =>
    Array.from({ length: 1 + randomInt(rng, 6) }, (_, s) =>
      Array.from({ length: 1 + randomInt(rng, 5) }, (_, t) => 1000 * (d + 1) + 10 * s + t),
    ),
  );
}

describe('buildNspPair structure', () => {
  it('lays out [CLS] A [SEP] B [SEP] with segment 0 up to the first [SEP] and 1 after', () => {
    for (let seed = 0; seed < 50; seed++) {
      const ex = buildNspPair(HAND_CORPUS, opts(seed));
      const a = HAND_CORPUS[ex.docIndex][ex.sentenceIndex];
      const b = HAND_CORPUS[ex.bDocIndex][ex.bSentenceIndex];
      expect(ex.ids).toEqual([CLS, ...a, SEP, ...b, SEP]);
      expect(ex.segments).toEqual([0, ...a.map(() => 0), 0, ...b.map(() => 1), 1]);
      expect(ex.ids.indexOf(SEP)).toBe(1 + a.length);
      // A always has a successor, so it comes from documents 0 or 1 only.
      expect([0, 1]).toContain(ex.docIndex);
      expect(ex.sentenceIndex).toBeLessThan(HAND_CORPUS[ex.docIndex].length - 1);
    }
  });

  it('trims the longer side from its end, B on a tie (hand-worked cases)', () => {
    const a = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109];
    const next = [110, 111, 112, 113];
    const other = [200, 201, 202, 203, 204, 205];
    const corpus: NspDocument[] = [[a, next], [other]];
    // 10 + 4 tokens into 7: A shrinks alone to 4, then the tie trims B to 3.
    const isNext = buildNspPair(corpus, opts(1, { maxLength: 10, isNextProb: 1 }));
    expect(isNext.ids).toEqual([CLS, 100, 101, 102, 103, SEP, 110, 111, 112, SEP]);
    expect(isNext.segments).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    // 10 + 6 into 5: A to 6, then alternating B, A, ... ends at A = 3, B = 2.
    const notNext = buildNspPair(corpus, opts(1, { maxLength: 8, isNextProb: 0 }));
    expect(notNext.ids).toEqual([CLS, 100, 101, 102, SEP, 200, 201, SEP]);
    expect(notNext.segments).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    // The shortest allowed sequence keeps one token per side.
    expect(buildNspPair(corpus, opts(1, { maxLength: 5, isNextProb: 1 })).ids).toEqual([CLS, 100, SEP, 110, SEP]);
  });

  it('truncatedPairLengths matches a slow list-based truncate_seq_pair', () => {
    const rng = makeRng(17);
    for (let t = 0; t < 500; t++) {
      const lenA = 1 + randomInt(rng, 30);
      const lenB = 1 + randomInt(rng, 30);
      const budget = 2 + randomInt(rng, 60);
      const listA = Array.from({ length: lenA }, (_, i) => i);
      const listB = Array.from({ length: lenB }, (_, i) => i);
      while (listA.length + listB.length > budget) (listA.length > listB.length ? listA : listB).pop();
      const [keepA, keepB] = truncatedPairLengths(lenA, lenB, budget);
      expect([keepA, keepB]).toEqual([listA.length, listB.length]);
      expect(Math.min(keepA, keepB)).toBeGreaterThanOrEqual(1);
    }
  });

  it('is reproducible from its seed and leaves the corpus untouched', () => {
    const corpus = randomCorpus(makeRng(3), 8);
    const before = JSON.stringify(corpus);
    const draw = (seed: number) => {
      const o = opts(seed, { maxLength: 9 });
      return Array.from({ length: 20 }, () => buildNspPair(corpus, o));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(JSON.stringify(corpus)).toBe(before);
  });
});

describe('buildNspPair corpus index', () => {
  it('re-indexes a docs array that gained documents', () => {
    const docs: number[][][] = [[[10], [11]], [[20]]];
    const o = opts(1);
    for (let t = 0; t < 50; t++) expect(buildNspPair(docs, o).docIndex).toBe(0);
    docs.push([[30], [31]]);
    const seen = new Set(Array.from({ length: 200 }, () => buildNspPair(docs, o).docIndex));
    expect(seen).toEqual(new Set([0, 2]));
  });
});

describe('buildNspPair sampling (fixed seeds)', () => {
  const corpus = randomCorpus(makeRng(7), 12);
  const draws = 10_000;

  // Several checks read the same draws; sampling once keeps the file fast.
  const cache = new Map<string, NspExample[]>();
  function sample(isNextProb: number, seed: number): NspExample[] {
    const key = `${isNextProb}/${seed}`;
    if (!cache.has(key)) {
      const o = opts(seed, { isNextProb });
      cache.set(
        key,
        Array.from({ length: draws }, () => buildNspPair(corpus, o)),
      );
    }
    return cache.get(key)!;
  }

  for (const [isNextProb, seed] of [
    [0.5, 11],
    [0.3, 12],
  ] as const) {
    it(`IsNext rate is within 4 standard errors of ${isNextProb} over ${draws} draws`, () => {
      const examples = sample(isNextProb, seed);
      const isNext = examples.filter((e) => e.label === 'IsNext').length;
      expect(proportionZ(isNext, draws, isNextProb)).toBeLessThan(4);
    });
  }

  it('IsNext pairs are consecutive sentences of one document; NotNext pairs span two documents', () => {
    // Counted rather than asserted per draw: 100,000 expect calls would dominate the run time.
    const origin = (id: number) => [Math.floor(id / 1000) - 1, Math.floor((id % 1000) / 10)];
    let wrong = 0;
    for (const e of sample(0.5, 11)) {
      const ok =
        e.label === 'IsNext'
          ? e.bDocIndex === e.docIndex && e.bSentenceIndex === e.sentenceIndex + 1
          : e.bDocIndex !== e.docIndex;
      // Ids encode their origin, so the tokens themselves confirm the indices.
      const [aDoc, aSentence] = origin(e.ids[1]);
      const [bDoc, bSentence] = origin(e.ids[e.ids.indexOf(SEP) + 1]);
      const traced =
        aDoc === e.docIndex && aSentence === e.sentenceIndex && bDoc === e.bDocIndex && bSentence === e.bSentenceIndex;
      if (!ok || !traced) wrong += 1;
    }
    expect(wrong).toBe(0);
  });

  it('draws A uniformly over documents with a successor, then over their sentences (chi-square z < 5)', () => {
    const examples = sample(0.5, 11);
    const pairDocs = corpus.map((d, i) => [d.length, i]).filter(([n]) => n >= 2);
    const observed: number[] = [];
    const expected: number[] = [];
    for (const [n, d] of pairDocs) {
      for (let s = 0; s < n - 1; s++) {
        observed.push(examples.filter((e) => e.docIndex === d && e.sentenceIndex === s).length);
        expected.push(draws / pairDocs.length / (n - 1));
      }
    }
    expect(observed.reduce((x, y) => x + y, 0)).toBe(draws);
    expect(chiSquareZ(chiSquare(observed, expected), observed.length - 1)).toBeLessThan(5);
  });

  it('draws a NotNext B uniformly over the sentences of the other documents (chi-square z < 5)', () => {
    // Condition on one document for A, so the set of candidate Bs is fixed.
    const aDoc = corpus.findIndex((d) => d.length >= 2);
    const fromADoc = sample(0, 15).filter((e) => e.docIndex === aDoc);
    const observed: number[] = [];
    corpus.forEach((doc, d) => {
      if (d === aDoc) return;
      doc.forEach((_, s) => observed.push(fromADoc.filter((e) => e.bDocIndex === d && e.bSentenceIndex === s).length));
    });
    const total = corpus.reduce((n, d) => n + d.length, 0);
    expect(observed.length).toBe(total - corpus[aDoc].length);
    expect(fromADoc.length).toBeGreaterThan(500);
    const expected = observed.map(() => fromADoc.length / observed.length);
    expect(chiSquareZ(chiSquare(observed, expected), observed.length - 1)).toBeLessThan(5);
  });

  it('isNextProb 0 and 1 give one label only', () => {
    const o0 = opts(2, { isNextProb: 0 });
    const o1 = opts(2, { isNextProb: 1 });
    for (let t = 0; t < 200; t++) {
      expect(buildNspPair(corpus, o0).label).toBe('NotNext');
      expect(buildNspPair(corpus, o1).label).toBe('IsNext');
    }
  });
});

describe('buildNspBatch', () => {
  it('pads rows to maxLength, and row r is the r-th buildNspPair draw from the same seed', () => {
    const corpus = randomCorpus(makeRng(5), 6);
    const maxLength = 9;
    const count = 40;
    const batch = buildNspBatch(corpus, count, { ...opts(21, { maxLength }), padId: PAD });
    expect(batch.ids.length).toBe(count * maxLength);
    expect(batch.segments.length).toBe(count * maxLength);
    expect(batch.lengths.length).toBe(count);
    expect(batch.labels.length).toBe(count);
    const single = opts(21, { maxLength });
    for (let r = 0; r < count; r++) {
      const e = buildNspPair(corpus, single);
      const row = Array.from(batch.ids.subarray(r * maxLength, (r + 1) * maxLength));
      const segRow = Array.from(batch.segments.subarray(r * maxLength, (r + 1) * maxLength));
      const padding = maxLength - e.ids.length;
      expect(row).toEqual([...e.ids, ...Array<number>(padding).fill(PAD)]);
      expect(segRow).toEqual([...e.segments, ...Array<number>(padding).fill(0)]);
      expect(batch.lengths[r]).toBe(e.ids.length);
      expect(batch.labels[r]).toBe(e.label === 'IsNext' ? 1 : 0);
    }
  });

  it('fills a whole row when the pair reaches maxLength', () => {
    const corpus: NspDocument[] = [
      [
        [10, 11, 12],
        [13, 14, 15],
      ],
      [[20]],
    ];
    const batch = buildNspBatch(corpus, 1, { ...opts(1, { maxLength: 6, isNextProb: 1 }), padId: PAD });
    // 3 + 3 into 3: the tie trims B to 2, then A to 2, then the tie trims B to 1.
    expect(Array.from(batch.ids)).toEqual([CLS, 10, 11, SEP, 13, SEP]);
    expect(Array.from(batch.lengths)).toEqual([6]);
  });
});

describe('nspPairs errors', () => {
  const corpus = HAND_CORPUS;
  it('rejects bad options', () => {
    expect(() => buildNspPair(corpus, opts(1, { maxLength: 4 }))).toThrow(/maxLength must be an integer >= 5/);
    expect(() => buildNspPair(corpus, opts(1, { maxLength: 7.5 }))).toThrow(RangeError);
    expect(() => buildNspPair(corpus, opts(1, { isNextProb: 1.2 }))).toThrow(/isNextProb/);
    expect(() => buildNspPair(corpus, opts(1, { isNextProb: Number.NaN }))).toThrow(/isNextProb/);
    expect(() => buildNspPair(corpus, opts(1, { clsId: -1 }))).toThrow(/clsId/);
    expect(() => buildNspBatch(corpus, 0, { ...opts(1), padId: PAD })).toThrow(/count/);
    expect(() => buildNspBatch(corpus, 2, { ...opts(1), padId: 0.5 })).toThrow(/padId/);
  });

  it('rejects corpora that cannot give both labels', () => {
    expect(() => buildNspPair([[[1, 2], [3]]], opts(1))).toThrow(/at least 2 documents/);
    expect(() => buildNspPair([[[1, 2], [3]], []], opts(1, { isNextProb: 1 }))).toThrow(/at least 2 documents/);
    expect(() => buildNspPair([], opts(1))).toThrow(/at least 2 documents/);
    expect(() => buildNspPair([[[1]], [[2]]], opts(1))).toThrow(/no document has 2 or more sentences/);
    expect(() => buildNspPair([[[1], []], [[2]]], opts(1))).toThrow(/sentence 1 of document 0 is empty/);
  });
});
