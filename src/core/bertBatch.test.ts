import { describe, expect, it } from 'vitest';
import { buildBertBatch, ownTokenBatch, type BertRow } from './bertBatch';
import { makeRng } from './rng';

const PAD = 1;
const CLS = 2;
const SEP = 3;
const MASK = 4;
const protectedIds = new Set([PAD, CLS, SEP]);
const rows: BertRow[] = [
  { ids: [CLS, 10, 11, 12, 13, SEP, 14, 15, SEP], segments: [0, 0, 0, 0, 0, 0, 1, 1, 1], label: 1 },
  { ids: [CLS, 20, 21, SEP, 22, SEP], segments: [0, 0, 0, 0, 1, 1], label: 0 },
];
const base = {
  T: 10,
  padId: PAD,
  maskId: MASK,
  vocabSize: 30,
  protectedIds,
  selectRate: 0.4,
  maskProb: 0.8,
  randomProb: 0.1,
  nsp: true,
};

describe('buildBertBatch', () => {
  it('pads rows, keeps segments and lengths, and lists every selected position with its original token', () => {
    const b = buildBertBatch(rows, { ...base, rngFor: (r) => makeRng(100 + r) });
    expect(b.lengths).toEqual(Int32Array.from([9, 6]));
    expect(Array.from(b.ids.slice(9, 10))).toEqual([PAD]);
    expect(Array.from(b.ids.slice(16, 20))).toEqual([PAD, PAD, PAD, PAD]);
    expect(Array.from(b.segments.slice(0, 10))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);
    expect(b.nspLabels).toEqual(Int32Array.from([1, 0]));
    // 40% of 6 eligible tokens -> 2; 40% of 3 -> 1.
    expect(b.maskedRows.length).toBe(3);
    for (let i = 0; i < b.maskedRows.length; i++) {
      const flat = b.maskedRows[i];
      const [r, t] = [Math.floor(flat / 10), flat % 10];
      expect(b.maskedTargets[i]).toBe(rows[r].ids[t]);
      expect(protectedIds.has(rows[r].ids[t])).toBe(false);
      expect(b.kinds[r][t]).not.toBeNull();
      if (b.kinds[r][t] === 'mask') expect(b.ids[flat]).toBe(MASK);
      if (b.kinds[r][t] === 'keep') expect(b.ids[flat]).toBe(rows[r].ids[t]);
    }
    // Positions not selected are the original tokens.
    rows.forEach((row, r) =>
      row.ids.forEach((id, t) => {
        if (b.kinds[r][t] === null) expect(b.ids[r * 10 + t]).toBe(id);
      }),
    );
  });

  it('masks a row the same way whenever its rng is the same (static masking)', () => {
    const a = buildBertBatch(rows, { ...base, rngFor: (r) => makeRng(7 + r) });
    const b = buildBertBatch(rows, { ...base, rngFor: (r) => makeRng(7 + r) });
    expect(b.ids).toEqual(a.ids);
    expect(b.maskedRows).toEqual(a.maskedRows);
  });

  it('has no NSP labels without NSP, and rejects rows longer than T', () => {
    expect(buildBertBatch(rows, { ...base, nsp: false, rngFor: () => makeRng(1) }).nspLabels).toBeNull();
    expect(() => buildBertBatch(rows, { ...base, T: 8, rngFor: () => makeRng(1) })).toThrow(/more than T = 8/);
  });
});

describe('ownTokenBatch', () => {
  it('feeds the original tokens and targets every real non-special position with itself', () => {
    const b = ownTokenBatch(rows, 10, PAD, protectedIds);
    expect(Array.from(b.ids.slice(0, 10))).toEqual([...rows[0].ids, PAD]);
    expect(Array.from(b.maskedTargets)).toEqual([10, 11, 12, 13, 14, 15, 20, 21, 22]);
    expect(Array.from(b.maskedRows)).toEqual([1, 2, 3, 4, 6, 7, 11, 12, 14]);
  });
});
