import { describe, expect, it } from 'vitest';
import { bertMask, bertSelectCount, type BertMaskOptions } from './bertMask';
import { makeRng } from './rng';
import { chiSquare, chiSquareZ, proportionZ } from './testing';

const PAD = 0;
const MASK = 1;
const CLS = 2;
const SEP = 3;
const VOCAB = 40;
const PROTECTED: ReadonlySet<number> = new Set([PAD, MASK, CLS, SEP]);

/** [CLS] a... [SEP] b... [SEP] [PAD]*: 40 tokens, 34 of them eligible. */
function makeSequence(rng: () => number): number[] {
  const word = () => 4 + Math.floor(rng() * (VOCAB - 4));
  return [CLS, ...Array.from({ length: 20 }, word), SEP, ...Array.from({ length: 14 }, word), SEP, PAD, PAD, PAD];
}

describe('bertMask statistics (fixed seed, 20,000 sequences)', () => {
  const rng = makeRng(1234);
  const dataRng = makeRng(99);
  const trials = 20_000;
  const seqLen = 40;
  const eligiblePositions = 34;
  const perPosition = new Float64Array(seqLen);
  const kindCounts = { mask: 0, random: 0, keep: 0 };
  const randomIdCounts = new Float64Array(VOCAB);
  let selected = 0;
  let violations = 0;
  for (let t = 0; t < trials; t++) {
    const tokens = makeSequence(dataRng);
    const r = bertMask(tokens, { maskId: MASK, vocabSize: VOCAB, rng, protectedIds: PROTECTED });
    for (let i = 0; i < seqLen; i++) {
      const kind = r.kinds[i];
      if (kind === null) {
        if (r.targets[i] !== null || r.input[i] !== tokens[i]) violations += 1;
        continue;
      }
      selected += 1;
      perPosition[i] += 1;
      kindCounts[kind] += 1;
      if (PROTECTED.has(tokens[i]) || r.targets[i] !== tokens[i]) violations += 1;
      if (kind === 'mask' && r.input[i] !== MASK) violations += 1;
      if (kind === 'keep' && r.input[i] !== tokens[i]) violations += 1;
      if (kind === 'random') {
        if (PROTECTED.has(r.input[i])) violations += 1;
        randomIdCounts[r.input[i]] += 1;
      }
    }
  }

  it('selects exactly round(0.15 * eligible) non-protected positions per sequence', () => {
    expect(selected).toBe(trials * Math.round(0.15 * eligiblePositions));
    expect(violations).toBe(0);
  });

  it('selects every eligible position equally often and protected positions never', () => {
    const eligibleIdx = [...Array(seqLen).keys()].filter((i) => ![0, 21, 36, 37, 38, 39].includes(i));
    expect(eligibleIdx.length).toBe(eligiblePositions);
    for (const i of [0, 21, 36, 37, 38, 39]) expect(perPosition[i]).toBe(0);
    const observed = eligibleIdx.map((i) => perPosition[i]);
    const expected = eligibleIdx.map(() => selected / eligiblePositions);
    expect(chiSquareZ(chiSquare(observed, expected), eligiblePositions - 1)).toBeLessThan(5);
  });

  it('masks 80%, randomises 10% and keeps 10% of the selected, within 5 standard errors', () => {
    expect(proportionZ(kindCounts.mask, selected, 0.8)).toBeLessThan(5);
    expect(proportionZ(kindCounts.random, selected, 0.1)).toBeLessThan(5);
    expect(proportionZ(kindCounts.keep, selected, 0.1)).toBeLessThan(5);
  });

  it('draws random replacements uniformly from the non-protected vocabulary', () => {
    for (const id of PROTECTED) expect(randomIdCounts[id]).toBe(0);
    const allowed = [...Array(VOCAB).keys()].filter((id) => !PROTECTED.has(id));
    const observed = allowed.map((id) => randomIdCounts[id]);
    const expected = allowed.map(() => kindCounts.random / allowed.length);
    expect(chiSquareZ(chiSquare(observed, expected), allowed.length - 1)).toBeLessThan(5);
  });
});

describe('bertMask rules', () => {
  const opts = (seed: number, extra: Partial<BertMaskOptions> = {}): BertMaskOptions => ({
    maskId: MASK,
    vocabSize: VOCAB,
    rng: makeRng(seed),
    protectedIds: PROTECTED,
    ...extra,
  });

  it('selects at least one position in a short sentence, none when nothing is eligible', () => {
    expect(bertSelectCount(3, 0.15)).toBe(1);
    expect(bertSelectCount(0, 0.15)).toBe(0);
    expect(bertSelectCount(10, 0)).toBe(0);
    expect(bertSelectCount(10, 1)).toBe(10);
    expect(bertSelectCount(10, 0.25)).toBe(3); // Math.round(2.5) = 3
    const r = bertMask([CLS, 7, 8, SEP], opts(1));
    expect(r.targets.filter((t) => t !== null).length).toBe(1);
    const none = bertMask([CLS, SEP, PAD], opts(1));
    expect(none.input).toEqual([CLS, SEP, PAD]);
    expect(none.kinds).toEqual([null, null, null]);
  });

  it('is reproducible from its seed and does not modify the tokens', () => {
    const tokens = makeSequence(makeRng(5));
    const copy = tokens.slice();
    expect(bertMask(tokens, opts(8))).toEqual(bertMask(tokens, opts(8)));
    expect(tokens).toEqual(copy);
  });

  it('never draws maskId as a random replacement, even when it is not listed as protected', () => {
    const r = bertMask(
      Array.from({ length: 200 }, () => 5),
      {
        maskId: 0,
        vocabSize: 3,
        rng: makeRng(3),
        selectRate: 1,
        maskProb: 0,
        randomProb: 1,
      },
    );
    expect(r.kinds.every((k) => k === 'random')).toBe(true);
    expect(new Set(r.input)).toEqual(new Set([1, 2]));
  });

  it('rejects impossible probabilities and an empty replacement vocabulary', () => {
    expect(() => bertMask([5], opts(1, { maskProb: 0.9, randomProb: 0.2 }))).toThrow(/<= 1/);
    expect(() => bertMask([5], opts(1, { selectRate: 1.5 }))).toThrow(/selectRate/);
    expect(() =>
      bertMask([5], { maskId: 0, vocabSize: 1, rng: makeRng(1), selectRate: 1, maskProb: 0, randomProb: 1 }),
    ).toThrow(/random replacement/);
  });
});
