import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import { proportionZ } from '../testing';
import { iidNoiseMask } from './iidNoise';

describe('iidNoiseMask', () => {
  it('marks each position with probability rate (100,000 positions, within 5 SE)', () => {
    const mask = iidNoiseMask(100_000, 0.15, makeRng(1));
    expect(proportionZ(mask.filter(Boolean).length, 100_000, 0.15)).toBeLessThan(5);
  });

  it('draws once per position, so for one seed a higher rate only adds positions', () => {
    const low = iidNoiseMask(1000, 0.1, makeRng(2));
    const high = iidNoiseMask(1000, 0.3, makeRng(2));
    expect(low.every((m, i) => !m || high[i])).toBe(true);
    expect(high.filter(Boolean).length).toBeGreaterThan(low.filter(Boolean).length);
  });

  it('is all false at rate 0, all true at rate 1, and rejects bad arguments', () => {
    expect(iidNoiseMask(50, 0, makeRng(3)).some(Boolean)).toBe(false);
    expect(iidNoiseMask(50, 1, makeRng(3)).every(Boolean)).toBe(true);
    expect(iidNoiseMask(0, 0.5, makeRng(3))).toEqual([]);
    expect(() => iidNoiseMask(10, 1.0001, makeRng(3))).toThrow(/iidNoiseMask: rate must be in \[0, 1\]/);
    expect(() => iidNoiseMask(-1, 0.5, makeRng(3))).toThrow(RangeError);
    expect(() => iidNoiseMask(2.5, 0.5, makeRng(3))).toThrow(RangeError);
  });
});
