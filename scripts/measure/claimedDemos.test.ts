import { describe, expect, it } from 'vitest';
import { defaultValues } from '../../src/core/params';
import type { DataSource } from '../../src/train/contract';
import { CLAIMED_DEMOS } from './claimedDemos';

const DATA: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

describe('CLAIMED_DEMOS', () => {
  it('has one claim per comparison demo, each with its own id', () => {
    expect(CLAIMED_DEMOS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(CLAIMED_DEMOS.map((d) => d.id)).size).toBe(CLAIMED_DEMOS.length);
  });

  for (const demo of CLAIMED_DEMOS) {
    it(`${demo.id}: the page's default run has a claim about two of its arms, readable at an evaluation`, () => {
      const run = demo.build(defaultValues(demo.params), DATA);
      const claim = demo.claim(run);
      expect(claim).not.toBeNull();
      expect(claim!.id).toBe(demo.id);
      const arms = 'arms' in run ? run.arms.length : 1;
      expect(claim!.winner).toBeGreaterThanOrEqual(0);
      expect(claim!.loser).toBeGreaterThanOrEqual(0);
      expect(claim!.winner).toBeLessThan(arms);
      expect(claim!.loser).toBeLessThan(arms);
      expect(claim!.winner).not.toBe(claim!.loser);
      if (claim!.source.kind === 'eval') expect(claim!.step % run.evalEvery).toBe(0);
      expect(claim!.showMargin).toBeGreaterThan(0);
    });
  }
});
