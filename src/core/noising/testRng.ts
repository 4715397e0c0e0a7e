import type { Rng } from '../rng';

/**
 * Test-only (not exported from index.ts): an Rng that returns the given
 * values in order, so a test can force an exact outcome (e.g. the examples in
 * T5's table of objectives). Throws when the script runs out, so a function
 * that draws more often than documented fails loudly.
 */
export function scriptedRng(values: readonly number[]): Rng {
  let next = 0;
  return () => {
    if (next >= values.length)
      throw new Error(`scriptedRng: asked for draw ${next + 1}, only ${values.length} scripted`);
    return values[next++];
  };
}
