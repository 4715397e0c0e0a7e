import { describe, expect, it } from 'vitest';
import { makeRng } from '../../core';
import { drawPassage } from './encdec';

describe('drawPassage', () => {
  it('keeps whole sentences from the start while they fit', () => {
    const docs = [
      [
        [1, 2, 3],
        [4, 5],
        [6, 7, 8, 9],
      ],
    ];
    // rng: the document, then the start sentence (0).
    const rng = (() => {
      const xs = [0, 0];
      return () => xs.shift() ?? 0;
    })();
    expect(drawPassage(docs, 6, rng)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('never returns a one-word passage from a document with two or more words (a prefix LM needs both sides)', () => {
    // One-word sentences at the end, at the start and between long ones: every start position, many draws.
    const docs = [
      [[1, 2, 3, 4, 5], [6]],
      [[7], [8, 9, 10, 11, 12, 13]],
      [[14, 15, 16, 17], [18], [19, 20, 21, 22, 23]],
    ];
    const rng = makeRng(3);
    for (let i = 0; i < 500; i++) {
      const passage = drawPassage(docs, 4, rng);
      const words = passage.flat().length;
      expect(words).toBeGreaterThanOrEqual(2);
      expect(words).toBeLessThanOrEqual(4);
    }
  });
});
