import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { applyObjective, objectiveInfo, OBJECTIVES } from './objectives';
import { provenanceProblems } from './provenanceCheck';

const doc = [
  [10, 11, 12, 13, 2],
  [14, 15, 16, 2],
  [17, 18, 19, 20, 21, 2],
];
const ids = { maskId: 1, sentinelIds: Array.from({ length: 20 }, (_, i) => 100 + i), vocabSize: 50 };
const settings = { rate: 0.3, span: 3 };

describe('applyObjective', () => {
  it('applies every objective to a document with consistent provenance, deterministically', () => {
    for (const o of OBJECTIVES) {
      const a = applyObjective(o.id, doc, settings, ids, makeRng(4));
      const b = applyObjective(o.id, doc, settings, ids, makeRng(4));
      expect(b, o.id).toEqual(a);
      expect(a.sourceLength, o.id).toBe(15);
      expect(provenanceProblems(a, doc.flat()), o.id).toEqual([]);
    }
  });

  it('routes each id to its transformation', () => {
    // Deletion never adds ids; masking keeps the length; BART targets are the original.
    const del = applyObjective('token-deletion', doc, { rate: 0.5, span: 3 }, ids, makeRng(1));
    expect(del.input.length + del.removed.length).toBe(15);
    const mask = applyObjective('token-masking', doc, { rate: 0.5, span: 3 }, ids, makeRng(1));
    expect(mask.input).toHaveLength(15);
    expect(mask.input.filter((x) => x === 1).length).toBeGreaterThan(0);
    expect(mask.target).toEqual(doc.flat());
    const prefix = applyObjective('prefix-lm', doc, settings, ids, makeRng(1));
    expect([...prefix.input, ...prefix.target]).toEqual(doc.flat());
    const spans = applyObjective('random-spans', doc, settings, ids, makeRng(1));
    expect(spans.input.some((x) => x >= 100)).toBe(true);
  });

  it('describes every objective and rejects unknown ids', () => {
    expect(new Set(OBJECTIVES.map((o) => o.id)).size).toBe(12);
    expect(objectiveInfo('text-infilling').span).toBe('poisson');
    expect(() => objectiveInfo('nope' as never)).toThrow(/unknown objective/);
  });
});
