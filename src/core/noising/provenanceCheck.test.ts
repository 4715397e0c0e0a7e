import { describe, expect, it } from 'vitest';
import { provenanceProblems } from './provenanceCheck';
import { makeNoisingResult, originalTokens, type NoisedToken } from './types';

// The checker is what most tests rely on, so it must itself be able to fail.
const ORIGINAL = [10, 11, 12, 13];
const kept = (source: number): NoisedToken => ({ id: ORIGINAL[source], source, kind: 'kept' });
const target = originalTokens(ORIGINAL);

describe('provenanceProblems', () => {
  it('accepts a sound result: a span mask over 1..2', () => {
    const r = makeNoisingResult(
      [kept(0), { id: 1, source: null, kind: 'mask', covers: [1, 2] }, kept(3)],
      target,
      [1, 2],
      4,
    );
    expect(provenanceProblems(r, ORIGINAL, { ordered: true })).toEqual([]);
  });

  it('reports a lost index, a duplicated one, and a removed index that is also present', () => {
    expect(provenanceProblems(makeNoisingResult([kept(0), kept(1), kept(3)], target, [], 4), ORIGINAL)).toContain(
      'original index 2 accounted for 0 times',
    );
    expect(
      provenanceProblems(makeNoisingResult([kept(0), kept(1), kept(1), kept(2), kept(3)], target, [], 4), ORIGINAL),
    ).toContain('original index 1 accounted for 2 times');
    expect(
      provenanceProblems(makeNoisingResult([kept(0), kept(1), kept(2), kept(3)], target, [2], 4), ORIGINAL),
    ).toContain('original index 2 accounted for 2 times');
  });

  it('reports a kept token whose id is not the original, ids out of step, and broken order', () => {
    const wrongId = makeNoisingResult([kept(0), { id: 99, source: 1, kind: 'kept' }, kept(2), kept(3)], target, [], 4);
    expect(provenanceProblems(wrongId, ORIGINAL).join()).toMatch(/kept token 99 differs from original 11/);
    const outOfStep = {
      ...makeNoisingResult(
        ORIGINAL.map((_, i) => kept(i)),
        target,
        [],
        4,
      ),
      input: [10, 11, 12],
    };
    expect(provenanceProblems(outOfStep, ORIGINAL).join()).toMatch(/3 ids but 4 tokens/);
    const swapped = makeNoisingResult([kept(1), kept(0), kept(2), kept(3)], target, [], 4);
    expect(provenanceProblems(swapped, ORIGINAL)).toEqual([]);
    expect(provenanceProblems(swapped, ORIGINAL, { ordered: true }).join()).toMatch(/order broken at original index 0/);
  });

  it('reports covers that are not removed, and tokens of the wrong kind without a source', () => {
    const notRemoved = makeNoisingResult(
      [kept(0), { id: 1, source: null, kind: 'mask', covers: [1] }, kept(2), kept(3)],
      target,
      [1],
      4,
    );
    expect(provenanceProblems(notRemoved, ORIGINAL)).toEqual([]);
    const coverNotRemoved = makeNoisingResult(
      [kept(0), kept(1), { id: 1, source: null, kind: 'mask', covers: [1] }, kept(2), kept(3)],
      target,
      [],
      4,
    );
    expect(provenanceProblems(coverNotRemoved, ORIGINAL).join()).toMatch(/covered index 1 is not listed as removed/);
    const keptWithoutSource = makeNoisingResult(
      [{ id: 10, source: null, kind: 'kept' }, kept(1), kept(2), kept(3)],
      target,
      [0],
      4,
    );
    expect(provenanceProblems(keptWithoutSource, ORIGINAL).join()).toMatch(/kept token without a source/);
  });
});
