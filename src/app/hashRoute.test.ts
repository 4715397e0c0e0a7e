import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './hashRoute';
import { ALL_SECTIONS, findSection } from '../pages/sections';

describe('hash routes', () => {
  it('parses path and query, with / for an empty hash', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#/').path).toBe('/');
    const loc = parseHash('#/objectives/decoder-only?seed=7&lr=0.003&backend=wasm');
    expect(loc.path).toBe('/objectives/decoder-only');
    expect(loc.query.get('seed')).toBe('7');
    expect(loc.query.get('backend')).toBe('wasm');
  });
  it('round-trips', () => {
    const q = new URLSearchParams('present=1&lr=0.01');
    expect(formatHash('/optimization/memory', q)).toBe('#/optimization/memory?present=1&lr=0.01');
    expect(formatHash('/', new URLSearchParams())).toBe('#/');
  });
  it('knows the public routes of the lecture', () => {
    expect(ALL_SECTIONS.map((s) => s.path)).toEqual([
      '/objectives/decoder-only',
      '/objectives/encoder-only',
      '/objectives/encoder-decoder',
      '/optimization/sgd-adam',
      '/optimization/memory',
      '/optimization/mixed-precision',
      '/optimization/learning-rates',
      '/optimization/initialization',
      '/optimization/gpt3-recipe',
    ]);
    expect(findSection('/nope')).toBeUndefined();
  });
});
