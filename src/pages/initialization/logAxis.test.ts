import { describe, expect, it } from 'vitest';
import { formatTick, formatValue, logDomain, logTicks } from './logAxis';

describe('logDomain', () => {
  it('rounds out to whole decades, at least one wide, ignoring non-positive and non-finite values', () => {
    expect(logDomain([0.9, 1.7e4])).toEqual([0.1, 1e5]);
    expect(logDomain([1, 10])).toEqual([1, 10]);
    expect(logDomain([1, 1])).toEqual([1, 10]);
    expect(logDomain([2, 3, 0, -1, NaN, Infinity])).toEqual([1, 10]);
    expect(logDomain([0, NaN])).toBeNull();
  });
});

describe('logTicks', () => {
  it('marks every decade, and 2x, 5x when the range is narrow', () => {
    expect(logTicks([0.1, 1e5])).toEqual([0.1, 1, 10, 100, 1000, 1e4, 1e5]);
    expect(logTicks([1, 10])).toEqual([1, 2, 5, 10]);
  });
});

describe('formatting', () => {
  it('uses exponents only for very large or small numbers', () => {
    expect(formatTick(1e5)).toBe('1e5');
    expect(formatTick(0.001)).toBe('1e-3');
    expect(formatTick(200)).toBe('200');
    expect(formatTick(0.1)).toBe('0.1');
    expect(formatValue(16807.5)).toBe('16800');
    expect(formatValue(123456)).toBe('1.23e5');
    expect(formatValue(0.00131)).toBe('1.31e-3');
    expect(formatValue(1.0321)).toBe('1.03');
    expect(formatValue(NaN)).toBe('—');
  });
});
