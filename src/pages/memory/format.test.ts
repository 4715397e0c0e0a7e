import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatExact, formatMultiple, formatShare } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [999.6, '1.00 kB'],
    [1000, '1.00 kB'],
    [16_384, '16.4 kB'],
    [1_314_048, '1.31 MB'],
    [999_999, '1.00 MB'],
    [131_000_000, '131 MB'],
    [2_793_668_149_248, '2.79 TB'],
    [5.6e18, '5.60 EB'],
    [5.6e21, '5600 EB'],
  ])('%d bytes -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('prints a dash, never NaN, for what is not a byte count', () => {
    expect(formatBytes(Number.NaN)).toBe('–');
    expect(formatBytes(Infinity)).toBe('–');
    expect(formatBytes(-1)).toBe('–');
  });
});

describe('formatCount', () => {
  it.each([
    [304, '304'],
    [109_504, '110k'],
    [335_141_888, '335M'],
    [1_557_611_200, '1.56B'],
    [11_307_321_344, '11.3B'],
    [174_604_259_328, '175B'],
    [1e14, '100T'],
  ])('%d -> %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });

  it('prints a dash for NaN', () => {
    expect(formatCount(Number.NaN)).toBe('–');
  });
});

describe('formatExact, formatMultiple, formatShare', () => {
  it('writes exact counts with separators', () => {
    expect(formatExact(174_604_259_328)).toBe('174,604,259,328');
    expect(formatExact(Number.NaN)).toBe('–');
  });

  it('keeps whole multiples whole and rounds the rest to 2 decimals', () => {
    expect(formatMultiple(16)).toBe('16');
    expect(formatMultiple(8.000132)).toBe('8.00');
    expect(formatMultiple(9.9)).toBe('9.90');
    expect(formatMultiple(Number.NaN)).toBe('–');
  });

  it('gives shares as percentages', () => {
    expect(formatShare(1, 4)).toBe('25.0%');
    expect(formatShare(5, 1000)).toBe('0.50%');
    expect(formatShare(1, 1e6)).toBe('< 0.01%');
    expect(formatShare(0, 5)).toBe('0%');
    expect(formatShare(1, 0)).toBe('–');
  });
});
