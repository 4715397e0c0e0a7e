import { describe, expect, it } from 'vitest';
import { buildFullSentences, mixSeed } from './fullSentences';

const CLS = 1;
const SEP = 2;
const docs = [
  [
    [10, 11, 12],
    [13, 14],
    [15, 16, 17, 18],
  ],
  [[20, 21]],
];

describe('buildFullSentences', () => {
  it('packs contiguous sentences of one document from the start sentence', () => {
    const r = buildFullSentences(docs, 0, 1, { clsId: CLS, sepId: SEP, maxLength: 20 });
    expect(r.ids).toEqual([CLS, 13, 14, 15, 16, 17, 18, SEP]);
    expect(r.segments).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('cuts at maxLength, [CLS] and [SEP] included, never crossing into the next document', () => {
    expect(buildFullSentences(docs, 0, 0, { clsId: CLS, sepId: SEP, maxLength: 6 }).ids).toEqual([
      CLS,
      10,
      11,
      12,
      13,
      SEP,
    ]);
    expect(buildFullSentences(docs, 1, 0, { clsId: CLS, sepId: SEP, maxLength: 10 }).ids).toEqual([CLS, 20, 21, SEP]);
  });

  it('rejects bad positions and lengths', () => {
    expect(() => buildFullSentences(docs, 2, 0, { clsId: CLS, sepId: SEP, maxLength: 8 })).toThrow(/no document 2/);
    expect(() => buildFullSentences(docs, 1, 1, { clsId: CLS, sepId: SEP, maxLength: 8 })).toThrow(/no sentence 1/);
    expect(() => buildFullSentences(docs, 0, 0, { clsId: CLS, sepId: SEP, maxLength: 2 })).toThrow(/>= 3/);
  });
});

describe('mixSeed', () => {
  it('is a deterministic 32-bit value that changes with every argument and their order', () => {
    const a = mixSeed(7, 3, 4);
    expect(mixSeed(7, 3, 4)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(2 ** 32);
    const others = [mixSeed(7, 4, 3), mixSeed(8, 3, 4), mixSeed(7, 3, 5), mixSeed(7, 3), mixSeed(7 + 2 ** 32, 3, 4)];
    for (const o of others) expect(o).not.toBe(a);
  });

  it('spreads consecutive inputs over the range (no clustering in the top bits)', () => {
    const buckets = new Array(16).fill(0);
    for (let i = 0; i < 16000; i++) buckets[mixSeed(1, i) >>> 28] += 1;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});
